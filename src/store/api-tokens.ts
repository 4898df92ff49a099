// API tokens of service accounts, as stored: only the token's SHA-256 hash, never the token, with
// its scope, expiry, address allowlist, last use and revocation. Finding a token by its hash also
// brings its service account, in one query (every script request asks).
import type { Kysely, Selectable } from "kysely";
import type { Cidr } from "../core/address-allowlist.js";
import type { ApiTokenId, EntryId, FolderId, ServiceAccountId, UserId } from "../core/ids.js";
import type { ServiceAccountActorFacts, TokenFacts, TokenPermission, TokenScope } from "../core/policy-facts.js";
import type { Database } from "./schema.js";
import type { ApiTokensTable } from "./schema-people-policy.js";

export interface ApiTokenRecord {
  readonly id: ApiTokenId;
  readonly serviceAccountId: ServiceAccountId;
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  readonly label: string;
  readonly scope: TokenScope;
  readonly allowedCidrs: readonly Cidr[];
  readonly expiresAt: number | null;
  readonly createdBy: UserId | null;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly lastUsedIp: string | null;
  readonly revokedAt: number | null;
}

export type NewApiToken = Omit<ApiTokenRecord, "lastUsedAt" | "lastUsedIp" | "revokedAt">;

/** A token with what authenticating it needs of its service account. */
export interface AuthenticatedToken {
  readonly token: ApiTokenRecord;
  readonly serviceAccount: { readonly id: ServiceAccountId; readonly name: string; readonly disabledAt: number | null };
}

export interface ApiTokenStore {
  insertToken(token: NewApiToken): Promise<void>;
  /** The token whose hash this is, revoked or expired too (decide() says why it no longer works). */
  findTokenByHash(tokenHash: string): Promise<AuthenticatedToken | undefined>;
  findToken(id: ApiTokenId): Promise<ApiTokenRecord | undefined>;
  /** Newest first; of one service account, or all. */
  listTokens(serviceAccountId?: ServiceAccountId): Promise<ApiTokenRecord[]>;
  /** True when this call revoked it; false when it was already revoked or does not exist. */
  revokeToken(id: ApiTokenId, now: number): Promise<boolean>;
  recordTokenUse(id: ApiTokenId, at: number, ip: string): Promise<void>;
}

const toRecord = (row: Selectable<ApiTokensTable>): ApiTokenRecord => {
  const scope = JSON.parse(row.scope) as { entryIds: string[]; folderIds: string[]; permissions: TokenPermission[] };
  return {
    id: row.id as ApiTokenId,
    serviceAccountId: row.service_account_id as ServiceAccountId,
    tokenHash: row.token_hash,
    label: row.label,
    scope: { entryIds: scope.entryIds as EntryId[], folderIds: scope.folderIds as FolderId[], permissions: scope.permissions },
    allowedCidrs: JSON.parse(row.allowed_cidrs) as Cidr[],
    expiresAt: row.expires_at,
    createdBy: row.created_by as UserId | null,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    lastUsedIp: row.last_used_ip,
    revokedAt: row.revoked_at,
  };
};

/** What core/policy.ts needs to know of a token. */
export const tokenFactsOf = (token: ApiTokenRecord): TokenFacts => ({
  id: token.id,
  scope: token.scope,
  allowedCidrs: token.allowedCidrs,
  expiresAt: token.expiresAt,
  revokedAt: token.revokedAt,
});

/** The policy actor of a request made with this token from `address`. */
export const serviceAccountActorOf = (found: AuthenticatedToken, address: string): ServiceAccountActorFacts => ({
  kind: "service_account",
  serviceAccountId: found.serviceAccount.id,
  isDisabled: found.serviceAccount.disabledAt !== null,
  token: tokenFactsOf(found.token),
  address,
});

export function createApiTokenStore(db: Kysely<Database>): ApiTokenStore {
  return {
    async insertToken(token) {
      await db
        .insertInto("api_tokens")
        .values({
          id: token.id,
          service_account_id: token.serviceAccountId,
          token_hash: token.tokenHash,
          label: token.label,
          scope: JSON.stringify({ entryIds: token.scope.entryIds, folderIds: token.scope.folderIds, permissions: token.scope.permissions }),
          allowed_cidrs: JSON.stringify(token.allowedCidrs),
          expires_at: token.expiresAt,
          created_by: token.createdBy,
          created_at: token.createdAt,
          last_used_at: null,
          last_used_ip: null,
          revoked_at: null,
        })
        .execute();
    },
    async findTokenByHash(tokenHash) {
      const row = await db
        .selectFrom("api_tokens as t")
        .innerJoin("service_accounts as s", "s.id", "t.service_account_id")
        .selectAll("t")
        .select(["s.name as account_name", "s.disabled_at as account_disabled_at"])
        .where("t.token_hash", "=", tokenHash)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const { account_name, account_disabled_at, ...token } = row;
      const record = toRecord(token);
      return { token: record, serviceAccount: { id: record.serviceAccountId, name: account_name, disabledAt: account_disabled_at } };
    },
    async findToken(id) {
      const row = await db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toRecord(row);
    },
    async listTokens(serviceAccountId) {
      let query = db.selectFrom("api_tokens").selectAll().orderBy("created_at", "desc").orderBy("id");
      if (serviceAccountId !== undefined) query = query.where("service_account_id", "=", serviceAccountId);
      return (await query.execute()).map(toRecord);
    },
    async revokeToken(id, now) {
      const result = await db.updateTable("api_tokens").set({ revoked_at: now }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async recordTokenUse(id, at, ip) {
      await db.updateTable("api_tokens").set({ last_used_at: at, last_used_ip: ip }).where("id", "=", id).execute();
    },
  };
}
