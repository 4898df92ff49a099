// Every refused attempt by a known caller is an audit event with outcome "denied": a member asking
// for an entry they may not use (answered 404, as for no entry at all), a token out of its scope or
// revoked, a non-administrator on an administrator's route, an approver deciding their own request.
// One hook on the error path, so a request that succeeds never pays for it; the event is named by
// the route (the action its success would be audited as) and the target by the route's id. The
// event commits before the refusal is sent; when it cannot be written the refusal is still sent
// and the failure logged (a caller must not learn more because the log is down).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { isWatchwordError, type ProblemKey, type WatchwordError } from "../core/errors.js";
import { isDenialAudited, type AuditActor, type AuditFacts, type AuditLog, type AuditTarget, type AuditTargetType } from "../services/audit-log.js";
import type { UserId } from "../core/ids.js";
import type { Store } from "../store/store.js";
import { originOf } from "./authentication.js";

/** 404s that may stand for "you may not see it": a refusal, not a typing mistake. */
const HIDING_NOT_FOUND: ReadonlySet<ProblemKey> = new Set<ProblemKey>(["entry_not_found", "grant_not_found", "access_request_not_found"]);

type TargetOf = (request: FastifyRequest) => { type: AuditTargetType; id: string } | undefined;

const param =
  (type: AuditTargetType, name = "id"): TargetOf =>
  (request) => {
    const value = (request.params as Record<string, unknown> | undefined)?.[name];
    return typeof value === "string" ? { type, id: value } : undefined;
  };

const bodyField = (request: FastifyRequest, name: string): string | undefined => {
  const value = (request.body as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === "string" ? value : undefined;
};

/** An access request's target: the entry or folder in its body. */
const requestedTarget: TargetOf = (request) => {
  const entryId = bodyField(request, "entryId");
  if (entryId !== undefined) return { type: "entry", id: entryId };
  const folderId = bodyField(request, "folderId");
  return folderId === undefined ? undefined : { type: "folder", id: folderId };
};

/** A new grant's scope, from its body. */
const grantScope: TargetOf = (request) => {
  const scope = (request.body as { scope?: { kind?: unknown; id?: unknown } } | null | undefined)?.scope;
  if (typeof scope?.id !== "string") return undefined;
  return scope.kind === "folder" ? { type: "folder", id: scope.id } : { type: "entry", id: scope.id };
};

/** A query string's entry or folder (the grant list). */
const queriedScope: TargetOf = (request) => {
  const query = request.query as Record<string, unknown> | undefined;
  if (typeof query?.entryId === "string") return { type: "entry", id: query.entryId };
  return typeof query?.folderId === "string" ? { type: "folder", id: query.folderId } : undefined;
};

/** "METHOD /route" → the action its success is audited as (or the read it is), and where its target is. */
const ATTEMPTS: Readonly<Record<string, readonly [string, TargetOf?]>> = {
  "GET /api/v1/entries/:id/code": ["code.issued", param("entry")],
  "POST /api/v1/entries/:id/code": ["code.issued", param("entry")],
  "GET /api/v1/codes": ["code.issued"],
  "POST /api/v1/entries/:id/emergency-code": ["code.issued", param("entry")],
  "POST /api/v1/entries/:id/recovery-codes/next": ["recovery_code.revealed", param("entry")],
  "POST /api/v1/entries/:id/recovery-codes/all": ["recovery_codes.revealed_all", param("entry")],
  "PUT /api/v1/entries/:id/recovery-codes": ["recovery_codes.replaced", param("entry")],
  "POST /api/v1/entries/:id/fields/:key/reveal": ["field.revealed", param("entry")],
  "GET /api/v1/entries": ["entry.listed"],
  "POST /api/v1/entries": ["entry.created"],
  "GET /api/v1/entries/:id": ["entry.viewed", param("entry")],
  "PATCH /api/v1/entries/:id": ["entry.updated", param("entry")],
  "DELETE /api/v1/entries/:id": ["entry.deleted", param("entry")],
  "PUT /api/v1/entries/:id/seed": ["seed.overwritten", param("entry")],
  "GET /api/v1/entries/:id/policy": ["entry.policy_viewed", param("entry")],
  "PUT /api/v1/entries/:id/policy": ["entry.policy_changed", param("entry")],
  "POST /api/v1/access-requests": ["access_request.created", requestedTarget],
  "GET /api/v1/access-requests/:id": ["access_request.viewed", param("access_request")],
  "POST /api/v1/access-requests/:id/approve": ["access_request.approved", param("access_request")],
  "POST /api/v1/access-requests/:id/deny": ["access_request.denied", param("access_request")],
  "POST /api/v1/access-requests/:id/review": ["access_request.reviewed", param("access_request")],
  "POST /api/v1/access-requests/:id/cancel": ["access_request.cancelled", param("access_request")],
  "POST /api/v1/folders": ["folder.created"],
  "GET /api/v1/folders/:id": ["folder.viewed", param("folder")],
  "PATCH /api/v1/folders/:id": ["folder.renamed", param("folder")],
  "DELETE /api/v1/folders/:id": ["folder.deleted", param("folder")],
  "PUT /api/v1/folders/:id/approver-group": ["folder.approver_group_set", param("folder")],
  "POST /api/v1/templates": ["template.created"],
  "PUT /api/v1/templates/:id": ["template.updated", param("template")],
  "DELETE /api/v1/templates/:id": ["template.deleted", param("template")],
  "POST /api/v1/grants": ["grant.created", grantScope],
  "GET /api/v1/grants": ["grant.listed", queriedScope],
  "DELETE /api/v1/grants/:id": ["grant.revoked", param("grant")],
  "GET /api/v1/principals": ["principal.searched"],
  "GET /api/v1/groups": ["group.listed"],
  "POST /api/v1/groups": ["group.created"],
  "PATCH /api/v1/groups/:id": ["group.renamed", param("group")],
  "DELETE /api/v1/groups/:id": ["group.deleted", param("group")],
  "PUT /api/v1/groups/:id/members/:userId": ["group.member_added", param("group")],
  "DELETE /api/v1/groups/:id/members/:userId": ["group.member_removed", param("group")],
  "POST /api/v1/imports": ["import.previewed"],
  "POST /api/v1/imports/:id/confirm": ["import.confirmed", param("import")],
  "DELETE /api/v1/imports/:id": ["import.discarded", param("import")],
  "GET /api/v1/service-accounts": ["service_account.listed"],
  "POST /api/v1/service-accounts": ["service_account.created"],
  "POST /api/v1/service-accounts/:id/disable": ["service_account.disabled", param("service_account")],
  "POST /api/v1/service-accounts/:id/enable": ["service_account.enabled", param("service_account")],
  "POST /api/v1/service-accounts/:id/tokens": ["api_token.created", param("service_account")],
  "GET /api/v1/api-tokens": ["api_token.listed"],
  "POST /api/v1/api-tokens/:id/revoke": ["api_token.revoked", param("api_token")],
  "POST /api/v1/users/unlock": ["user.unlocked"],
  "GET /api/v1/users": ["user.listed"],
  "POST /api/v1/users": ["user.invited"],
  "POST /api/v1/users/:id/invite": ["user.invite_reissued", param("user")],
  "POST /api/v1/users/:id/password-reset": ["user.password_reset_issued", param("user")],
  "PUT /api/v1/users/:id/role": ["user.role_changed", param("user")],
  "POST /api/v1/users/:id/disable": ["user.disabled", param("user")],
  "POST /api/v1/users/:id/enable": ["user.enabled", param("user")],
  "DELETE /api/v1/users/:id": ["user.deleted", param("user")],
  "POST /api/v1/audit/verify": ["audit.verified"],
  "GET /api/v1/audit/events": ["audit.read"],
  "GET /api/v1/audit/export": ["audit.exported"],
  "PATCH /api/v1/account": ["user.profile_changed"],
  "POST /api/v1/account/password": ["user.password_changed"],
};

/** What a denied event may say of an id from the request: bounded, so a hostile path cannot fill the log. */
const MAX_ID = 100;

/** The target's name (and an entry's folder) as stored now; nothing when it does not exist or is not ours to name. */
async function describeTarget(store: Store, target: { type: AuditTargetType; id: string }): Promise<{ target: AuditTarget; folderId: string | null }> {
  const id = target.id.slice(0, MAX_ID);
  try {
    switch (target.type) {
      case "entry": {
        const entry = await store.entries.findEntry(id);
        return { target: { type: "entry", id, name: entry?.name ?? null }, folderId: entry?.folderId ?? null };
      }
      case "folder": {
        const folder = await store.folders.findFolder(id);
        return { target: { type: "folder", id, name: folder?.name ?? null }, folderId: folder === undefined ? null : id };
      }
      case "user":
        return { target: { type: "user", id, name: (await store.users.findUserById(id as UserId))?.username ?? null }, folderId: null };
      default:
        return { target: { type: target.type, id, name: null }, folderId: null };
    }
  } catch {
    // An id the database cannot even compare (a malformed uuid on PostgreSQL): named as given.
    return { target: { type: target.type, id, name: null }, folderId: null };
  }
}

/** The caller the request was authenticated as, if any: a refusal before that (no credential, a bad CSRF token) has no one to name. */
function actorOfRequest(request: FastifyRequest): AuditActor | undefined {
  if (request.serviceAccount !== undefined) return request.serviceAccount;
  const session = request.session;
  if (session === undefined) return undefined;
  return { kind: "user", userId: session.user.id as UserId, username: session.user.username, origin: originOf(request) };
}

export function isDenial(error: unknown): error is WatchwordError {
  if (!isWatchwordError(error)) return false;
  return error.code === "forbidden" || (error.code === "not_found" && error.key !== undefined && HIDING_NOT_FOUND.has(error.key));
}

export function registerDenialAudit(app: FastifyInstance, deps: { auditLog: AuditLog; store: Store }): void {
  app.addHook("onError", async (request, _reply, error) => {
    if (!isDenial(error) || isDenialAudited(error)) return;
    const actor = actorOfRequest(request);
    if (actor === undefined) return;
    const route = request.routeOptions.url ?? "";
    const [action, targetOf] = ATTEMPTS[`${request.method} ${route}`] ?? ["request.denied"];
    const where = targetOf?.(request);
    const described = where === undefined ? undefined : await describeTarget(deps.store, where);
    const facts: AuditFacts = {
      action,
      outcome: "denied",
      reason: error.key ?? error.code,
      ...(described === undefined ? {} : { target: described.target, folderId: described.folderId }),
      // An entry that exists is named as entry too, so its history shows who was refused it.
      ...(described?.target.type === "entry" && described.target.name !== null && described.target.name !== undefined ? { entry: { id: described.target.id, name: described.target.name, folderId: described.folderId } } : {}),
      details: { status: error.code === "forbidden" ? 403 : 404, problem: error.key ?? null, method: request.method, route },
    };
    try {
      await deps.auditLog.commit(actor, { events: () => [facts] });
    } catch (failure) {
      request.log.error({ err: failure, action }, "denied attempt not audited");
    }
  });
}
