// Unlocking an account that failed sign-ins from unknown devices have locked (NIST SP 800-63B
// §5.2.2 keeps the limit of 100; this is the way back). Two doors: the local admin verb
// `watchword user unlock NAME`, which works on the store directly, and administrators through the
// API; both audited. Unlocking forgets the account's count; known devices were never locked.
import { forbidden, notFound, problem } from "../core/errors.js";
import { normaliseUsername } from "../core/password-policy.js";
import { judgeSecondFactorAccount } from "../core/second-factor-throttle.js";
import { judgeAccount } from "../core/sign-in-throttle.js";
import type { Repositories } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { Actor } from "./actor.js";
import type { AuditFacts, AuditLog, LocalOperator } from "./audit-log.js";

export interface UnlockResult {
  readonly user: UserRecord;
  readonly wasLocked: boolean;
  readonly failedSignInsCleared: number;
}

/** Forgets the named user's failed sign-ins from unknown devices; not_found when no user has that name. */
export async function unlockAccount(repositories: Pick<Repositories, "users" | "signInFailures">, rawUsername: string, now: number): Promise<UnlockResult> {
  const username = normaliseUsername(rawUsername);
  const user = await repositories.users.findUserByUsername(username);
  if (user === undefined) throw notFound(problem("user_not_found", { username }));
  const history = await repositories.signInFailures.readFailures("account", username);
  const verdict = judgeAccount(history, now);
  // Wrong second-factor codes lock the account too (second-factor-throttle.ts); one unlock ends both.
  const secondFactor = judgeSecondFactorAccount(await repositories.signInFailures.readFailures("second-factor-account", user.id), now);
  await repositories.signInFailures.clearFailures("account", username);
  await repositories.signInFailures.clearFailures("second-factor-account", user.id);
  const wasLocked = (!verdict.allowed && verdict.locked) || (!secondFactor.allowed && secondFactor.locked);
  return { user, wasLocked, failedSignInsCleared: history?.failures ?? 0 };
}

export interface AccountLockService {
  /** For administrators: unlocks the account, in the same transaction as its audit event. */
  unlock(actor: Actor, username: string): Promise<UnlockResult>;
  /** For `watchword user unlock` on the server's machine: the same unlock and the same event. */
  unlockLocally(operator: LocalOperator, username: string): Promise<UnlockResult>;
}

const unlockedEvent = (result: UnlockResult): AuditFacts => ({
  action: "user.unlocked",
  target: { type: "user", id: result.user.id, name: result.user.username },
  details: { userId: result.user.id, username: result.user.username, wasLocked: result.wasLocked, failedSignInsCleared: result.failedSignInsCleared },
});

export function createAccountLockService(deps: { auditLog: AuditLog; clock: { now(): number } }): AccountLockService {
  const { auditLog, clock } = deps;
  return {
    async unlock(actor, username) {
      if (actor.role !== "admin") throw forbidden(problem("unlock_forbidden"));
      return auditLog.commit(actor, { work: (tx) => unlockAccount(tx, username, clock.now()), events: (result) => [unlockedEvent(result)] });
    },

    async unlockLocally(operator, username) {
      // Whoever can run commands on the server's machine already holds the store and its key.
      return auditLog.commit(operator, { work: (tx) => unlockAccount(tx, username, clock.now()), events: (result) => [unlockedEvent(result)] });
    },
  };
}
