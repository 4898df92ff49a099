// Sessions: 256-bit random tokens handed to the client once and stored only as SHA-256 hashes,
// with idle (30 min) and absolute (12 h) time-outs (ASVS 5.0 7.x).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { GroupId, SessionId } from "../core/ids.js";
import type { GroupStore } from "../store/groups.js";
import type { SessionRecord, SessionStore } from "../store/sessions.js";
import type { UserStore } from "../store/users.js";
import type { UserRecord } from "../store/users.js";
import type { RequestOrigin } from "./actor.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import type { EnrolmentDemand, MfaEnforcementService } from "./mfa-enforcement.js";

export const SESSION_TOKEN_PREFIX = "ww_s_";
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so that every request does not write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export type SessionKind = "browser" | "token";

export interface IssuedSession {
  /** The token for the cookie or the Authorization header: shown once, never stored. */
  readonly token: string;
  readonly sessionId: SessionId;
  readonly csrfToken: string;
  readonly expiresAt: number;
  /** Set when the user must enrol a second factor first: the session may only enrol (mfa-enforcement.ts). */
  readonly enrolment?: EnrolmentDemand | undefined;
}

export interface AuthenticatedSession {
  readonly sessionId: SessionId;
  readonly user: UserRecord;
  /** The user's groups, read with the session so that grants to a group reach its members. */
  readonly groupIds: readonly GroupId[];
  readonly kind: SessionKind;
  readonly expiresAt: number;
  /**
   * Set when this request's session id was renewed after a privilege change (a role change, the
   * user's own password change): the old token no longer works, the client gets this one.
   */
  readonly renewed?: { readonly token: string; readonly csrfToken: string } | undefined;
  /** Set while the session may only enrol a second factor (enrolment-gate.ts refuses the rest). */
  readonly enrolment?: EnrolmentDemand | undefined;
}

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
const newToken = (): string => SESSION_TOKEN_PREFIX + randomBytes(32).toString("base64url");
/** 128 random bits, unrelated to the token: the sessions list may show it, and knowing it lets no one in. */
const newPublicSessionId = (): string => randomBytes(16).toString("base64url");

/**
 * The same session under a new id: a new token, the old one's user, kind and absolute expiry (a
 * renewal never lengthens a session). For the transaction that renews it.
 */
export function renewedSession(old: SessionRecord, now: number): { readonly token: string; readonly record: SessionRecord; readonly issued: IssuedSession } {
  const token = newToken();
  const record: SessionRecord = { ...old, idHash: hashToken(token), lastSeenAt: now };
  return { token, record, issued: { token, sessionId: record.idHash as SessionId, csrfToken: csrfTokenOf(token), expiresAt: old.expiresAt } };
}

/** What a factor removal or a password change leaves: how many other sessions ended, and this browser session's new id. */
export interface RemovedFactor {
  readonly endedSessions: number;
  /** A browser session's new id (cookie and CSRF token); undefined for a bearer token, which stays. */
  readonly renewed: IssuedSession | undefined;
}

/**
 * ASVS 5.0 7.4.3: after a factor or the password changes, the user's other sessions end (browsers
 * and the CLI's bearer tokens alike), and this browser session gets a new id (ASVS 5.0 7.2.4).
 * Inside the transaction that made the change.
 */
export async function endOtherSessions(
  sessions: Pick<SessionStore, "deleteSessionsOfUser" | "findSession" | "deleteSession" | "insertSession">,
  actor: { readonly userId: UserRecord["id"]; readonly sessionId: string },
  now: number,
): Promise<RemovedFactor> {
  const endedSessions = await sessions.deleteSessionsOfUser(actor.userId, actor.sessionId);
  const session = await sessions.findSession(actor.sessionId);
  if (session?.kind !== "browser") return { endedSessions, renewed: undefined };
  const renewal = renewedSession(session, now);
  await sessions.deleteSession(session.idHash);
  await sessions.insertSession(renewal.record);
  return { endedSessions, renewed: renewal.issued };
}

/**
 * Derived from the token, so it needs no storage and changes with every new session id. Computed
 * only where it is needed (sign-in, GET /session, a browser's state change), not for every request.
 */
export const csrfTokenOf = (token: string): string => createHmac("sha256", token).update("watchword csrf").digest("base64url");

export function isCsrfTokenValid(sessionToken: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = Buffer.from(csrfTokenOf(sessionToken));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface SessionService {
  /**
   * `hasJustProved`: the user proved their password (and second factor) or their passkey for this
   * very session, so it starts in sudo mode (reauthentication.ts) as if it had re-authenticated.
   */
  issueSession(user: UserRecord, kind: SessionKind, origin: RequestOrigin, hasJustProved?: boolean): Promise<IssuedSession>;
  /** The session behind a token, or undefined when it is unknown, expired or its user is disabled. */
  authenticate(token: string): Promise<AuthenticatedSession | undefined>;
  /** Ends the session; with `signedOut` (the person signing out), audited as user.signed_out. */
  endSession(token: string, signedOut?: Pick<Actor, "kind" | "userId" | "username" | "origin">): Promise<void>;
}

export function createSessionService(deps: {
  sessions: Pick<SessionStore, "insertSession" | "findSessionHolder" | "touchSession" | "deleteSession" | "takeSessionForRenewal" | "clearEnrolmentRequired">;
  users: Pick<UserStore, "findUserById">;
  groups: Pick<GroupStore, "listGroupIdsOfUser">;
  clock: Clock;
  auditLog?: AuditLog;
  /** The administrators' MFA rule: a user who must enrol gets a session that may only enrol. */
  enforcement?: Pick<MfaEnforcementService, "enrolmentDemandOf">;
}): SessionService {
  const { sessions, users, groups, clock, auditLog, enforcement } = deps;
  /**
   * A restricted session is asked again at each request (only it pays for that): once the user has
   * a method that counts, or the rule no longer names them, it becomes a full session.
   */
  async function enrolmentStill(session: SessionRecord, user: UserRecord, groupIds: readonly GroupId[], isPending: boolean): Promise<EnrolmentDemand | undefined> {
    if (session.enrolmentRequired !== true || enforcement === undefined) return undefined;
    const demand = await enforcement.enrolmentDemandOf(user, groupIds);
    if (demand === undefined && !isPending) await sessions.clearEnrolmentRequired(session.idHash);
    return demand;
  }
  return {
    async issueSession(user, kind, origin, hasJustProved = false) {
      const now = clock.now();
      const token = newToken();
      const idHash = hashToken(token);
      const expiresAt = now + ABSOLUTE_TIMEOUT_MS;
      const enrolment = await enforcement?.enrolmentDemandOf(user, await groups.listGroupIdsOfUser(user.id));
      await sessions.insertSession({
        idHash,
        userId: user.id,
        kind,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        ip: origin.ip.slice(0, 64),
        userAgent: origin.userAgent.slice(0, 256),
        publicId: newPublicSessionId(),
        reauthenticatedAt: hasJustProved ? now : null,
        enrolmentRequired: enrolment !== undefined,
      });
      return { token, sessionId: idHash as SessionId, csrfToken: csrfTokenOf(token), expiresAt, ...(enrolment === undefined ? {} : { enrolment }) };
    },
    async authenticate(token) {
      if (!token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 100) return undefined;
      const idHash = hashToken(token);
      // With its user and groups: on PostgreSQL one query (session-holders.ts).
      const holder = await sessions.findSessionHolder(idHash);
      const found = holder?.session;
      // Not found: perhaps a privilege change is waiting to renew it (one concurrent request wins).
      const pending = found === undefined ? await sessions.takeSessionForRenewal(idHash) : undefined;
      const session = found ?? pending;
      if (session === undefined) return undefined;
      const now = clock.now();
      // Browser sessions end after 30 idle minutes; CLI tokens only at the absolute limit.
      const idleLimit = session.kind === "browser" ? IDLE_TIMEOUT_MS : ABSOLUTE_TIMEOUT_MS;
      if (now >= session.expiresAt || now - session.lastSeenAt >= idleLimit) {
        if (pending === undefined) await sessions.deleteSession(idHash);
        return undefined;
      }
      const user = holder !== undefined ? holder.user : await users.findUserById(session.userId);
      if (user === undefined || user.disabledAt !== null) {
        if (pending === undefined) await sessions.deleteSession(idHash);
        return undefined;
      }
      const groupIds = holder !== undefined ? [...holder.groupIds] : await groups.listGroupIdsOfUser(user.id);
      const enrolment = await enrolmentStill(session, user, groupIds, pending !== undefined);
      const restricted = enrolment === undefined ? {} : { enrolment };
      if (pending !== undefined) {
        const renewal = renewedSession({ ...pending, enrolmentRequired: enrolment !== undefined }, now);
        await sessions.insertSession(renewal.record);
        const { sessionId, csrfToken } = renewal.issued;
        return { sessionId, user, groupIds, kind: session.kind, expiresAt: session.expiresAt, renewed: { token: renewal.token, csrfToken }, ...restricted };
      }
      if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await sessions.touchSession(idHash, now);
      return { sessionId: idHash as SessionId, user, groupIds, kind: session.kind, expiresAt: session.expiresAt, ...restricted };
    },
    async endSession(token, signedOut) {
      await sessions.deleteSession(hashToken(token));
      if (signedOut !== undefined) {
        const target = { type: "user" as const, id: signedOut.userId, name: signedOut.username };
        await auditLog?.commit(signedOut, { events: () => [{ action: "user.signed_out", target }] });
      }
    },
  };
}
