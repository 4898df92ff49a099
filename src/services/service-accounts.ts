// Administering service accounts and their API tokens: create, list, disable and enable accounts;
// create a token (shown once, kept only as its hash), list tokens with their scope and last use,
// revoke one at once. Administrators only; every change audited, no event ever holding a token.
import type { Clock } from "../core/clock.js";
import { parseCidr } from "../core/address-allowlist.js";
import { conflict, invalidInput, notFound, problem } from "../core/errors.js";
import { newApiTokenId, newServiceAccountId, type ApiTokenId, type EntryId, type FolderId, type ServiceAccountId } from "../core/ids.js";
import type { TokenPermission } from "../core/policy-facts.js";
import type { ApiTokenRecord } from "../store/api-tokens.js";
import type { ServiceAccountRecord } from "../store/service-accounts.js";
import type { Repositories } from "../store/store.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import { hashApiToken, newApiToken } from "./api-token-authentication.js";
import type { AuditLog } from "./audit-log.js";

export interface ServiceAccountView {
  readonly account: ServiceAccountRecord;
  readonly activeTokens: number;
}

export type ApiTokenState = "active" | "expired" | "revoked";

export interface ApiTokenView {
  readonly token: ApiTokenRecord;
  readonly serviceAccountName: string;
  readonly state: ApiTokenState;
}

export interface NewApiTokenInput {
  readonly label?: string | undefined;
  readonly scope: { readonly entryIds: readonly string[]; readonly folderIds: readonly string[]; readonly permissions: readonly TokenPermission[] };
  readonly expiresInSeconds?: number | undefined;
  readonly allowedCidrs?: readonly string[] | undefined;
}

export interface ServiceAccountService {
  list(actor: Actor): Promise<ServiceAccountView[]>;
  create(actor: Actor, input: { name: string; description?: string | undefined }): Promise<ServiceAccountView>;
  /** Disabling stops every token of the account at its next request; enabling lets the live ones work again. */
  setDisabled(actor: Actor, id: string, isDisabled: boolean): Promise<ServiceAccountView>;
  /** The token, to show once, and what is kept of it. */
  createToken(actor: Actor, serviceAccountId: string, input: NewApiTokenInput): Promise<{ secret: string; view: ApiTokenView }>;
  listTokens(actor: Actor, serviceAccountId?: string): Promise<ApiTokenView[]>;
  /** Revoked at once (every node: the next request reads the row); revoking a revoked token changes nothing. */
  revokeToken(actor: Actor, tokenId: string): Promise<ApiTokenView>;
}

const ADMIN_ONLY = problem("service_accounts_admin_only");
const NO_SUCH_ACCOUNT = problem("service_account_not_found");

export const tokenStateOf = (token: ApiTokenRecord, now: number): ApiTokenState =>
  token.revokedAt !== null ? "revoked" : token.expiresAt !== null && token.expiresAt <= now ? "expired" : "active";

export function createServiceAccountService(deps: {
  store: Pick<Repositories, "serviceAccounts" | "apiTokens" | "entries" | "folders">;
  access: Pick<AccessService, "requireAdmin">;
  auditLog: AuditLog;
  clock: Clock;
}): ServiceAccountService {
  const { store, access, auditLog, clock } = deps;

  async function findAccount(id: string): Promise<ServiceAccountRecord> {
    const account = await store.serviceAccounts.findServiceAccount(id as ServiceAccountId);
    if (account === undefined) throw notFound(NO_SUCH_ACCOUNT);
    return account;
  }

  async function viewOf(account: ServiceAccountRecord): Promise<ServiceAccountView> {
    const now = clock.now();
    const tokens = await store.apiTokens.listTokens(account.id);
    return { account, activeTokens: tokens.filter((t) => tokenStateOf(t, now) === "active").length };
  }

  const tokenViewOf = (token: ApiTokenRecord, account: Pick<ServiceAccountRecord, "name">): ApiTokenView => ({ token, serviceAccountName: account.name, state: tokenStateOf(token, clock.now()) });

  /** What an audit event says of a token: never the token, nor its hash. */
  const tokenDetails = (token: ApiTokenRecord, account: ServiceAccountRecord) => ({
    apiTokenId: token.id,
    serviceAccountId: account.id,
    serviceAccount: account.name,
    label: token.label,
    scope: token.scope,
    allowedCidrs: token.allowedCidrs,
    expiresAt: token.expiresAt,
  });

  async function checkScope(scope: NewApiTokenInput["scope"]): Promise<void> {
    if (scope.entryIds.length === 0 && scope.folderIds.length === 0) throw invalidInput(problem("api_token_scope_empty"), "scope");
    for (const [index, id] of scope.entryIds.entries()) {
      if ((await store.entries.findEntry(id)) === undefined) throw invalidInput(problem("api_token_entry_unknown", { id }), `scope.entryIds.${index}`);
    }
    for (const [index, id] of scope.folderIds.entries()) {
      if ((await store.folders.findFolder(id)) === undefined) throw invalidInput(problem("api_token_folder_unknown", { id }), `scope.folderIds.${index}`);
    }
  }

  return {
    async list(actor) {
      access.requireAdmin(actor, ADMIN_ONLY);
      return Promise.all((await store.serviceAccounts.listServiceAccounts()).map(viewOf));
    },

    async create(actor, input) {
      access.requireAdmin(actor, ADMIN_ONLY);
      const name = input.name.trim();
      if (name === "") throw invalidInput(problem("field_required", { field: "name" }), "name");
      const description = input.description?.trim() || null;
      const id = newServiceAccountId();
      await auditLog.commit(actor, {
        work: (tx) => tx.serviceAccounts.insertServiceAccount({ id, name, description, createdBy: actor.userId, createdAt: clock.now() }),
        events: () => [{ action: "service_account.created", target: { type: "service_account", id, name }, details: { serviceAccountId: id, name } }],
      });
      return viewOf(await findAccount(id));
    },

    async setDisabled(actor, id, isDisabled) {
      access.requireAdmin(actor, ADMIN_ONLY);
      const account = await findAccount(id);
      if ((account.disabledAt !== null) !== isDisabled) {
        await auditLog.commit(actor, {
          work: (tx) => tx.serviceAccounts.setServiceAccountDisabled(account.id, isDisabled ? clock.now() : null),
          events: () => [{ action: isDisabled ? "service_account.disabled" : "service_account.enabled", target: { type: "service_account", id: account.id, name: account.name }, details: { serviceAccountId: account.id, name: account.name } }],
        });
      }
      return viewOf(await findAccount(id));
    },

    async createToken(actor, serviceAccountId, input) {
      access.requireAdmin(actor, ADMIN_ONLY);
      const account = await findAccount(serviceAccountId);
      if (account.disabledAt !== null) throw conflict(problem("api_token_service_account_disabled", { name: account.name }));
      await checkScope(input.scope);
      const allowedCidrs = [...new Set((input.allowedCidrs ?? []).map((text, index) => parseCidr(text, `allowedCidrs.${index}`)))];
      const now = clock.now();
      const secret = newApiToken();
      const record: ApiTokenRecord = {
        id: newApiTokenId(),
        serviceAccountId: account.id,
        tokenHash: hashApiToken(secret),
        label: input.label?.trim() ?? "",
        scope: { entryIds: input.scope.entryIds as EntryId[], folderIds: input.scope.folderIds as FolderId[], permissions: [...input.scope.permissions] },
        allowedCidrs,
        expiresAt: input.expiresInSeconds === undefined ? null : now + input.expiresInSeconds * 1000,
        createdBy: actor.userId,
        createdAt: now,
        lastUsedAt: null,
        lastUsedIp: null,
        revokedAt: null,
      };
      await auditLog.commit(actor, {
        work: (tx) => tx.apiTokens.insertToken(record),
        events: () => [{ action: "api_token.created", target: { type: "api_token", id: record.id, name: record.label }, details: tokenDetails(record, account) }],
      });
      return { secret, view: tokenViewOf(record, account) };
    },

    async listTokens(actor, serviceAccountId) {
      access.requireAdmin(actor, ADMIN_ONLY);
      const accounts = new Map((await store.serviceAccounts.listServiceAccounts()).map((a) => [a.id, a]));
      if (serviceAccountId !== undefined && !accounts.has(serviceAccountId as ServiceAccountId)) throw notFound(NO_SUCH_ACCOUNT);
      const tokens = await store.apiTokens.listTokens(serviceAccountId as ServiceAccountId | undefined);
      return tokens.map((t) => tokenViewOf(t, accounts.get(t.serviceAccountId) ?? { name: t.serviceAccountId }));
    },

    async revokeToken(actor, tokenId) {
      access.requireAdmin(actor, ADMIN_ONLY);
      const token = await store.apiTokens.findToken(tokenId as ApiTokenId);
      if (token === undefined) throw notFound(problem("api_token_not_found"));
      const account = await findAccount(token.serviceAccountId);
      if (token.revokedAt === null) {
        await auditLog.commit(actor, {
          work: (tx) => tx.apiTokens.revokeToken(token.id, clock.now()),
          events: () => [{ action: "api_token.revoked", target: { type: "api_token", id: token.id, name: token.label }, details: tokenDetails(token, account) }],
        });
      }
      return tokenViewOf((await store.apiTokens.findToken(token.id))!, account);
    },
  };
}
