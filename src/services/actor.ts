// Who is calling, in one object: the signed-in user and where the request came from.
import type { GroupId, SessionId, UserId } from "../core/ids.js";
import type { Role } from "../store/schema.js";

export type Channel = "ui" | "api" | "cli";

export interface RequestOrigin {
  readonly ip: string;
  readonly userAgent: string;
  readonly channel: Channel;
}

export interface UserActor {
  readonly kind: "user";
  readonly userId: UserId;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** The groups the user belongs to, read with the session: grants to them reach the user. */
  readonly groupIds: readonly GroupId[];
  readonly sessionId: SessionId;
  readonly origin: RequestOrigin;
}

export type Actor = UserActor;
