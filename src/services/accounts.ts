// Vault users: creating them and signing them in with a password, throttled per account and
// per IP in the database. The seam for a second factor is the sign-in result's status.
import type { Clock } from "../core/clock.js";
import { conflict, problem, tooManyRequests, unauthenticated } from "../core/errors.js";
import { newUserId } from "../core/ids.js";
import { checkNewPassword, normaliseUsername } from "../core/password-policy.js";
import type { Secret } from "../core/secret.js";
import { IP_FORGET_MS, judgeAccount, judgeIp, type ThrottleVerdict } from "../core/sign-in-throttle.js";
import type { Role } from "../store/schema.js";
import type { SignInFailureStore } from "../store/sign-in-failures.js";
import type { NewUser, UserRecord, UserStore } from "../store/users.js";
import type { RequestOrigin } from "./actor.js";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.js";

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
  return { ...user, disabledAt: null };
}

function refuseWhenThrottled(verdict: ThrottleVerdict): void {
  if (verdict.allowed) return;
  // The same sentence whether or not the account exists: throttling is keyed by the name typed.
  throw tooManyRequests(
    verdict.locked ? problem("account_locked") : problem("sign_in_throttled", { count: verdict.retryAfterSeconds }),
    verdict.retryAfterSeconds,
  );
}

export interface AccountService {
  /** Returns the user whose password matched; throws unauthenticated or too_many_requests. */
  verifyPasswordSignIn(username: string, password: Secret, origin: RequestOrigin): Promise<UserRecord>;
}

export function createAccountService(deps: {
  users: Pick<UserStore, "findUserByUsername">;
  signInFailures: SignInFailureStore;
  clock: Clock;
}): AccountService {
  const { users, signInFailures, clock } = deps;
  return {
    async verifyPasswordSignIn(rawUsername, password, origin) {
      const subject = rawUsername.trim().toLowerCase().slice(0, 64);
      const now = clock.now();
      refuseWhenThrottled(judgeIp(await signInFailures.readFailures("ip", origin.ip), now));
      refuseWhenThrottled(judgeAccount(await signInFailures.readFailures("account", subject), now));

      const user = await users.findUserByUsername(subject);
      const matches = user !== undefined && user.disabledAt === null ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
      if (!matches || user === undefined) {
        const ipHistory = await signInFailures.readFailures("ip", origin.ip);
        if (ipHistory !== undefined && now - ipHistory.lastFailureAt > IP_FORGET_MS) await signInFailures.clearFailures("ip", origin.ip);
        await signInFailures.recordFailure("ip", origin.ip, now);
        await signInFailures.recordFailure("account", subject, now);
        throw unauthenticated(WRONG_CREDENTIALS);
      }
      await signInFailures.clearFailures("account", subject);
      return user;
    },
  };
}
