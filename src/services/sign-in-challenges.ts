// The second step of a sign-in: a challenge opened once the password was right, answered with a
// second factor. It lives 5 minutes, is used once, is bound to the client (browser cookie or CLI
// token) of the sign-in that opened it, and ends after 5 codes. Every answer is audited.
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { invalidInput, problem, unauthenticated, type WatchwordError } from "../core/errors.js";
import type { SignInChallengeRecord, SignInChallengeStore } from "../store/sign-in-challenges.js";
import type { UserRecord, UserStore } from "../store/users.js";
import type { PasswordSignIn } from "./accounts.js";
import type { RequestOrigin } from "./actor.js";
import type { PasskeySignInService } from "./passkey-sign-in.js";
import type { SecondFactorThrottle } from "./second-factor-throttle.js";
import type { AuditActor, AuditLog } from "./audit-log.js";
import { hashDeviceToken } from "./device-tokens.js";
import type { SecondFactorMethod, SecondFactors, SecondFactorSubmission } from "./second-factors.js";

export const CHALLENGE_TOKEN_PREFIX = "ww_c_";
export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
export const MAX_CHALLENGE_ATTEMPTS = 5;

export type SignInClient = "browser" | "cli";

export interface OpenedChallenge {
  /** For the cookie or the CLI's reply: shown once, stored only as its SHA-256. */
  readonly token: string;
  readonly expiresAt: number;
  readonly methods: readonly SecondFactorMethod[];
}

export interface SignInChallengeService {
  open(signIn: PasswordSignIn, client: SignInClient, methods: readonly SecondFactorMethod[]): Promise<OpenedChallenge>;
  /**
   * Answers the challenge; on success it is used up and the caller starts the session. The device
   * token the client presents again is kept when it is the one the first step recognised.
   */
  complete(token: string | undefined, client: SignInClient, submission: SecondFactorSubmission, origin: RequestOrigin, deviceToken: string | undefined): Promise<PasswordSignIn & { readonly method: SecondFactorMethod }>;
  /** WebAuthn options for answering an open challenge with a passkey, their challenge bound to this sign-in; 401 for a challenge that ended. */
  passkeyOptions(token: string | undefined, client: SignInClient): Promise<PublicKeyCredentialRequestOptionsJSON>;
}

/** What a passkey's challenge is bound to when it answers the second step of a sign-in. */
const bindingOf = (tokenHash: string): string => `sign-in:${tokenHash}`;

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
/** What a challenge is stored as, and what other rows bound to it (push requests) name it by. */
export const challengeHashOf = hashToken;
const INVALID = problem("sign_in_challenge_invalid");

export function createSignInChallengeService(deps: {
  challenges: SignInChallengeStore;
  users: Pick<UserStore, "findUserById">;
  secondFactors: SecondFactors;
  auditLog: AuditLog;
  clock: Clock;
  /** Second-factor failures counted per account and address in the database (second-factor-throttle.ts). */
  throttle?: Pick<SecondFactorThrottle, "check" | "recordFailure" | "clear">;
  passkeySignIn?: Pick<PasskeySignInService, "secondFactorOptions">;
}): SignInChallengeService {
  const { challenges, users, secondFactors, auditLog, clock, throttle } = deps;

  /** The open challenge behind a token and its user, or 401: unknown, another client's, used, expired, exhausted, a disabled user. */
  async function openChallengeOf(token: string | undefined, client: SignInClient): Promise<{ tokenHash: string; found: SignInChallengeRecord; user: UserRecord }> {
    if (token === undefined || !token.startsWith(CHALLENGE_TOKEN_PREFIX) || token.length > 100) throw unauthenticated(INVALID);
    const tokenHash = hashToken(token);
    const found = await challenges.findChallenge(tokenHash);
    // A browser's challenge cannot be answered as a CLI's, nor the other way round.
    if (found === undefined || found.client !== client) throw unauthenticated(INVALID);
    const user = await users.findUserById(found.userId);
    if (user === undefined || user.disabledAt !== null) throw unauthenticated(INVALID);
    return { tokenHash, found, user };
  }

  const actorOf = (user: UserRecord, origin: RequestOrigin): AuditActor => ({ kind: "user", userId: user.id, username: user.username, origin });
  const targetOf = (user: UserRecord) => ({ type: "user" as const, id: user.id, name: user.username });

  async function refuse(user: UserRecord, origin: RequestOrigin, outcome: "failure" | "denied", reason: string, error: WatchwordError, method?: string): Promise<never> {
    await auditLog.commit(actorOf(user, origin), {
      events: () => [{ action: "user.second_factor_failed", outcome, reason, target: targetOf(user), ...(method === undefined ? {} : { details: { method } }) }],
    });
    throw error;
  }

  return {
    async open(signIn, client, methods) {
      const now = clock.now();
      const token = CHALLENGE_TOKEN_PREFIX + randomBytes(32).toString("base64url");
      const expiresAt = now + CHALLENGE_LIFETIME_MS;
      await challenges.deleteExpiredChallenges(now);
      await challenges.insertChallenge({
        tokenHash: hashToken(token),
        userId: signIn.user.id,
        client,
        createdAt: now,
        expiresAt,
        deviceTokenHash: signIn.keptDeviceToken === undefined ? null : hashDeviceToken(signIn.keptDeviceToken),
        failuresFromOtherDevices: signIn.failuresFromOtherDevices,
        isLockedForOtherDevices: signIn.isLockedForOtherDevices,
      });
      return { token, expiresAt, methods };
    },

    async passkeyOptions(token, client) {
      const { tokenHash, found, user } = await openChallengeOf(token, client);
      if (found.consumedAt !== null || found.expiresAt <= clock.now() || found.attempts >= MAX_CHALLENGE_ATTEMPTS) throw unauthenticated(INVALID);
      const options = deps.passkeySignIn === undefined ? undefined : await deps.passkeySignIn.secondFactorOptions(user.id, bindingOf(tokenHash));
      if (options === undefined || !(await secondFactors.methodsOf(user.id)).includes("passkey")) throw invalidInput(problem("second_factor_method_unavailable", { method: "passkey" }), "method");
      return options;
    },

    async complete(token, client, submission, origin, deviceToken) {
      const { tokenHash, found, user } = await openChallengeOf(token, client);
      // Malformed input is refused before an attempt is counted: nothing changes (400).
      const prepared = await secondFactors.prepare(user.id, { ...submission, challengeHash: tokenHash }, { origin, binding: bindingOf(tokenHash) });
      // Per account and per address across challenges and nodes: a known password cannot buy
      // endless challenges of 5 guesses each (429 with Retry-After, audited by the throttle).
      await throttle?.check(user.id, origin);
      const now = clock.now();
      const claimed = await challenges.claimAttempt(tokenHash, now, MAX_CHALLENGE_ATTEMPTS);
      if (claimed === undefined) return refuse(user, origin, "denied", endedReason(found, now), unauthenticated(found.attempts >= MAX_CHALLENGE_ATTEMPTS ? problem("second_factor_attempts_exhausted") : INVALID), prepared.method);
      const verdict = await prepared.verify();
      if (!verdict.ok) {
        await throttle?.recordFailure(user.id, origin);
        const left = MAX_CHALLENGE_ATTEMPTS - claimed.attempts;
        if (left <= 0) await challenges.consumeChallenge(tokenHash, clock.now());
        if (verdict.reason === "not_approved") return refuse(user, origin, "denied", "push_not_approved", unauthenticated(left <= 0 ? problem("second_factor_attempts_exhausted") : problem("push_not_approved")), prepared.method);
        if (verdict.refusal !== undefined) return refuse(user, origin, "failure", verdict.reason, verdict.refusal, prepared.method);
        if (verdict.reason === "replayed_code") return refuse(user, origin, "denied", "replayed_code", unauthenticated(problem("second_factor_code_replayed")), prepared.method);
        return refuse(user, origin, "failure", "wrong_code", unauthenticated(left <= 0 ? problem("second_factor_attempts_exhausted") : problem("second_factor_code_wrong", { count: left })), prepared.method);
      }
      await throttle?.clear(user.id);
      // Single use: of two right answers racing, one session starts.
      if (!(await challenges.consumeChallenge(tokenHash, clock.now()))) return refuse(user, origin, "denied", "challenge_used", unauthenticated(INVALID), prepared.method);
      const isSameDevice = deviceToken !== undefined && claimed.deviceTokenHash !== null && hashDeviceToken(deviceToken) === claimed.deviceTokenHash;
      const result = {
        user,
        method: prepared.method,
        keptDeviceToken: isSameDevice ? deviceToken : undefined,
        failuresFromOtherDevices: claimed.failuresFromOtherDevices,
        isLockedForOtherDevices: claimed.isLockedForOtherDevices,
      };
      await auditLog.commit(actorOf(user, origin), {
        events: () => [{ action: "user.signed_in", target: targetOf(user), details: { secondFactor: prepared.method, factorId: verdict.factorId, knownDevice: isSameDevice, failuresFromOtherDevices: claimed.failuresFromOtherDevices } }],
      });
      return result;
    },
  };
}

function endedReason(challenge: SignInChallengeRecord, now: number): string {
  if (challenge.consumedAt !== null) return challenge.attempts >= MAX_CHALLENGE_ATTEMPTS ? "too_many_attempts" : "challenge_used";
  if (challenge.expiresAt <= now) return "challenge_expired";
  return "too_many_attempts";
}
