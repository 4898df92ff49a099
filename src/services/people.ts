// Administering vault users: list, invite, change a role, disable and enable, issue a
// password-reset link, delete (their entries passing to a chosen owner). Administrators only;
// every change is audited in the transaction that makes it, and never names a token or password.
import type { Clock } from "../core/clock.js";
import { conflict, invalidInput, notFound, problem } from "../core/errors.js";
import { newUserId, type UserId } from "../core/ids.js";
import { normaliseUsername } from "../core/password-policy.js";
import { judgeAccount } from "../core/sign-in-throttle.js";
import type { Role } from "../store/schema.js";
import type { Repositories, TransactionScope } from "../store/store.js";
import { recordOfNewUser, type UserChanges, type UserRecord } from "../store/users.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import type { AuditFacts, AuditLog } from "./audit-log.js";
import { deliverUserLink, INVITED_PASSWORD_HASH, isInvited, storeUserLink, type IssuedLink, type LinkDelivery } from "./user-links.js";

export interface UserView {
  readonly user: UserRecord;
  /** Failed sign-ins from unknown devices have locked the account. */
  readonly isLocked: boolean;
}

export interface UserLinkResult extends IssuedLink {
  readonly user: UserView;
}

export interface InviteInput {
  readonly username: string;
  readonly displayName?: string | undefined;
  readonly role: Role;
  readonly email?: string | undefined;
}

export interface PeopleService {
  listUsers(actor: Actor): Promise<UserView[]>;
  /** `baseUrl`: the request's origin, for the link when no public address is configured. */
  invite(actor: Actor, input: InviteInput, baseUrl: string): Promise<UserLinkResult>;
  /** A new invitation link for a user who has not accepted theirs; the old one stops working. */
  reissueInvite(actor: Actor, userId: UserId, baseUrl: string): Promise<UserLinkResult>;
  issuePasswordReset(actor: Actor, userId: UserId, baseUrl: string): Promise<UserLinkResult>;
  changeRole(actor: Actor, userId: UserId, role: Role): Promise<UserView>;
  disable(actor: Actor, userId: UserId): Promise<UserView>;
  enable(actor: Actor, userId: UserId): Promise<UserView>;
  deleteUser(actor: Actor, userId: UserId, entriesTo: UserId | undefined): Promise<void>;
}

/** The one authorisation question of this service, answered by core/policy.ts through access.ts. */
const PEOPLE_FORBIDDEN = problem("people_forbidden");
const USER_NOT_FOUND = problem("user_id_not_found");
/** The user an event is about, by id and username. */
const userTarget = (user: Pick<UserRecord, "id" | "username">) => ({ type: "user" as const, id: user.id, name: user.username });
const displayNameOf = (raw: string | undefined, username: string): string => (raw ?? "").trim().slice(0, 100) || username;

export function createPeopleService(deps: {
  store: Pick<Repositories, "users" | "signInFailures">;
  access: Pick<AccessService, "requireAdmin">;
  auditLog: AuditLog;
  clock: Clock;
  delivery: LinkDelivery;
}): PeopleService {
  const { store, access, auditLog, clock, delivery } = deps;

  async function viewOf(user: UserRecord): Promise<UserView> {
    const verdict = judgeAccount(await store.signInFailures.readFailures("account", user.username), clock.now());
    return { user, isLocked: !verdict.allowed && verdict.locked };
  }

  async function existing(tx: Pick<Repositories, "users">, userId: UserId): Promise<UserRecord> {
    const user = await tx.users.findUserById(userId);
    if (user === undefined) throw notFound(USER_NOT_FOUND);
    return user;
  }

  /** Refuses a change that would leave no enabled administrator; run inside the change's transaction. */
  async function refuseLosingLastAdministrator(tx: TransactionScope, target: UserRecord): Promise<void> {
    const admins = await tx.users.lockEnabledAdministrators(clock.now());
    if (admins.includes(target.id) && admins.length === 1) throw conflict(problem("last_admin"));
  }

  /** Applies a change to one user in one audited transaction; `guard` may refuse it from inside. */
  /**
   * `sessions`: "end" when the change takes everything away (disabling); "renew" when it changes
   * what the user may do (a new role), so that each of their sessions gets a new id at its next request.
   */
  async function change(actor: Actor, userId: UserId, changes: UserChanges, guard: (tx: TransactionScope, user: UserRecord) => Promise<void>, event: (before: UserRecord) => AuditFacts, sessions?: "end" | "renew"): Promise<UserView> {
    access.requireAdmin(actor, PEOPLE_FORBIDDEN);
    const changed = await auditLog.commit(actor, {
      work: async (tx) => {
        const before = await existing(tx, userId);
        await guard(tx, before);
        await tx.users.updateUser(userId, changes, clock.now());
        if (sessions === "end") {
          // Disabling ends everything the user holds: sessions, and invitation or reset links not yet used.
          await tx.sessions.deleteSessionsOfUser(userId);
          await tx.userLinks.withdrawUserLinks(userId);
        }
        // A new session id at every privilege change (ASVS 5.0 7.2.4).
        if (sessions === "renew" && changes.role !== undefined && changes.role !== before.role) await tx.sessions.markSessionsForRenewal(userId);
        return { before, after: await existing(tx, userId) };
      },
      events: ({ before }) => [event(before)],
    });
    return viewOf(changed.after);
  }

  async function issueLink(actor: Actor, userId: UserId, purpose: "invite" | "reset", baseUrl: string): Promise<UserLinkResult> {
    access.requireAdmin(actor, PEOPLE_FORBIDDEN);
    const { user, stored } = await auditLog.commit(actor, {
      work: async (tx) => {
        const user = await existing(tx, userId);
        if (purpose === "invite" && !isInvited(user)) throw conflict(problem("user_not_invited"));
        if (purpose === "reset" && isInvited(user)) throw conflict(problem("user_still_invited"));
        return { user, stored: await storeUserLink(tx, user, purpose, actor.userId, clock.now()) };
      },
      events: ({ user }) => [{ action: purpose === "invite" ? "user.invite_reissued" : "user.password_reset_issued", target: userTarget(user), details: { userId: user.id, username: user.username } }],
    });
    return { user: await viewOf(user), ...(await deliverUserLink(delivery, baseUrl, user, purpose, stored)) };
  }

  return {
    async listUsers(actor) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      return Promise.all((await store.users.listUsers()).map(viewOf));
    },

    async invite(actor, input, baseUrl) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      const username = normaliseUsername(input.username);
      const now = clock.now();
      const newUser = { id: newUserId(), username, displayName: displayNameOf(input.displayName, username), role: input.role, passwordHash: INVITED_PASSWORD_HASH, createdAt: now, email: input.email ?? null };
      const { user, stored } = await auditLog.commit(actor, {
        work: async (tx) => {
          if ((await tx.users.findUserByUsername(username)) !== undefined) throw conflict(problem("username_taken", { username }), "username");
          await tx.users.insertUser(newUser);
          const user = recordOfNewUser(newUser);
          return { user, stored: await storeUserLink(tx, user, "invite", actor.userId, now) };
        },
        events: ({ user }) => [{ action: "user.invited", target: userTarget(user), details: { userId: user.id, username: user.username, role: user.role, hasEmail: user.email !== null } }],
      });
      return { user: await viewOf(user), ...(await deliverUserLink(delivery, baseUrl, user, "invite", stored)) };
    },

    reissueInvite: (actor, userId, baseUrl) => issueLink(actor, userId, "invite", baseUrl),
    issuePasswordReset: (actor, userId, baseUrl) => issueLink(actor, userId, "reset", baseUrl),

    changeRole: (actor, userId, role) =>
      change(
        actor,
        userId,
        { role },
        async (tx, user) => {
          if (user.role === "admin" && role !== "admin") await refuseLosingLastAdministrator(tx, user);
        },
        (before) => ({ action: "user.role_changed", target: userTarget(before), details: { userId, username: before.username, from: before.role, to: role } }),
        "renew",
      ),

    disable: (actor, userId) =>
      change(
        actor,
        userId,
        { disabledAt: clock.now() },
        async (tx, user) => {
          if (user.disabledAt === null) await refuseLosingLastAdministrator(tx, user);
        },
        (before) => ({ action: "user.disabled", target: userTarget(before), details: { userId, username: before.username, wasDisabled: before.disabledAt !== null } }),
        "end",
      ),

    enable: (actor, userId) =>
      change(actor, userId, { disabledAt: null }, async () => undefined, (before) => ({ action: "user.enabled", target: userTarget(before), details: { userId, username: before.username, wasDisabled: before.disabledAt !== null } })),

    async deleteUser(actor, userId, entriesTo) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      await auditLog.commit(actor, {
        work: async (tx) => {
          const user = await existing(tx, userId);
          await refuseLosingLastAdministrator(tx, user);
          const owned = await tx.users.countOwnedEntries(userId);
          if (owned > 0 && entriesTo === undefined) throw conflict(problem("user_owns_entries", { count: owned }), "entriesTo");
          if (entriesTo !== undefined) {
            const recipient = entriesTo === userId ? undefined : await tx.users.findUserById(entriesTo);
            if (recipient === undefined || recipient.disabledAt !== null || recipient.role === "auditor") throw invalidInput(problem("entries_recipient_invalid"), "entriesTo");
          }
          const moved = entriesTo === undefined ? 0 : await tx.users.reassignEntries(userId, entriesTo);
          await tx.users.deleteUser(userId);
          return { user, moved };
        },
        events: ({ user, moved }) => [{ action: "user.deleted", target: userTarget(user), details: { userId, username: user.username, role: user.role, entriesMoved: moved, entriesTo: entriesTo ?? null } }],
      });
    },
  };
}
