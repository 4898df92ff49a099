// What every signed-in user changes about themselves: display name, language, e-mail address and
// password. A new password needs the current one (wrong ones count against the account as failed
// sign-ins do) and ends the user's other sessions. Audited; no event names a password.
import type { Clock } from "../core/clock.js";
import { invalidInput, notFound, problem, tooManyRequests } from "../core/errors.js";
import { checkNewPassword } from "../core/password-policy.js";
import type { Secret } from "../core/secret.js";
import { judgeAccount } from "../core/sign-in-throttle.js";
import type { Language } from "../store/schema.js";
import type { Repositories } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import type { SecurityNotices } from "./security-notices.js";
import { endOtherSessions, type RemovedFactor } from "./sessions.js";

export interface AccountChanges {
  readonly displayName?: string | undefined;
  readonly language?: Language | null | undefined;
  readonly email?: string | null | undefined;
}

export interface OwnAccountService {
  getAccount(actor: Actor): Promise<UserRecord>;
  updateAccount(actor: Actor, changes: AccountChanges): Promise<UserRecord>;
  /**
   * Ends the user's other sessions. A browser session gets a new id at once (answered here, for
   * the cookie; the old id no longer works); a bearer token the CLI holds stays as it is.
   */
  changePassword(actor: Actor, current: Secret, next: Secret): Promise<RemovedFactor>;
}

export function createOwnAccountService(deps: {
  store: Pick<Repositories, "users" | "signInFailures">;
  auditLog: AuditLog;
  clock: Clock;
  notices?: Pick<SecurityNotices, "sessionsEnded"> | undefined;
}): OwnAccountService {
  const { store, auditLog, clock } = deps;
  const me = async (actor: Actor, users: Pick<Repositories["users"], "findUserById"> = store.users): Promise<UserRecord> => {
    const user = await users.findUserById(actor.userId);
    if (user === undefined) throw notFound(problem("user_id_not_found"));
    return user;
  };

  return {
    getAccount: (actor) => me(actor),

    async updateAccount(actor, changes) {
      const displayName = changes.displayName?.trim();
      if (displayName === "") throw invalidInput(problem("display_name_required"), "displayName");
      const fields = {
        ...(displayName === undefined ? {} : { displayName }),
        ...(changes.language === undefined ? {} : { language: changes.language }),
        ...(changes.email === undefined ? {} : { email: changes.email }),
      };
      return auditLog.commit(actor, {
        work: async (tx) => {
          await tx.users.updateUser(actor.userId, fields, clock.now());
          return me(actor, tx.users);
        },
        // The address itself stays out of the log: that it changed is what an auditor needs.
        events: () => [{ action: "user.profile_changed", target: { type: "user", id: actor.userId, name: actor.username }, details: { userId: actor.userId, changed: Object.keys(fields) } }],
      });
    },

    async changePassword(actor, current, next) {
      const user = await me(actor);
      const now = clock.now();
      const verdict = judgeAccount(await store.signInFailures.readFailures("account", user.username), now);
      if (!verdict.allowed) throw tooManyRequests(verdict.locked ? problem("account_locked") : problem("sign_in_throttled", { count: verdict.retryAfterSeconds }), verdict.retryAfterSeconds);
      if (!(await verifyPassword(user.passwordHash, current))) {
        await store.signInFailures.recordFailure("account", user.username, now);
        throw invalidInput(problem("current_password_wrong"), "currentPassword");
      }
      checkNewPassword(next, user.username);
      const passwordHash = await hashPassword(next);
      const changed = await auditLog.commit(actor, {
        work: async (tx) => {
          await tx.users.updateUser(actor.userId, { passwordHash }, clock.now());
          await tx.userLinks.withdrawUserLinks(actor.userId, "reset");
          // The other sessions end and this one gets a new id (ASVS 5.0 7.2.4), in the same transaction.
          return endOtherSessions(tx.sessions, actor, clock.now());
        },
        events: (ended) => [{ action: "user.password_changed", target: { type: "user", id: actor.userId, name: actor.username }, details: { userId: actor.userId, endedSessions: ended.endedSessions } }],
      });
      deps.notices?.sessionsEnded(actor.userId, "password_changed", changed.endedSessions);
      return changed;
    },
  };
}
