// "Sudo mode" (ASVS 5.0 7.5): before a sensitive change the session proves its password, and its
// second factor when the user has one, again — or one of the user's passkeys instead of the
// password (alone when it verified the person, as at passkey sign-in; else with a second factor);
// for a few minutes (WATCHWORD_SUDO_MINUTES) the session may then make such changes. A browser
// session gets a new id at that moment.
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Clock } from "../core/clock.js";
import { forbidden, invalidInput, isWatchwordError, problem, tooManyRequests } from "../core/errors.js";
import type { Secret } from "../core/secret.js";
import { judgeAccount } from "../core/sign-in-throttle.js";
import type { Repositories } from "../store/store.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { claimsUserVerification } from "./passkey-ceremonies.js";
import type { PasskeySignInService } from "./passkey-sign-in.js";
import { reauthenticationBindingOf, type PushApprovalService, type PushStatus } from "./push-approvals.js";
import { verifyPassword } from "./passwords.js";
import type { PreparedSubmission, SecondFactors, SecondFactorSubmission } from "./second-factors.js";
import { renewedSession, type IssuedSession } from "./sessions.js";

export interface Reauthenticated {
  readonly until: number;
  /** A browser session's new id (cookie and CSRF token); undefined for a bearer token, which stays. */
  readonly renewed: IssuedSession | undefined;
}

export interface ReauthenticationService {
  reauthenticate(actor: Actor, password: Secret, submission: SecondFactorSubmission | undefined): Promise<Reauthenticated>;
  /** Throws 403 reauthentication_required unless the actor's session re-authenticated within the window. */
  requireRecent(actor: Actor): Promise<void>;
  /**
   * Push approval as the second factor: after the password (counted like a wrong one at the
   * reauthenticate step), a request to the user's devices bound to this session; the number to show.
   * Then POST reauthenticate with method push once the device approved it.
   */
  requestPush(actor: Actor, password: Secret, deviceToken?: string | undefined): Promise<{ readonly number: number; readonly expiresAt: number }>;
  /** What became of the session's latest push request (poll it while the number is shown). */
  pushStatus(actor: Actor): Promise<{ readonly status: PushStatus; readonly expiresAt: number }>;
  /** WebAuthn options for re-authenticating with a passkey as the second factor, their challenge bound to this session. */
  passkeyOptions(actor: Actor): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** WebAuthn options for re-authenticating with a passkey instead of the password, their challenge bound to this session. */
  passkeyFirstOptions(actor: Actor): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /**
   * A passkey instead of the password. With user verification (PIN, biometrics) it is both
   * factors, as passkey sign-in is; without, `submission` must carry another second factor (an
   * app's code or a recovery code), else 400 second_factor_required before the challenge is used.
   */
  reauthenticateWithPasskey(actor: Actor, credential: AuthenticationResponseJSON, submission: SecondFactorSubmission | undefined): Promise<Reauthenticated>;
}

/** Second factors that may follow a passkey which did not verify the person (push needs the password to be sent). */
const AFTER_PASSKEY = ["totp", "recovery_code"];

/** What a passkey's challenge is bound to when it re-authenticates a session. */
const bindingOf = (actor: Actor): string => `session:${actor.sessionId}`;

export function createReauthenticationService(deps: {
  store: Pick<Repositories, "users" | "sessions" | "signInFailures">;
  secondFactors: SecondFactors;
  auditLog: AuditLog;
  clock: Clock;
  sudoMinutes: number;
  passkeySignIn?: Pick<PasskeySignInService, "secondFactorOptions" | "reauthenticationOptions" | "verifyReauthenticationAssertion">;
  push?: Pick<PushApprovalService, "requestForSession" | "statusForSession">;
}): ReauthenticationService {
  const { store, secondFactors, auditLog, clock } = deps;
  const windowMs = deps.sudoMinutes * 60 * 1000;
  const target = (actor: Actor) => ({ type: "user" as const, id: actor.userId, name: actor.username });
  const fail = async (actor: Actor, reason: string, outcome: "failure" | "denied" = "failure"): Promise<void> => {
    await auditLog.commit(actor, { events: () => [{ action: "user.reauthenticated", outcome, reason, target: target(actor) }] });
  };

  /** The actor's user, unless sign-in throttling says to wait (audited). */
  const openUser = async (actor: Actor) => {
    const user = await store.users.findUserById(actor.userId);
    if (user === undefined) throw forbidden(problem("sign_in_required"));
    const verdict = judgeAccount(await store.signInFailures.readFailures("account", user.username), clock.now());
    if (!verdict.allowed) {
      await fail(actor, "throttled", "denied");
      throw tooManyRequests(verdict.locked ? problem("account_locked") : problem("sign_in_throttled", { count: verdict.retryAfterSeconds }), verdict.retryAfterSeconds);
    }
    return user;
  };

  return {
    async requestPush(actor, password, deviceToken) {
      const user = await openUser(actor);
      if (deps.push === undefined || !(await secondFactors.methodsOf(user.id)).includes("push")) throw invalidInput(problem("second_factor_method_unavailable", { method: "push" }), "method");
      if (!(await verifyPassword(user.passwordHash, password))) {
        await store.signInFailures.recordFailure("account", user.username, clock.now());
        await fail(actor, "wrong_password");
        throw invalidInput(problem("current_password_wrong"), "password");
      }
      const sent = await deps.push.requestForSession(actor, deviceToken);
      return { number: sent.number, expiresAt: sent.expiresAt };
    },

    async pushStatus(actor) {
      if (deps.push === undefined) throw invalidInput(problem("second_factor_method_unavailable", { method: "push" }), "method");
      return deps.push.statusForSession(actor);
    },

    async reauthenticate(actor, password, submission) {
      const user = await openUser(actor);
      const now = clock.now();
      const methods = await secondFactors.methodsOf(user.id);
      // Shapes first (400, nothing counted), then the password, then the factor.
      // Push approval answers the request this session sent (requestPush), nothing else.
      const bound = submission?.method === "push" ? { ...submission, challengeHash: reauthenticationBindingOf(actor.sessionId) } : submission;
      const prepared = methods.length === 0 ? undefined : bound?.method === undefined ? undefined : await secondFactors.prepare(user.id, bound, { origin: actor.origin, binding: bindingOf(actor) });
      if (methods.length > 0 && prepared === undefined) throw invalidInput(problem("second_factor_required"), "method");
      if (!(await verifyPassword(user.passwordHash, password))) {
        await store.signInFailures.recordFailure("account", user.username, now);
        await fail(actor, "wrong_password");
        throw invalidInput(problem("current_password_wrong"), "password");
      }
      if (prepared !== undefined) await verifyFactor(actor, user.username, prepared);
      return openWindow(actor, { secondFactor: prepared?.method ?? null });
    },

    async reauthenticateWithPasskey(actor, credential, submission) {
      const user = await openUser(actor);
      if (deps.passkeySignIn === undefined) throw invalidInput(problem("second_factor_method_unavailable", { method: "passkey" }), "method");
      // Shapes first (400, nothing counted, the challenge still unused): a key that did not verify
      // the person needs a second factor beside it, and the person is asked for it.
      let claimsVerification: boolean;
      try {
        claimsVerification = claimsUserVerification(credential.response.authenticatorData);
      } catch {
        throw invalidInput(problem("passkey_response_invalid"), "credential");
      }
      let prepared: PreparedSubmission | undefined;
      if (!claimsVerification) {
        const others = (await secondFactors.methodsOf(user.id)).filter((method) => AFTER_PASSKEY.includes(method));
        if (submission === undefined) throw invalidInput(problem(others.length === 0 ? "passkey_reauthentication_needs_verification" : "second_factor_required"), others.length === 0 ? "credential" : "method");
        if (!AFTER_PASSKEY.includes(submission.method)) throw invalidInput(problem("second_factor_method_unavailable", { method: String(submission.method).slice(0, 40) }), "method");
        prepared = await secondFactors.prepare(user.id, submission, { origin: actor.origin, binding: bindingOf(actor) });
      }
      let used;
      try {
        used = await deps.passkeySignIn.verifyReauthenticationAssertion(user.id, bindingOf(actor), credential, actor.origin);
      } catch (error) {
        // The passkey service counted and audited the refusal (user.passkey_used); a throttle is its own event.
        if (isWatchwordError(error) && error.code !== "too_many_requests") await fail(actor, "passkey_refused");
        throw error;
      }
      if (!used.isUserVerified && prepared === undefined) throw invalidInput(problem("second_factor_required"), "method");
      if (!used.isUserVerified && prepared !== undefined) await verifyFactor(actor, user.username, prepared);
      return openWindow(actor, { firstFactor: "passkey", passkeyId: used.passkeyId, isUserVerified: used.isUserVerified, secondFactor: used.isUserVerified ? "passkey" : (prepared?.method ?? null) });
    },

    async passkeyFirstOptions(actor) {
      const options = (await secondFactors.methodsOf(actor.userId)).includes("passkey") ? await deps.passkeySignIn?.reauthenticationOptions(actor.userId, bindingOf(actor)) : undefined;
      if (options === undefined) throw invalidInput(problem("second_factor_method_unavailable", { method: "passkey" }), "method");
      return options;
    },

    async passkeyOptions(actor) {
      const options = (await secondFactors.methodsOf(actor.userId)).includes("passkey") ? await deps.passkeySignIn?.secondFactorOptions(actor.userId, bindingOf(actor)) : undefined;
      if (options === undefined) throw invalidInput(problem("second_factor_method_unavailable", { method: "passkey" }), "method");
      return options;
    },

    async requireRecent(actor) {
      const session = await store.sessions.findSession(actor.sessionId);
      const at = session?.reauthenticatedAt ?? null;
      if (at === null || clock.now() - at >= windowMs) throw forbidden(problem("reauthentication_required"));
    },
  };

  /** Checks the second factor; a refusal is counted like a wrong password (except push not yet approved) and audited. */
  async function verifyFactor(actor: Actor, username: string, prepared: PreparedSubmission): Promise<void> {
    const factor = await prepared.verify();
    if (factor.ok) return;
    // Push not approved (yet) guessed nothing: it is not counted as a failed attempt.
    if (factor.reason === "not_approved") {
      await fail(actor, factor.reason, "denied");
      throw invalidInput(problem("push_not_approved"), "method");
    }
    await store.signInFailures.recordFailure("account", username, clock.now());
    await fail(actor, factor.reason, factor.reason === "replayed_code" ? "denied" : "failure");
    if (factor.refusal !== undefined) throw factor.refusal;
    throw invalidInput(problem(factor.reason === "replayed_code" ? "second_factor_code_replayed" : "second_factor_code_incorrect"), "code");
  }

  /** Opens the window for the actor's session (a browser's gets a new id), audited with how it proved itself. */
  async function openWindow(actor: Actor, details: Record<string, string | boolean | null>): Promise<Reauthenticated> {
    const at = clock.now();
    const renewed = await auditLog.commit(actor, {
      work: async (tx) => {
        const session = await tx.sessions.findSession(actor.sessionId);
        if (session === undefined) throw forbidden(problem("sign_in_required"));
        if (session.kind !== "browser") {
          await tx.sessions.markReauthenticated(session.idHash, at);
          return undefined;
        }
        // A new session id at every privilege change (ASVS 5.0 7.2.4).
        const renewal = renewedSession({ ...session, reauthenticatedAt: at }, at);
        await tx.sessions.deleteSession(session.idHash);
        await tx.sessions.insertSession(renewal.record);
        return renewal.issued;
      },
      events: () => [{ action: "user.reauthenticated", target: target(actor), details }],
    });
    return { until: at + windowMs, renewed };
  }
}
