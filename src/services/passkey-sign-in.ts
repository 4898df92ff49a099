// Signing in with a passkey: alone (a discoverable credential with user verification, its challenge
// bound to the browser that asked), or as the second factor after a password (the challenge bound
// to that sign-in attempt, the user's own keys only). Failures are throttled per address and per
// account like wrong passwords, and audited with their reason; the caller hears one sentence.
import { generateAuthenticationOptions, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Clock } from "../core/clock.js";
import type { WebAuthnConfig } from "../config.js";
import { problem, tooManyRequests, unauthenticated, invalidInput, type WatchwordError } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import { IP_FORGET_MS, judgeAccount, judgeIp, type ThrottleVerdict } from "../core/sign-in-throttle.js";
import type { PasskeyRecord } from "../store/passkeys.js";
import type { Repositories } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { RequestOrigin } from "./actor.js";
import type { AuditActor, AuditLog } from "./audit-log.js";
import { checkAssertion, consumeChallenge, PasskeyRefusal, storeChallenge, CHALLENGE_LIFETIME_MS, type AssertionFailure } from "./passkey-ceremonies.js";
import { requireRelyingParty } from "./passkeys.js";

export interface PasskeySignIn {
  readonly user: UserRecord;
  readonly passkeyId: string;
}

/** A second factor proved with one of the user's passkeys. */
export interface PasskeySecondFactor {
  readonly passkeyId: string;
  readonly name: string;
}

/** A passkey that stood in for the password; with user verification it is both factors, as at sign-in. */
export interface PasskeyReauthentication extends PasskeySecondFactor {
  readonly isUserVerified: boolean;
}

export interface PasskeySignInService {
  /** Options for a passkey-only sign-in: no allowCredentials (the browser offers its discoverable ones), user verification required. */
  signInOptions(browserBinding: string): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** Checks the assertion and answers whose it is; throws unauthenticated, invalid_input or too_many_requests. Audited as user.signed_in. */
  verifySignIn(browserBinding: string, response: AuthenticationResponseJSON, origin: RequestOrigin): Promise<PasskeySignIn>;
  /**
   * Options for the second step of a password sign-in: allowCredentials = the user's passkeys
   * (undefined when they have none), the challenge bound to `challengeBinding` (the pending
   * sign-in's id, a secret only that browser holds).
   */
  secondFactorOptions(userId: UserId, challengeBinding: string): Promise<PublicKeyCredentialRequestOptionsJSON | undefined>;
  /** Checks a second-factor assertion of `userId`'s own passkey; throws as verifySignIn does. Audited as user.passkey_used. */
  verifySecondFactorAssertion(userId: UserId, challengeBinding: string, response: AuthenticationResponseJSON, origin: RequestOrigin): Promise<PasskeySecondFactor>;
  /**
   * Options for re-authenticating with a passkey instead of the password: the user's own keys,
   * user verification preferred (with it the key is both factors), the challenge bound to the session.
   * Undefined when the user has no passkey.
   */
  reauthenticationOptions(userId: UserId, sessionBinding: string): Promise<PublicKeyCredentialRequestOptionsJSON | undefined>;
  /** Checks such an assertion of `userId`'s own passkey and says whether it verified the person; throws as verifySignIn does. Audited as user.passkey_used. */
  verifyReauthenticationAssertion(userId: UserId, sessionBinding: string, response: AuthenticationResponseJSON, origin: RequestOrigin): Promise<PasskeyReauthentication>;
}

const FAILED = problem("passkey_sign_in_failed");

/** What the caller hears for each reason: a stale challenge and a cloned key are worth telling; the rest is one sentence. */
function refusalOf(reason: AssertionFailure): WatchwordError {
  if (reason === "challenge_invalid") return invalidInput(problem("passkey_challenge_invalid"));
  if (reason === "response_invalid") return invalidInput(problem("passkey_response_invalid"));
  if (reason === "counter_went_back") return unauthenticated(problem("passkey_counter_went_back"));
  return unauthenticated(FAILED);
}

function refuseWhenThrottled(verdict: ThrottleVerdict): void {
  if (verdict.allowed) return;
  throw tooManyRequests(verdict.locked ? problem("account_locked") : problem("sign_in_throttled", { count: verdict.retryAfterSeconds }), verdict.retryAfterSeconds);
}

export function createPasskeySignInService(deps: {
  store: Pick<Repositories, "passkeys" | "users" | "signInFailures">;
  auditLog: AuditLog;
  clock: Clock;
  relyingParty: WebAuthnConfig | undefined;
}): PasskeySignInService {
  const { store, auditLog, clock } = deps;

  const actorOf = (user: UserRecord | undefined, origin: RequestOrigin): AuditActor =>
    user === undefined ? { kind: "anonymous", userId: null, username: "", origin } : { kind: "user", userId: user.id, username: user.username, origin };

  async function recordFailure(user: UserRecord | undefined, origin: RequestOrigin): Promise<void> {
    const now = clock.now();
    const ipHistory = await store.signInFailures.readFailures("ip", origin.ip);
    if (ipHistory !== undefined && now - ipHistory.lastFailureAt > IP_FORGET_MS) await store.signInFailures.clearFailures("ip", origin.ip);
    await store.signInFailures.recordFailure("ip", origin.ip, now);
    if (user !== undefined) await store.signInFailures.recordFailure("account", user.username, now);
  }

  /**
   * One assertion, start to end: throttle, use the challenge, find the key and its user, check
   * it. Every refusal is audited under `action` and counted; nothing else changes.
   */
  async function assert(
    action: "user.signed_in" | "user.passkey_used",
    binding: string,
    response: AuthenticationResponseJSON,
    origin: RequestOrigin,
    expected: { purpose: "authentication" | "second_factor" | "reauthentication"; userId: UserId | undefined; requireUserVerification: boolean },
  ): Promise<{ user: UserRecord; passkey: PasskeyRecord; isUserVerified: boolean }> {
    const relyingParty = requireRelyingParty(deps.relyingParty);
    let user: UserRecord | undefined = expected.userId === undefined ? undefined : await store.users.findUserById(expected.userId);
    const facts = (target: UserRecord | undefined) => ({ action, ...(target === undefined ? {} : { target: { type: "user" as const, id: target.id, name: target.username } }) });
    try {
      const now = clock.now();
      refuseWhenThrottled(judgeIp(await store.signInFailures.readFailures("ip", origin.ip), now));
      if (user !== undefined) refuseWhenThrottled(judgeAccount(await store.signInFailures.readFailures("account", user.username), now));
    } catch (error) {
      await auditLog.commit(actorOf(user, origin), { events: () => [{ ...facts(user), outcome: "denied", reason: "sign_in_throttled", details: { method: "passkey" } }] });
      throw error;
    }
    try {
      const challenge = await consumeChallenge(store.passkeys, clock, response.response.clientDataJSON, expected.purpose, binding);
      if ((challenge.userId ?? undefined) !== expected.userId) throw new PasskeyRefusal("challenge_invalid");
      const passkey = await store.passkeys.findPasskeyByCredentialId(response.id);
      if (passkey === undefined || (expected.userId !== undefined && passkey.userId !== expected.userId)) throw new PasskeyRefusal("unknown_credential");
      user ??= await store.users.findUserById(passkey.userId);
      if (user === undefined || user.disabledAt !== null) throw new PasskeyRefusal("user_disabled");
      refuseWhenThrottled(judgeAccount(await store.signInFailures.readFailures("account", user.username), clock.now()));
      const { isUserVerified } = await checkAssertion({ passkeys: store.passkeys, clock, relyingParty }, passkey, challenge, response, expected.requireUserVerification);
      await store.signInFailures.clearFailures("account", user.username);
      const signedIn = user;
      await auditLog.commit(actorOf(signedIn, origin), { events: () => [{ ...facts(signedIn), details: { method: "passkey", passkeyId: passkey.id, passkeyName: passkey.name, isUserVerified } }] });
      return { user: signedIn, passkey, isUserVerified };
    } catch (error) {
      if (error instanceof PasskeyRefusal) {
        await recordFailure(user, origin);
        await auditLog.commit(actorOf(user, origin), { events: () => [{ ...facts(user), outcome: "failure", reason: error.reason, details: { method: "passkey" } }] });
        throw refusalOf(error.reason);
      }
      if (typeof error === "object" && error !== null && (error as WatchwordError).code === "too_many_requests") {
        await auditLog.commit(actorOf(user, origin), { events: () => [{ ...facts(user), outcome: "denied", reason: "sign_in_throttled", details: { method: "passkey" } }] });
      }
      throw error;
    }
  }

  /** Options naming the user's own keys (undefined when they have none), the challenge bound to `binding` for `purpose`. */
  async function ownKeyOptions(userId: UserId, binding: string, purpose: "second_factor" | "reauthentication"): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
    const relyingParty = requireRelyingParty(deps.relyingParty);
    const passkeys = await store.passkeys.listPasskeysOfUser(userId);
    if (passkeys.length === 0) return undefined;
    const options = await generateAuthenticationOptions({
      rpID: relyingParty.rpId,
      allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId, transports: [...passkey.transports] })),
      userVerification: "preferred",
      timeout: CHALLENGE_LIFETIME_MS,
    });
    await storeChallenge(store.passkeys, clock, options.challenge, purpose, binding, userId);
    return options;
  }

  return {
    async signInOptions(browserBinding) {
      const relyingParty = requireRelyingParty(deps.relyingParty);
      const options = await generateAuthenticationOptions({ rpID: relyingParty.rpId, userVerification: "required", timeout: CHALLENGE_LIFETIME_MS });
      await storeChallenge(store.passkeys, clock, options.challenge, "authentication", browserBinding, null);
      return options;
    },

    async verifySignIn(browserBinding, response, origin) {
      const { user, passkey } = await assert("user.signed_in", browserBinding, response, origin, { purpose: "authentication", userId: undefined, requireUserVerification: true });
      return { user, passkeyId: passkey.id };
    },

    secondFactorOptions: (userId, challengeBinding) => ownKeyOptions(userId, challengeBinding, "second_factor"),

    reauthenticationOptions: (userId, sessionBinding) => ownKeyOptions(userId, sessionBinding, "reauthentication"),

    async verifyReauthenticationAssertion(userId, sessionBinding, response, origin) {
      const { passkey, isUserVerified } = await assert("user.passkey_used", sessionBinding, response, origin, { purpose: "reauthentication", userId, requireUserVerification: false });
      return { passkeyId: passkey.id, name: passkey.name, isUserVerified };
    },

    async verifySecondFactorAssertion(userId, challengeBinding, response, origin) {
      const { passkey } = await assert("user.passkey_used", challengeBinding, response, origin, { purpose: "second_factor", userId, requireUserVerification: false });
      return { passkeyId: passkey.id, name: passkey.name };
    },
  };
}
