// Turns people services' results into the contract's reply shapes.
import type { FastifyRequest } from "fastify";
import type { Group } from "../../contract/groups.js";
import type { User, UserLinkReply } from "../../contract/users.js";
import type { GroupView } from "../../services/groups.js";
import type { UserLinkResult, UserView } from "../../services/people.js";
import { isInvited } from "../../services/user-links.js";
import type { UserRecord } from "../../store/users.js";
import { noticeOf } from "./reply-shapes.js";

const iso = (ms: number): string => new Date(ms).toISOString();

export const userOf = (user: UserRecord, isLocked = false): User => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  email: user.email,
  language: user.language,
  status: user.disabledAt !== null ? "disabled" : isInvited(user) ? "invited" : "active",
  locked: isLocked,
  createdAt: iso(user.createdAt),
  disabledAt: user.disabledAt === null ? null : iso(user.disabledAt),
});

export const userViewOf = (view: UserView): User => userOf(view.user, view.isLocked);

export const userLinkReplyOf = (result: UserLinkResult): UserLinkReply => ({
  user: userViewOf(result.user),
  link: result.link,
  expiresAt: iso(result.expiresAt),
  mailed: result.mailed,
  warnings: result.warnings.map(noticeOf),
});

export const groupOf = (view: GroupView): Group => ({
  id: view.group.id,
  name: view.group.name,
  createdAt: iso(view.group.createdAt),
  members: view.members.map((m) => ({ userId: m.userId, username: m.username, displayName: m.displayName, addedAt: iso(m.addedAt) })),
});

/** The address the request came to, for links when no WATCHWORD_PUBLIC_URL is configured. */
export const requestBaseUrl = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;
