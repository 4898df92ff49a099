// One-time links that let a person set a password: an invitation (7 days) and a password reset
// (24 hours). The token goes to the administrator once (and by mail when SMTP is configured);
// only its SHA-256 is stored. Using a link sets the password, ends the user's sessions and is
// audited, all in one transaction; a used, expired or unknown link changes nothing.
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { conflict, notFound, problem, type ProblemText } from "../core/errors.js";
import type { SessionId, UserId } from "../core/ids.js";
import { composeLinkMail } from "../core/mail-messages.js";
import { checkNewPassword } from "../core/password-policy.js";
import type { Secret } from "../core/secret.js";
import type { Repositories, TransactionScope } from "../store/store.js";
import type { UserLinkPurpose } from "../store/user-links.js";
import type { UserRecord } from "../store/users.js";
import type { Actor, RequestOrigin } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import type { Mailer } from "./mailer.js";
import { hashPassword } from "./passwords.js";

export const INVITE_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const RESET_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** The password hash of a user who has not accepted their invitation: no password verifies against it. */
export const INVITED_PASSWORD_HASH = "";

export const isInvited = (user: UserRecord): boolean => user.passwordHash === INVITED_PASSWORD_HASH;

const LIFETIME: Readonly<Record<UserLinkPurpose, number>> = { invite: INVITE_LINK_LIFETIME_MS, reset: RESET_LINK_LIFETIME_MS };
const PAGE: Readonly<Record<UserLinkPurpose, string>> = { invite: "join", reset: "reset-password" };
const INVALID: Readonly<Record<UserLinkPurpose, ProblemText>> = { invite: problem("invite_link_invalid"), reset: problem("reset_link_invalid") };
const USED: Readonly<Record<UserLinkPurpose, ProblemText>> = { invite: problem("invite_link_used"), reset: problem("reset_link_used") };

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** The web page that takes the token; the token travels in the fragment, which servers and proxies never log. */
export const userLinkOf = (baseUrl: string, purpose: UserLinkPurpose, token: string): string => `${baseUrl.replace(/\/+$/, "")}/${PAGE[purpose]}#token=${token}`;

export interface IssuedLink {
  readonly link: string;
  readonly expiresAt: number;
  readonly mailed: boolean;
  readonly warnings: readonly ProblemText[];
}

/** Stores a new link for the user inside the caller's transaction (older unused ones of the purpose stop working); returns its token. */
export async function storeUserLink(tx: Pick<Repositories, "userLinks">, user: UserRecord, purpose: UserLinkPurpose, createdBy: UserId, now: number): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + LIFETIME[purpose];
  await tx.userLinks.insertUserLink({ tokenHash: hashToken(token), userId: user.id, purpose, createdBy, now, expiresAt });
  return { token, expiresAt };
}

export interface LinkDelivery {
  readonly mailer: Mailer | undefined;
  /** Where links point when the configuration names no public address (the request's own origin). */
  readonly publicUrl: string | undefined;
}

/** Turns a stored token into the reply's link and mails it when a mailer and an address exist; a failed mail is a warning. */
export async function deliverUserLink(delivery: LinkDelivery, requestBaseUrl: string, user: UserRecord, purpose: UserLinkPurpose, stored: { token: string; expiresAt: number }): Promise<IssuedLink> {
  const link = userLinkOf(delivery.publicUrl ?? requestBaseUrl, purpose, stored.token);
  if (delivery.mailer === undefined || user.email === null) return { link, expiresAt: stored.expiresAt, mailed: false, warnings: [] };
  const mail = composeLinkMail(purpose, user.language ?? "en", { displayName: user.displayName, username: user.username, link, expiresAt: new Date(stored.expiresAt) });
  try {
    await delivery.mailer.send({ to: user.email, ...mail });
    return { link, expiresAt: stored.expiresAt, mailed: true, warnings: [] };
  } catch (error) {
    // One line: the SMTP server's answer may span several.
    // eslint-disable-next-line no-control-regex
    const reason = (error instanceof Error ? error.message : String(error)).replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 160);
    return { link, expiresAt: stored.expiresAt, mailed: false, warnings: [problem("mail_not_sent", { reason })] };
  }
}

export interface LinkCheck {
  readonly user: UserRecord;
  readonly expiresAt: number;
}

export interface UserLinkService {
  /** The user a valid link is for; 404 for an unknown or expired link, 409 for a used one. */
  checkLink(purpose: UserLinkPurpose, token: string): Promise<LinkCheck>;
  /** Sets the password (and, for an invitation, the display name) and ends the user's sessions; returns the user to sign in. */
  completeLink(purpose: UserLinkPurpose, token: string, password: Secret, origin: RequestOrigin, displayName?: string): Promise<UserRecord>;
}

/** The invitee or resetter, who has no session yet, as the audit event's actor. */
const actorFor = (user: UserRecord, origin: RequestOrigin): Actor => ({
  kind: "user",
  userId: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  groupIds: [],
  sessionId: "" as SessionId,
  origin,
});

export function createUserLinkService(deps: { store: Pick<Repositories, "users" | "userLinks">; auditLog: AuditLog; clock: Clock }): UserLinkService {
  const { store, auditLog, clock } = deps;

  async function checkLink(purpose: UserLinkPurpose, token: string): Promise<LinkCheck> {
    const found = await store.userLinks.findUserLink(hashToken(token), purpose, clock.now());
    if (found?.state === "used") throw conflict(USED[purpose]);
    const user = found?.state === "valid" ? await store.users.findUserById(found.userId) : undefined;
    // A link of a user disabled since it was issued, or (for an invitation) one already accepted, does nothing.
    if (found === undefined || user === undefined || user.disabledAt !== null || (purpose === "invite") !== isInvited(user)) throw notFound(INVALID[purpose]);
    return { user, expiresAt: found.expiresAt };
  }

  async function consume(tx: TransactionScope, purpose: UserLinkPurpose, token: string, user: UserRecord, passwordHash: string, displayName: string | undefined, now: number): Promise<UserRecord> {
    if (!(await tx.userLinks.consumeUserLink(hashToken(token), purpose, now))) throw conflict(USED[purpose]);
    const current = await tx.users.findUserById(user.id);
    if (current === undefined || current.disabledAt !== null) throw notFound(INVALID[purpose]);
    await tx.users.updateUser(user.id, { passwordHash, ...(displayName === undefined ? {} : { displayName }) }, now);
    await tx.userLinks.withdrawUserLinks(user.id);
    await tx.sessions.deleteSessionsOfUser(user.id);
    return { ...current, passwordHash, displayName: displayName ?? current.displayName };
  }

  return {
    checkLink,
    async completeLink(purpose, token, password, origin, rawDisplayName) {
      const { user } = await checkLink(purpose, token);
      // Checked and hashed before the transaction: a refused password leaves the link usable,
      // and the slow hash does not hold the write lock.
      checkNewPassword(password, user.username);
      const passwordHash = await hashPassword(password);
      const displayName = rawDisplayName === undefined ? undefined : rawDisplayName.trim() || user.displayName;
      return auditLog.commit(actorFor(user, origin), {
        work: (tx) => consume(tx, purpose, token, user, passwordHash, displayName, clock.now()),
        events: (done) => [{ action: purpose === "invite" ? "user.invite_accepted" : "user.password_reset", target: { type: "user", id: done.id, name: done.username }, details: { userId: done.id, username: done.username } }],
      });
    },
  };
}
