// Vault users: creating them and signing them in with a password, throttled per account and
// per IP in the database, or per device for a device that signed in before (device-tokens.ts).
// The seam for a second factor is the sign-in result's status.
import type { Clock } from "../core/clock.js";
import { conflict, forbidden, isWatchwordError, problem, tooManyRequests, unauthenticated } from "../core/errors.js";
import { ssoOnlyDomainOf } from "../core/sso-identity.js";
import { newUserId } from "../core/ids.js";
import { checkNewPassword, normaliseUsername } from "../core/password-policy.js";
import type { Secret } from "../core/secret.js";
import { DEVICE_LOCK_FAILURES, IP_FORGET_MS, judgeAccount, judgeDevice, judgeIp, type ThrottleVerdict } from "../core/sign-in-throttle.js";
import type { Role } from "../store/schema.js";
import type { SignInFailureStore } from "../store/sign-in-failures.js";
import { recordOfNewUser, type NewUser, type UserRecord, type UserStore } from "../store/users.js";
import type { RequestOrigin } from "./actor.js";
import type { AuditActor, AuditLog, AuditTarget } from "./audit-log.js";
import type { DeviceTokenService } from "./device-tokens.js";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.js";
import type { SecondFactorMethod, SecondFactors } from "./second-factors.js";

export interface NewUserInput {
  readonly username: string;
  readonly displayName?: string | undefined;
  readonly role: Role;
  readonly password: Secret;
}

export const WRONG_CREDENTIALS = problem("sign_in_failed");

/** Checks and hashes a new user's details; the caller stores the result (possibly in a transaction). */
export async function prepareUser(input: NewUserInput, now: number): Promise<NewUser> {
  const username = normaliseUsername(input.username);
  checkNewPassword(input.password, username);
  const displayName = (input.displayName ?? "").trim().slice(0, 100) || username;
  return { id: newUserId(), username, displayName, role: input.role, passwordHash: await hashPassword(input.password), createdAt: now };
}

export async function insertNewUser(users: Pick<UserStore, "findUserByUsername" | "insertUser">, input: NewUserInput, now: number): Promise<UserRecord> {
  const user = await prepareUser(input, now);
  if ((await users.findUserByUsername(user.username)) !== undefined) {
    throw conflict(problem("username_taken", { username: user.username }), "username");
  }
  await users.insertUser(user);
  return recordOfNewUser(user);
}

function refuseWhenThrottled(verdict: ThrottleVerdict): void {
  if (verdict.allowed) return;
  // The same sentence whether or not the account exists: throttling is keyed by the name typed,
  // and an unknown name locks the same way (ASVS 5.0 6.3.8).
  throw tooManyRequests(
    verdict.locked ? problem("account_locked") : problem("sign_in_throttled", { count: verdict.retryAfterSeconds }),
    verdict.retryAfterSeconds,
  );
}

export interface PasswordSignIn {
  readonly user: UserRecord;
  /** The device token the caller presented, when it is one of this user's: it stays in use. */
  readonly keptDeviceToken: string | undefined;
  /**
   * Failed sign-ins to the account from unknown devices, told to someone who signed in from a
   * known one (their count is not reset by it); 0 otherwise.
   */
  readonly failuresFromOtherDevices: number;
  readonly isLockedForOtherDevices: boolean;
  /** The second-factor methods the user must answer with before a session starts; empty: none. */
  readonly secondFactorMethods?: readonly SecondFactorMethod[];
}

export interface AccountService {
  /**
   * Checks the password, counting a failure against the device when `deviceToken` is one of the
   * user's, else against the account and the address. Throws unauthenticated or too_many_requests.
   */
  verifyPasswordSignIn(username: string, password: Secret, origin: RequestOrigin, deviceToken?: string): Promise<PasswordSignIn>;
}

export function createAccountService(deps: {
  users: Pick<UserStore, "findUserByUsername">;
  signInFailures: SignInFailureStore;
  devices: DeviceTokenService;
  clock: Clock;
  /** Every sign-in is audited as user.signed_in: success, failure (wrong credentials) or denied (throttled, locked, SSO only). */
  auditLog?: AuditLog;
  /** E-mail domains whose users sign in through single sign-on only (WATCHWORD_OIDC_SSO_ONLY_DOMAINS), and the provider's label. */
  ssoOnly?: { readonly domains: readonly string[]; readonly label: string };
  /** Which second factors a user has: a right password then opens a challenge instead of a session. */
  secondFactors?: Pick<SecondFactors, "methodsOf">;
}): AccountService {
  const { users, signInFailures, devices, clock, auditLog, ssoOnly, secondFactors } = deps;

  /** The hash of the presented device token when it is the user's and has failures left; a spent one is withdrawn. */
  async function knownDevice(user: UserRecord | undefined, deviceToken: string | undefined, now: number): Promise<string | undefined> {
    if (user === undefined || deviceToken === undefined) return undefined;
    const tokenHash = await devices.recognise(deviceToken, user.id);
    if (tokenHash === undefined) return undefined;
    const verdict = judgeDevice(await signInFailures.readFailures("device", tokenHash), now);
    if (!verdict.allowed && verdict.locked) {
      await devices.withdraw(tokenHash);
      return undefined;
    }
    refuseWhenThrottled(verdict);
    return tokenHash;
  }

  /** Why a sign-in with these credentials failed, for the audit log only (the caller hears the same sentence for all). */
  const failureOf = (user: UserRecord | undefined): string =>
    user === undefined ? "unknown_user" : user.disabledAt !== null ? "user_disabled" : user.passwordHash === "" ? "no_password" : "wrong_password";

  /**
   * The sign-in's audit event, success or not. The actor is the user the name belongs to; a name
   * no one has is not recorded (a password typed in the wrong box would be kept in the log).
   */
  async function audited(user: UserRecord | undefined, origin: RequestOrigin, attempt: () => Promise<PasswordSignIn>): Promise<PasswordSignIn> {
    if (auditLog === undefined) return attempt();
    const actor: AuditActor = user === undefined ? { kind: "anonymous", userId: null, username: "", origin } : { kind: "user", userId: user.id, username: user.username, origin };
    const target: AuditTarget | undefined = user === undefined ? undefined : { type: "user", id: user.id, name: user.username };
    const facts = { action: "user.signed_in", ...(target === undefined ? {} : { target }) };
    let result: PasswordSignIn;
    try {
      result = await attempt();
    } catch (error) {
      if (isWatchwordError(error) && (error.code === "unauthenticated" || error.code === "too_many_requests" || error.key === "sso_required")) {
        const isThrottled = error.code === "too_many_requests";
        if (error.key === "sso_required") {
          await auditLog.commit(actor, { events: () => [{ ...facts, outcome: "denied", reason: "sso_required" }] });
          throw error;
        }
        await auditLog.commit(actor, { events: () => [{ ...facts, outcome: isThrottled ? "denied" : "failure", reason: isThrottled ? (error.key ?? "sign_in_throttled") : failureOf(user) }] });
      }
      throw error;
    }
    const methods = result.secondFactorMethods ?? [];
    // The password alone does not sign in a user with a second factor: the event says what is asked next.
    const action = methods.length > 0 ? "user.second_factor_requested" : facts.action;
    const details = { knownDevice: result.keptDeviceToken !== undefined, failuresFromOtherDevices: result.failuresFromOtherDevices, ...(methods.length > 0 ? { methods } : {}) };
    await auditLog.commit(actor, { events: () => [{ ...facts, action, details }] });
    return result;
  }

  return {
    async verifyPasswordSignIn(rawUsername, password, origin, deviceToken) {
      const subject = rawUsername.trim().toLowerCase().slice(0, 64);
      const user = await users.findUserByUsername(subject);
      return audited(user, origin, async () => {
        const signIn = await check(subject, user, password, origin, deviceToken);
        const secondFactorMethods = secondFactors === undefined ? [] : await secondFactors.methodsOf(signIn.user.id);
        return { ...signIn, secondFactorMethods };
      });
    },
  };

  async function check(subject: string, user: UserRecord | undefined, password: Secret, origin: RequestOrigin, deviceToken: string | undefined): Promise<PasswordSignIn> {
    const now = clock.now();
    const device = await knownDevice(user, deviceToken, now);
    if (device === undefined) {
      refuseWhenThrottled(judgeIp(await signInFailures.readFailures("ip", origin.ip), now));
      refuseWhenThrottled(judgeAccount(await signInFailures.readFailures("account", subject), now));
    }

    // A user who has not accepted their invitation has no password: the dummy keeps the timing the same.
    const hasPassword = user !== undefined && user.disabledAt === null && user.passwordHash !== "";
    const matches = hasPassword ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!matches || user === undefined) {
      if (device !== undefined) {
        const count = await signInFailures.recordFailure("device", device, now);
        if (count.failures >= DEVICE_LOCK_FAILURES) await devices.withdraw(device);
      } else {
        const ipHistory = await signInFailures.readFailures("ip", origin.ip);
        if (ipHistory !== undefined && now - ipHistory.lastFailureAt > IP_FORGET_MS) await signInFailures.clearFailures("ip", origin.ip);
        await signInFailures.recordFailure("ip", origin.ip, now);
        await signInFailures.recordFailure("account", subject, now);
      }
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    // Told only once the password was right, so that the refusal says nothing to someone guessing.
    const ssoDomain = ssoOnly === undefined ? undefined : ssoOnlyDomainOf(user.email, ssoOnly.domains);
    if (ssoOnly !== undefined && ssoDomain !== undefined) throw forbidden(problem("sso_required", { domain: ssoDomain, label: ssoOnly.label }));
    if (device === undefined) {
      await signInFailures.clearFailures("account", subject);
      return { user, keptDeviceToken: undefined, failuresFromOtherDevices: 0, isLockedForOtherDevices: false };
    }
    // A known device does not reset the account's count: strangers' failures stay counted and
    // their lock stays in place, and the person is told.
    await signInFailures.clearFailures("device", device);
    await devices.keep(device);
    const account = await signInFailures.readFailures("account", subject);
    const verdict = judgeAccount(account, now);
    return {
      user,
      keptDeviceToken: deviceToken,
      failuresFromOtherDevices: account?.failures ?? 0,
      isLockedForOtherDevices: !verdict.allowed && verdict.locked,
    };
  }
}
