// Tells a user by mail (when SMTP is configured and they have an address) that their password
// changed or a factor went, and how many other sessions ended. Sent after the change committed;
// a failed mail is logged (never its text) and changes nothing.
import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import { composeSecurityChangeMail, type SecurityChange } from "../core/security-change-mail.js";
import type { Repositories } from "../store/store.js";
import type { Mailer } from "./mailer.js";

export interface SecurityNotices {
  sessionsEnded(userId: UserId, change: SecurityChange, endedSessions: number): void;
  /** Resolves once every mail started so far was sent or failed (tests, shutdown). */
  settled(): Promise<void>;
}

export function createSecurityNotices(deps: {
  store: Pick<Repositories, "users">;
  mailer: Mailer | undefined;
  clock: Clock;
  warn?: (failure: { userId: string; reason: string }) => void;
}): SecurityNotices {
  const pending = new Set<Promise<void>>();
  return {
    sessionsEnded(userId, change, endedSessions) {
      const { mailer } = deps;
      if (mailer === undefined) return;
      const at = new Date(deps.clock.now());
      const sending = (async () => {
        const user = await deps.store.users.findUserById(userId);
        if (user === undefined || user.email === null) return;
        await mailer.send({ to: user.email, ...composeSecurityChangeMail(change, user.language ?? "en", { displayName: user.displayName, username: user.username, endedSessions, at }) });
      })()
        .catch((error: unknown) => deps.warn?.({ userId, reason: error instanceof Error ? error.message : String(error) }))
        .finally(() => pending.delete(sending));
      pending.add(sending);
    },
    async settled() {
      await Promise.all([...pending]);
    },
  };
}
