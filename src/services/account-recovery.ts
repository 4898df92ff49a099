// Account recovery for a user who lost their second factors (ASVS 5.0 6.4.3: never a silent MFA
// bypass). From the second step of a sign-in (the password was right), a code goes to the
// recovery method; entering it opens a recovery that the user and the administrators are told of.
// It finishes once an administrator approves it or the waiting period ends: the old factors are
// removed, every session ends, and the user signs in to enrol new ones. Each step is audited.
import { createHash, randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { conflict, forbidden, invalidInput, notFound, problem, unauthenticated } from "../core/errors.js";
import { hintOf, type RecoveryChannel } from "../core/recovery-address.js";
import { composeRecoveryNotice, type RecoveryNotice } from "../core/recovery-mail.js";
import { composeRecoveryNoticeSms } from "../core/recovery-sms.js";
import type { Keyring } from "../crypto/keyring.js";
import type { AccountRecoveryRecord } from "../store/recovery-methods.js";
import type { Repositories } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { Actor, RequestOrigin } from "./actor.js";
import type { AuditActor, AuditLog } from "./audit-log.js";
import type { RecoveryCodeAttempts, SentCode } from "./recovery-code-attempts.js";
import { methodAddressBinding } from "./recovery-method.js";
import type { SecondFactorThrottle } from "./second-factor-throttle.js";
import { CHALLENGE_TOKEN_PREFIX, type SignInClient } from "./sign-in-challenges.js";

export interface RecoveryView extends AccountRecoveryRecord {
  readonly username: string;
  /** Approved, or its waiting period over: the user may finish it. */
  readonly isReady: boolean;
}

export interface RecoveryStatus {
  readonly method: { readonly channel: RecoveryChannel; readonly hint: string } | undefined;
  readonly recovery: RecoveryView | undefined;
}

export interface AccountRecoveryService {
  /** What the second step of this sign-in may do about lost factors. */
  status(challengeToken: string | undefined, client: SignInClient): Promise<RecoveryStatus>;
  /** Sends a code to the recovery method (again: the code before is superseded). */
  start(challengeToken: string | undefined, client: SignInClient, origin: RequestOrigin): Promise<SentCode & { channel: RecoveryChannel; hint: string }>;
  /** The code, with the attempt's token: opens the recovery and tells the user and the administrators. */
  confirm(challengeToken: string | undefined, client: SignInClient, attemptToken: string, code: string, origin: RequestOrigin): Promise<RecoveryView>;
  /** Finishes a ready recovery: factors removed, sessions ended, the challenge used; the caller starts a session. */
  complete(challengeToken: string | undefined, client: SignInClient, origin: RequestOrigin): Promise<UserRecord>;
  /** Administrators: recoveries waiting for a decision or ready. */
  list(actor: Actor): Promise<RecoveryView[]>;
  approve(actor: Actor, id: string): Promise<RecoveryView>;
  deny(actor: Actor, id: string): Promise<RecoveryView>;
  /** Resolves once the notices sent so far are done (tests); replies never wait for them. */
  noticesSettled(): Promise<void>;
}

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function createAccountRecoveryService(deps: {
  store: Pick<Repositories, "recoveryMethods" | "users" | "signInChallenges">;
  keyring: Pick<Keyring, "open">;
  attempts: RecoveryCodeAttempts;
  auditLog: AuditLog;
  clock: Clock;
  waitHours: number;
  /** Where the notices link to; without it they name no link. */
  publicUrl: string | undefined;
  throttle?: Pick<SecondFactorThrottle, "check" | "recordFailure">;
}): AccountRecoveryService {
  const { store, keyring, attempts, auditLog, clock, throttle } = deps;
  const waitMs = deps.waitHours * 60 * 60 * 1000;
  const pending = new Set<Promise<void>>();
  const targetOf = (user: Pick<UserRecord, "id" | "username">) => ({ type: "user" as const, id: user.id, name: user.username });
  const actorOf = (user: UserRecord, origin: RequestOrigin): AuditActor => ({ kind: "user", userId: user.id, username: user.username, origin });
  const viewOf = (record: AccountRecoveryRecord, username: string): RecoveryView => ({
    ...record,
    username,
    isReady: record.status === "approved" || (record.status === "pending" && record.readyAt <= clock.now()),
  });

  /** The user of an open second step: its token, for the right client, not used, not expired. */
  async function challengeUser(token: string | undefined, client: SignInClient): Promise<{ user: UserRecord; tokenHash: string }> {
    const invalid = unauthenticated(problem("sign_in_challenge_invalid"));
    if (token === undefined || !token.startsWith(CHALLENGE_TOKEN_PREFIX) || token.length > 100) throw invalid;
    const tokenHash = hashToken(token);
    const found = await store.signInChallenges.findChallenge(tokenHash);
    if (found === undefined || found.client !== client || found.consumedAt !== null || found.expiresAt <= clock.now()) throw invalid;
    const user = await store.users.findUserById(found.userId);
    if (user === undefined || user.disabledAt !== null) throw invalid;
    return { user, tokenHash };
  }

  async function methodOf(user: UserRecord): Promise<{ channel: RecoveryChannel; address: string } | undefined> {
    const method = await store.recoveryMethods.findMethod(user.id);
    if (method === undefined) return undefined;
    const address = keyring.open(method.addressSealed, methodAddressBinding(user.id));
    try {
      return { channel: method.channel, address: address.revealUtf8() };
    } finally {
      address.destroy();
    }
  }

  /** Tells the user (their account address and their recovery method) or the administrators; never awaited by a reply. */
  function tell(notice: RecoveryNotice, user: UserRecord, recovery: AccountRecoveryRecord): void {
    const work = (async () => {
      const facts = (recipient: UserRecord) => ({ recipientName: recipient.displayName || recipient.username, username: user.username, readyAt: new Date(recovery.readyAt), link: deps.publicUrl ?? "" });
      if (notice === "requested_admin") {
        const admins = (await store.users.listUsers()).filter((u) => u.role === "admin" && u.disabledAt === null && u.email !== null && u.id !== user.id);
        await Promise.all(admins.map((admin) => attempts.notify("email", admin.email!, { mail: composeRecoveryNotice(notice, admin.language ?? "en", facts(admin)) })));
        return;
      }
      const language = user.language ?? "en";
      const message = { mail: composeRecoveryNotice(notice, language, facts(user)), sms: composeRecoveryNoticeSms(notice, language, new Date(recovery.readyAt)) };
      const method = await methodOf(user);
      const sends: Promise<boolean>[] = [];
      if (user.email !== null) sends.push(attempts.notify("email", user.email, message));
      if (method !== undefined && !(method.channel === "email" && method.address === user.email) && attempts.isAvailable(method.channel)) sends.push(attempts.notify(method.channel, method.address, message));
      await Promise.all(sends);
    })().catch(() => undefined);
    pending.add(work);
    void work.finally(() => pending.delete(work));
  }

  async function decide(actor: Actor, id: string, to: "approved" | "denied"): Promise<RecoveryView> {
    if (actor.role !== "admin") throw forbidden(problem("recovery_decide_forbidden"));
    const found = await store.recoveryMethods.findRecovery(id);
    if (found === undefined || (found.status !== "pending" && !(to === "denied" && found.status === "approved"))) throw notFound(problem("recovery_not_found"));
    const user = await store.users.findUserById(found.userId);
    if (user === undefined) throw notFound(problem("recovery_not_found"));
    const now = clock.now();
    await auditLog.commit(actor, {
      work: async (tx) => {
        if (!(await tx.recoveryMethods.decideRecovery(id, to === "approved" ? ["pending"] : ["pending", "approved"], to, actor.userId, now))) throw notFound(problem("recovery_not_found"));
      },
      events: () => [{ action: to === "approved" ? "user.recovery_approved" : "user.recovery_denied", target: targetOf(user), details: { recoveryId: id } }],
    });
    const decided = (await store.recoveryMethods.findRecovery(id))!;
    tell(to, user, decided);
    return viewOf(decided, user.username);
  }

  return {
    async status(challengeToken, client) {
      const { user } = await challengeUser(challengeToken, client);
      const method = await methodOf(user);
      const open = await store.recoveryMethods.findOpenRecoveryOfUser(user.id);
      return { method: method === undefined ? undefined : { channel: method.channel, hint: hintOf(method.channel, method.address) }, recovery: open === undefined ? undefined : viewOf(open, user.username) };
    },

    async start(challengeToken, client, origin) {
      const { user } = await challengeUser(challengeToken, client);
      const method = await methodOf(user);
      if (method === undefined) throw conflict(problem("recovery_method_missing"));
      if ((await store.recoveryMethods.findOpenRecoveryOfUser(user.id)) !== undefined) throw conflict(problem("recovery_already_open"));
      await throttle?.check(user.id, origin);
      const sent = await attempts.send(user.id, "recovery", method.channel, method.address, user.language ?? "en");
      await auditLog.commit(actorOf(user, origin), { events: () => [{ action: "user.recovery_code_sent", target: targetOf(user), details: { purpose: "recovery", channel: method.channel, attemptId: sent.attemptId } }] });
      return { ...sent, channel: method.channel, hint: hintOf(method.channel, method.address) };
    },

    async confirm(challengeToken, client, attemptToken, code, origin) {
      const { user } = await challengeUser(challengeToken, client);
      await throttle?.check(user.id, origin);
      const verdict = await attempts.verify(user.id, "recovery", attemptToken, code);
      if (!verdict.ok) {
        await throttle?.recordFailure(user.id, origin);
        await auditLog.commit(actorOf(user, origin), { events: () => [{ action: "user.recovery_requested", outcome: "failure", reason: verdict.reason, target: targetOf(user), details: { attemptId: verdict.attemptId } }] });
        throw invalidInput(verdict.reason === "too_many_attempts" ? problem("recovery_code_attempts_exhausted") : problem("recovery_code_wrong", { count: verdict.left }), "code");
      }
      const now = clock.now();
      const record: AccountRecoveryRecord = { id: randomUUID(), userId: user.id, status: "pending", channel: verdict.attempt.channel, requestedAt: now, readyAt: now + waitMs, decidedBy: null, decidedAt: null, completedAt: null };
      await auditLog.commit(actorOf(user, origin), {
        work: async (tx) => {
          if ((await tx.recoveryMethods.findOpenRecoveryOfUser(user.id)) !== undefined) throw conflict(problem("recovery_already_open"));
          await tx.recoveryMethods.insertRecovery(record);
        },
        events: () => [{ action: "user.recovery_requested", target: targetOf(user), details: { recoveryId: record.id, attemptId: verdict.attempt.id, channel: record.channel, readyAt: new Date(record.readyAt).toISOString() } }],
      });
      tell("requested", user, record);
      tell("requested_admin", user, record);
      return viewOf(record, user.username);
    },

    async complete(challengeToken, client, origin) {
      const { user, tokenHash } = await challengeUser(challengeToken, client);
      const open = await store.recoveryMethods.findOpenRecoveryOfUser(user.id);
      if (open === undefined) throw notFound(problem("recovery_not_found"));
      if (!viewOf(open, user.username).isReady) throw conflict(problem("recovery_not_ready"));
      const now = clock.now();
      await auditLog.commit(actorOf(user, origin), {
        work: async (tx) => {
          if (!(await tx.recoveryMethods.decideRecovery(open.id, ["pending", "approved"], "completed", null, now))) throw notFound(problem("recovery_not_found"));
          if (!(await tx.signInChallenges.consumeChallenge(tokenHash, now))) throw unauthenticated(problem("sign_in_challenge_invalid"));
          const factors = await tx.userFactors.listFactorsOfUser(user.id);
          for (const factor of factors) await tx.userFactors.deleteFactor(factor.id);
          const passkeys = await tx.passkeys.listPasskeysOfUser(user.id);
          for (const passkey of passkeys) await tx.passkeys.deletePasskey(user.id, passkey.id);
          await tx.signInRecoveryCodes.replaceSet(user.id, [], now);
          // ASVS 5.0 7.4.3: a factor change ends every session (and CLI token) of the user.
          const sessions = await tx.sessions.deleteSessionsOfUser(user.id);
          return { factors: factors.length, passkeys: passkeys.length, sessions };
        },
        events: (result) => [{ action: "user.recovery_completed", target: targetOf(user), details: { recoveryId: open.id, approved: open.status === "approved", factorsRemoved: result.factors, passkeysRemoved: result.passkeys, sessionsEnded: result.sessions } }],
      });
      tell("completed", user, open);
      return user;
    },

    async list(actor) {
      if (actor.role !== "admin") throw forbidden(problem("recovery_decide_forbidden"));
      const records = await store.recoveryMethods.listRecoveries(["pending", "approved"]);
      const users = new Map((await store.users.listUsers()).map((u) => [u.id, u.username]));
      return records.map((record) => viewOf(record, users.get(record.userId) ?? record.userId));
    },

    approve: (actor, id) => decide(actor, id, "approved"),
    deny: (actor, id) => decide(actor, id, "denied"),

    async noticesSettled() {
      await Promise.all([...pending]);
    },
  };
}
