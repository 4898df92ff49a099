// The signed-in person's own sessions: where they are signed in (device in plain words, address,
// when it began, when last used, which one is this), and signing out one of them or all the
// others. Sessions are named by their public id only, never by the token or its hash. Audited.
import type { Clock } from "../core/clock.js";
import { notFound, problem } from "../core/errors.js";
import { describeUserAgent, type DeviceDescription } from "../core/user-agent.js";
import type { Repositories } from "../store/store.js";
import type { SessionRecord } from "../store/sessions.js";
import type { Actor } from "./actor.js";
import { markDenialAudited, type AuditLog } from "./audit-log.js";
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from "./sessions.js";

export interface OwnSession extends DeviceDescription {
  readonly id: string;
  /** A browser's cookie session, or a token the CLI signed in for. */
  readonly kind: "browser" | "token";
  readonly ip: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly isCurrent: boolean;
}

export interface OwnSessionService {
  /** The person's sessions that still work, this one first, then the most recently used. */
  list(actor: Actor): Promise<OwnSession[]>;
  /** Ends one of the person's sessions (this one too); not_found for an id that is not one of theirs. */
  endSession(actor: Actor, publicId: string): Promise<{ readonly wasCurrent: boolean }>;
  /** Ends every session of the person but this one; answers how many ended. */
  endOtherSessions(actor: Actor): Promise<number>;
}

const isActive = (session: SessionRecord, now: number): boolean =>
  now < session.expiresAt && now - session.lastSeenAt < (session.kind === "browser" ? IDLE_TIMEOUT_MS : ABSOLUTE_TIMEOUT_MS);

export function createOwnSessionService(deps: { store: Pick<Repositories, "sessions">; auditLog: AuditLog; clock: Clock }): OwnSessionService {
  const { store, auditLog, clock } = deps;
  const currentPublicId = async (actor: Actor): Promise<string | undefined> => (await store.sessions.findSession(actor.sessionId))?.publicId;
  const userTarget = (actor: Actor) => ({ type: "user" as const, id: actor.userId, name: actor.username });

  return {
    async list(actor) {
      const now = clock.now();
      const current = await currentPublicId(actor);
      const sessions = (await store.sessions.listSessionsOfUser(actor.userId)).filter((s) => isActive(s, now));
      return sessions
        .map((s) => ({ id: s.publicId, kind: s.kind, ip: s.ip, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, isCurrent: s.publicId === current, ...describeUserAgent(s.userAgent) }))
        .sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent) || b.lastSeenAt - a.lastSeenAt);
    },

    async endSession(actor, publicId) {
      const current = await currentPublicId(actor);
      const ended = await auditLog.commit(actor, {
        work: (tx) => tx.sessions.deleteSessionByPublicId(actor.userId, publicId),
        events: (session) => [
          session === undefined
            ? { action: "user.session_ended", outcome: "failure", reason: "session_not_found", target: userTarget(actor) }
            : { action: "user.session_ended", target: { type: "session", id: publicId }, details: { userId: actor.userId, isCurrent: publicId === current, ...describeUserAgent(session.userAgent) } },
        ],
      });
      if (ended === undefined) throw markDenialAudited(notFound(problem("session_not_found")));
      return { wasCurrent: publicId === current };
    },

    endOtherSessions(actor) {
      return auditLog.commit(actor, {
        work: (tx) => tx.sessions.deleteSessionsOfUser(actor.userId, actor.sessionId),
        events: (count) => [{ action: "user.other_sessions_ended", target: userTarget(actor), details: { userId: actor.userId, count } }],
      });
    },
  };
}
