// Single sign-on through an OpenID Connect provider: starting a flow (its state, nonce and PKCE
// verifier kept in the database for ten minutes, bound to the browser's cookie, usable once, on
// any node), and finishing it: the provider's answer checked, the person found by issuer and
// subject or created just in time, their mapped groups kept in step. Every outcome is audited as
// user.signed_in with method "sso"; a refusal changes nothing else.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { OidcConfig } from "../config-oidc.js";
import type { Clock } from "../core/clock.js";
import { forbidden, isWatchwordError, problem, unauthenticated, unavailable, type WatchwordError } from "../core/errors.js";
import { newGroupId, newUserId, type GroupId, type UserId } from "../core/ids.js";
import { baseUsernameOf, mappedGroupsOf, readProviderPerson, roleOf, usernameCandidates, type ProviderPerson } from "../core/sso-identity.js";
import type { Repositories, TransactionScope } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { RequestOrigin } from "./actor.js";
import type { AuditActor, AuditFacts, AuditLog } from "./audit-log.js";
import { newAuthorizationChecks, RelyingPartyFailure, type RelyingParty } from "./oidc-relying-party.js";

/** How long a started sign-in may take at the provider. */
export const SSO_FLOW_TTL_MS = 10 * 60 * 1000;
export const SSO_FLOW_COOKIE = "__Host-ww_sso";

export interface SsoStart {
  /** The cookie's value, which binds the flow to this browser; only its hash is stored. */
  readonly flowToken: string;
  readonly authorizationUrl: string;
  readonly expiresAt: number;
}

export interface SsoSignIn {
  readonly user: UserRecord;
  readonly nextPath: string;
}

export interface SsoService {
  readonly label: string;
  /** Starts a flow; throws unavailable (sso_provider_unreachable) when the provider cannot be reached. */
  begin(nextPath: string): Promise<SsoStart>;
  /** Finishes the flow the cookie names with the provider's callback; throws a WatchwordError with an sso_* key. */
  finish(flowToken: string | undefined, callbackQuery: URLSearchParams, origin: RequestOrigin): Promise<SsoSignIn>;
}

const hashFlowToken = (token: string): string => createHash("sha256").update(token).digest("hex");

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const refusalOf = (failure: RelyingPartyFailure): WatchwordError => {
  switch (failure.reason) {
    case "unreachable":
      return unavailable(problem("sso_provider_unreachable"));
    case "access_denied":
      return forbidden(problem("sso_access_denied"));
    case "provider_error":
      return unauthenticated(problem("sso_provider_error", { error: failure.detail }));
    case "invalid_response":
      return unauthenticated(problem("sso_response_invalid"));
  }
};

interface SignInResult {
  readonly user: UserRecord;
  readonly isNew: boolean;
  readonly added: readonly { readonly id: GroupId; readonly name: string }[];
  readonly removed: readonly { readonly id: GroupId; readonly name: string }[];
}

export function createSsoService(deps: {
  config: OidcConfig;
  relyingParty: RelyingParty;
  store: Pick<Repositories, "ssoFlows" | "userIdentities" | "users">;
  auditLog: AuditLog;
  clock: Clock;
}): SsoService {
  const { config, relyingParty, store, auditLog, clock } = deps;

  /** Records a sign-in that did not happen, then throws its refusal. */
  async function refuse(origin: RequestOrigin, error: WatchwordError, detail: string, user?: UserRecord): Promise<never> {
    const actor: AuditActor = user === undefined ? { kind: "anonymous", userId: null, username: "", origin } : { kind: "user", userId: user.id, username: user.username, origin };
    const outcome = error.code === "forbidden" ? "denied" : "failure";
    await auditLog.commit(actor, {
      events: () => [
        {
          action: "user.signed_in",
          outcome,
          reason: error.key ?? "sso_failed",
          ...(user === undefined ? {} : { target: { type: "user" as const, id: user.id, name: user.username } }),
          details: { method: "sso", issuer: config.issuer, detail },
        },
      ],
    });
    throw error;
  }

  /** A username no one has yet; throws when fifty tries are all taken. */
  async function freeUsername(person: ProviderPerson): Promise<string> {
    const base = baseUsernameOf(person);
    if (base === undefined) throw unauthenticated(problem("sso_claims_missing"));
    for (const candidate of usernameCandidates(base)) if ((await store.users.findUserByUsername(candidate)) === undefined) return candidate;
    throw unauthenticated(problem("sso_claims_missing"));
  }

  /**
   * Who signs in: the user linked to this identity, or the one to create (its id and username
   * chosen now, so that the audit event names them as the actor).
   */
  async function whoSignsIn(person: ProviderPerson): Promise<{ readonly existing: UserRecord } | { readonly newUser: { readonly id: UserId; readonly username: string } }> {
    const identity = await store.userIdentities.findIdentity(config.issuer, person.subject);
    if (identity !== undefined) {
      const existing = await store.users.findUserById(identity.userId);
      if (existing !== undefined) return { existing };
    }
    return { newUser: { id: newUserId(), username: await freeUsername(person) } };
  }

  /** The user for this identity, created on first sign-in, with the mapped groups brought in step. */
  async function signInWithin(tx: TransactionScope, person: ProviderPerson, who: Awaited<ReturnType<typeof whoSignsIn>>): Promise<SignInResult> {
    const now = clock.now();
    let user: UserRecord;
    let isNew = false;
    if ("newUser" in who) {
      const created = {
        id: who.newUser.id,
        username: who.newUser.username,
        displayName: (person.name ?? who.newUser.username).slice(0, 100),
        role: roleOf(person.groups, config.roleMap),
        // No password: this user signs in through the provider (an administrator may still send a reset link).
        passwordHash: "",
        createdAt: now,
        email: person.email,
      };
      await tx.users.insertUser(created);
      await tx.userIdentities.insertIdentity({ issuer: config.issuer, subject: person.subject, userId: created.id, email: person.email, createdAt: now, lastSignInAt: now });
      user = { ...created, disabledAt: null, language: null };
      isNew = true;
    } else {
      user = who.existing;
      await tx.userIdentities.touchIdentity(config.issuer, person.subject, person.email, now);
    }

    const { managed, wanted } = mappedGroupsOf(person.groups, config.groupMap);
    const current = new Set<GroupId>(await tx.groups.listGroupIdsOfUser(user.id));
    const added: { id: GroupId; name: string }[] = [];
    const removed: { id: GroupId; name: string }[] = [];
    for (const name of managed) {
      const isWanted = wanted.has(name.toLowerCase());
      let group = await tx.groups.findGroupByName(name);
      if (group === undefined) {
        if (!isWanted) continue;
        // A group the map names but no one made yet is made now, so the mapping works from day one.
        await tx.groups.insertGroup({ id: newGroupId(), name }, now);
        group = await tx.groups.findGroupByName(name);
        if (group === undefined) continue;
      }
      if (isWanted && !current.has(group.id)) {
        await tx.groups.addMember(group.id, user.id, now);
        added.push({ id: group.id, name: group.name });
      } else if (!isWanted && current.has(group.id)) {
        await tx.groups.removeMember(group.id, user.id);
        removed.push({ id: group.id, name: group.name });
      }
    }
    return { user, isNew, added, removed };
  }

  const eventsOf = (result: SignInResult): AuditFacts[] => {
    const target = { type: "user" as const, id: result.user.id, name: result.user.username };
    const via = { method: "sso", issuer: config.issuer };
    return [
      ...(result.isNew ? [{ action: "user.created", target, details: { ...via, userId: result.user.id, username: result.user.username, role: result.user.role } }] : []),
      ...result.added.map((g) => ({ action: "group.member_added", target: { type: "group" as const, id: g.id, name: g.name }, details: { ...via, groupId: g.id, userId: result.user.id, username: result.user.username } })),
      ...result.removed.map((g) => ({ action: "group.member_removed", target: { type: "group" as const, id: g.id, name: g.name }, details: { ...via, groupId: g.id, userId: result.user.id, username: result.user.username } })),
      { action: "user.signed_in", target, details: { ...via, isNewUser: result.isNew, groupsAdded: result.added.map((g) => g.name), groupsRemoved: result.removed.map((g) => g.name) } },
    ];
  };

  return {
    label: config.label,

    async begin(nextPath) {
      const now = clock.now();
      await store.ssoFlows.deleteExpiredFlows(now);
      const checks = newAuthorizationChecks();
      let url: URL;
      try {
        url = await relyingParty.authorizationUrl(checks);
      } catch (error) {
        throw error instanceof RelyingPartyFailure ? refusalOf(error) : error;
      }
      const flowToken = randomBytes(32).toString("base64url");
      const expiresAt = now + SSO_FLOW_TTL_MS;
      await store.ssoFlows.insertFlow({ idHash: hashFlowToken(flowToken), state: checks.state, nonce: checks.nonce, codeVerifier: checks.codeVerifier, nextPath, createdAt: now, expiresAt });
      return { flowToken, authorizationUrl: url.href, expiresAt };
    },

    async finish(flowToken, callbackQuery, origin) {
      // Taken (deleted) first, whatever follows: a callback URL works once, in the browser that started it.
      const flow = flowToken === undefined || flowToken.length > 100 ? undefined : await store.ssoFlows.takeFlow(hashFlowToken(flowToken));
      if (flow === undefined) return refuse(origin, unauthenticated(problem("sso_flow_invalid")), "no_flow");
      if (flow.expiresAt <= clock.now()) return refuse(origin, unauthenticated(problem("sso_flow_expired")), "expired");
      const state = callbackQuery.get("state") ?? "";
      if (!sameText(state, flow.state)) return refuse(origin, unauthenticated(problem("sso_flow_invalid")), "state_mismatch");

      let claims: Readonly<Record<string, unknown>>;
      try {
        claims = await relyingParty.exchangeCode(callbackQuery, flow);
      } catch (error) {
        if (error instanceof RelyingPartyFailure) return refuse(origin, refusalOf(error), error.detail);
        throw error;
      }
      const person = readProviderPerson(claims, config.groupsClaim);
      if (person === undefined) return refuse(origin, unauthenticated(problem("sso_claims_missing")), "no_subject");

      let who: Awaited<ReturnType<typeof whoSignsIn>>;
      try {
        who = await whoSignsIn(person);
      } catch (error) {
        if (isWatchwordError(error) && error.key === "sso_claims_missing") return refuse(origin, error, "no_username");
        throw error;
      }
      if ("existing" in who && who.existing.disabledAt !== null) return refuse(origin, forbidden(problem("sso_user_disabled")), "user_disabled", who.existing);
      const actor: AuditActor = "existing" in who ? { kind: "user", userId: who.existing.id, username: who.existing.username, origin } : { kind: "user", userId: who.newUser.id, username: who.newUser.username, origin };
      const result = await auditLog.commit(actor, { work: (tx) => signInWithin(tx, person, who), events: eventsOf });
      return { user: result.user, nextPath: flow.nextPath };
    },
  };
}
