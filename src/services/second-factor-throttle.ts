// Throttling of second-factor codes (authenticator app, recovery codes) per account and per
// address, counted in the database (sign_in_failures) so that every node sees the same count
// (RFC 4226 §7.3). When an account's delays begin and when it locks, its owner is told by e-mail
// in their language, and the moment is audited. Never sees or records a code.
import type { Clock } from "../core/clock.js";
import { notFound, problem, tooManyRequests, type WatchwordError } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import { composeSecondFactorMail } from "../core/second-factor-mail.js";
import {
  judgeSecondFactorAccount,
  judgeSecondFactorIp,
  noticeAfterFailure,
  SECOND_FACTOR_IP_FORGET_MS,
  type AccountNotice,
} from "../core/second-factor-throttle.js";
import type { ThrottleVerdict } from "../core/sign-in-throttle.js";
import type { Repositories } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { RequestOrigin } from "./actor.js";
import { markDenialAudited, type AuditActor, type AuditLog } from "./audit-log.js";
import type { Mailer } from "./mailer.js";

export interface SecondFactorFailure {
  /** Consecutive wrong codes on the account, this one included. */
  readonly failures: number;
  /** Set when this failure began the delays or locked the account (the owner is being mailed). */
  readonly notice: AccountNotice | undefined;
}

export interface SecondFactorThrottle {
  /**
   * Before a second-factor code is checked: throws too_many_requests (429 with Retry-After,
   * second_factor_throttled or second_factor_locked) when the account or the address must wait.
   * The refusal is audited here (user.second_factor_delayed) and marked so, so the caller writes no second event.
   */
  check(userId: UserId, origin: RequestOrigin): Promise<void>;
  /** After a wrong code: one more failure on the account and on the address; mails the owner when delays begin or it locks. */
  recordFailure(userId: UserId, origin: RequestOrigin): Promise<SecondFactorFailure>;
  /** After a right code: the account starts again (the address does not: it may be guessing at other accounts). */
  clear(userId: UserId): Promise<void>;
  /** Resolves once every mail started so far was sent or failed; replies never wait for them. */
  mailsSettled(): Promise<void>;
}

export function createSecondFactorThrottle(deps: {
  store: Pick<Repositories, "users" | "signInFailures">;
  auditLog: AuditLog;
  clock: Clock;
  /** Absent when no SMTP server is configured: the moment is still audited, with mailed: false. */
  mailer?: Mailer | undefined;
  /** Told of a mail that could not be sent (never its text). */
  warn?: (failure: { readonly userId: string; readonly reason: string }) => void;
}): SecondFactorThrottle {
  const { store, auditLog, clock, mailer, warn } = deps;
  const pendingMails = new Set<Promise<void>>();

  async function userOf(userId: UserId): Promise<UserRecord> {
    const user = await store.users.findUserById(userId);
    if (user === undefined) throw notFound(problem("user_id_not_found"));
    return user;
  }
  const actorOf = (user: UserRecord, origin: RequestOrigin): AuditActor => ({ kind: "user", userId: user.id, username: user.username, origin });

  function refusalOf(verdict: Exclude<ThrottleVerdict, { allowed: true }>): WatchwordError {
    return tooManyRequests(verdict.locked ? problem("second_factor_locked") : problem("second_factor_throttled", { count: verdict.retryAfterSeconds }), verdict.retryAfterSeconds);
  }

  function mail(user: UserRecord, notice: AccountNotice, failures: number, ip: string, now: number): boolean {
    if (mailer === undefined || user.email === null) return false;
    const text = composeSecondFactorMail(notice, user.language ?? "en", { displayName: user.displayName, username: user.username, failures, ip, at: new Date(now) });
    const sending = mailer
      .send({ to: user.email, ...text })
      .catch((error: unknown) => warn?.({ userId: user.id, reason: error instanceof Error ? error.message : String(error) }))
      .finally(() => pendingMails.delete(sending));
    pendingMails.add(sending);
    return true;
  }

  return {
    async check(userId, origin) {
      const now = clock.now();
      const account = judgeSecondFactorAccount(await store.signInFailures.readFailures("second-factor-account", userId), now);
      const address = judgeSecondFactorIp(await store.signInFailures.readFailures("second-factor-ip", origin.ip), now);
      // A lock outranks a delay; of two delays, the longer one is the one to wait.
      const refused = [account, address].filter((v): v is Exclude<ThrottleVerdict, { allowed: true }> => !v.allowed).sort((a, b) => Number(b.locked) - Number(a.locked) || b.retryAfterSeconds - a.retryAfterSeconds)[0];
      if (refused === undefined) return;
      const user = await userOf(userId);
      const error = refusalOf(refused);
      await auditLog.commit(actorOf(user, origin), {
        events: () => [
          {
            action: "user.second_factor_delayed",
            outcome: "denied",
            reason: error.key ?? "second_factor_throttled",
            target: { type: "user", id: user.id, name: user.username },
            details: { by: account.allowed ? "address" : "account", retryAfterSeconds: refused.retryAfterSeconds },
          },
        ],
      });
      throw markDenialAudited(error);
    },

    async recordFailure(userId, origin) {
      const user = await userOf(userId);
      const now = clock.now();
      const ipHistory = await store.signInFailures.readFailures("second-factor-ip", origin.ip);
      if (ipHistory !== undefined && now - ipHistory.lastFailureAt > SECOND_FACTOR_IP_FORGET_MS) await store.signInFailures.clearFailures("second-factor-ip", origin.ip);
      await store.signInFailures.recordFailure("second-factor-ip", origin.ip, now);
      // One atomic increment: of concurrent failures on any nodes, exactly one sees each count.
      const { failures } = await store.signInFailures.recordFailure("second-factor-account", userId, now);
      const notice = noticeAfterFailure(failures);
      if (notice !== undefined) {
        const mailed = mail(user, notice, failures, origin.ip, now);
        await auditLog.commit(actorOf(user, origin), {
          events: () => [{ action: notice === "locked" ? "user.second_factor_locked" : "user.second_factor_throttled", target: { type: "user", id: user.id, name: user.username }, details: { failures, mailed } }],
        });
      }
      return { failures, notice };
    },

    async clear(userId) {
      await store.signInFailures.clearFailures("second-factor-account", userId);
    },

    async mailsSettled() {
      while (pendingMails.size > 0) await Promise.all([...pendingMails]);
    },
  };
}
