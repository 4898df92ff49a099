// Who is calling, in one object: a signed-in user or a script's service account (with the API
// token it came with), and where the request came from.
import type { GroupId, ServiceAccountId, SessionId, UserId } from "../core/ids.js";
import type { TokenFacts } from "../core/policy-facts.js";
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

/** A script or pipeline calling with an API token (`Authorization: Bearer ww_…`). */
export interface ServiceAccountActor {
  readonly kind: "service_account";
  readonly serviceAccountId: ServiceAccountId;
  readonly name: string;
  readonly isDisabled: boolean;
  /** The token this request came with: its scope, expiry, revocation and address allowlist (never the token itself). */
  readonly token: TokenFacts;
  readonly origin: RequestOrigin;
}

/**
 * A person signed in: what every use case asks for, except the few a service account may call
 * too. Routes get one from actorOf(), which refuses service accounts (403), so a new route is
 * closed to scripts unless it asks for a Caller on purpose.
 */
export type Actor = UserActor;

/** Anyone who may call the code routes (GET/POST code, the batch, reveal-next) and list entries: a person or a service account. */
export type Caller = UserActor | ServiceAccountActor;

/** The id an audit event or a "used by" column records for the caller. */
export const principalIdOf = (caller: Caller): string => (caller.kind === "user" ? caller.userId : caller.serviceAccountId);
