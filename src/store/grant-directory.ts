// Grants as people read them — with the names of their principals, what they cover and who
// granted or revoked them — the principal picker's search, and the one guarded insert that keeps
// a principal from holding two live grants of one permission on one entry or folder. Who may see
// or write any of this is core/policy.ts's question, asked by services/grants.ts.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import type { EntryId, FolderId, GrantId } from "../core/ids.js";
import type { Grant, Instant, Principal } from "../core/policy-facts.js";
import type { PrincipalSet } from "../core/policy-rule.js";
import { grantBelongsTo, grantIsLive } from "./grant-conditions.js";
import { grantOfRow, principalColumns, rowOfGrant, type GrantRecord, type NewGrant } from "./grants.js";
import type { Database } from "./schema.js";

export type PrincipalKind = Principal["kind"];

/** The grants table under the alias the views read it by. */
type GrantAlias = Database & { g: Database["grants"] };

export interface NamedPrincipalRecord {
  readonly kind: PrincipalKind;
  readonly id: string;
  /** A user's display name, a group's or service account's name. */
  readonly name: string;
  /** A user's username; null for the others. */
  readonly detail: string | null;
  readonly isDisabled: boolean;
}

export interface GrantViewRecord extends GrantRecord {
  readonly principalName: string;
  readonly principalDetail: string | null;
  readonly scopeName: string;
  readonly createdByName: string | null;
  readonly revokedByName: string | null;
}

export interface GrantViewFilter {
  /** Grants on any of these entries or folders; both absent: every grant. */
  readonly entryIds?: readonly EntryId[];
  readonly folderIds?: readonly FolderId[];
  readonly includeRevoked: boolean;
  /** Only grants live at this instant. */
  readonly liveAt?: Instant;
}

export type GuardedInsert = { readonly outcome: "inserted" } | { readonly outcome: "duplicate"; readonly id: GrantId } | { readonly outcome: "scope_missing" };

export interface PrincipalSearch {
  readonly q: string;
  readonly kind?: PrincipalKind;
  readonly limit: number;
}

export interface GrantDirectoryStore {
  /** Oldest first. */
  listGrantViews(filter: GrantViewFilter): Promise<GrantViewRecord[]>;
  findGrantView(id: GrantId): Promise<GrantViewRecord | undefined>;
  /**
   * Inserts the grant unless the same principal holds a grant of the same permission on the same
   * entry or folder that is live at `now`. The scope's row is taken first with a no-op UPDATE (a
   * row lock in PostgreSQL, the write lock in SQLite), so two nodes adding the same grant at once
   * give one grant and one "duplicate".
   */
  insertUniqueGrant(grant: NewGrant, now: Instant): Promise<GuardedInsert>;
  /** Any principal, disabled ones too; undefined when there is none with that id. */
  findPrincipal(principal: Principal): Promise<NamedPrincipalRecord | undefined>;
  /** Enabled users (by display name or username), groups and service accounts whose names contain `q`, by name. */
  searchPrincipals(search: PrincipalSearch): Promise<NamedPrincipalRecord[]>;
  /** Display names by user id; absent ids have no user. */
  userNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** The principals' grants on folders, live or not (who manages which folder is decide()'s question). */
  listFolderGrantsOf(principals: PrincipalSet): Promise<Grant[]>;
}

/** `q` as a LIKE pattern that matches it anywhere, its own % and _ taken literally. */
const containing = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createGrantDirectoryStore(db: Kysely<Database>): GrantDirectoryStore {
  const joinedViews = () =>
    db
      .selectFrom("grants as g")
      .leftJoin("users as pu", "pu.id", "g.user_id")
      .leftJoin("groups as pg", "pg.id", "g.group_id")
      .leftJoin("service_accounts as ps", "ps.id", "g.service_account_id")
      .leftJoin("entries as se", "se.id", "g.entry_id")
      .leftJoin("folders as sf", "sf.id", "g.folder_id")
      .leftJoin("users as cb", "cb.id", "g.created_by")
      .leftJoin("users as rb", "rb.id", "g.revoked_by")
      .selectAll("g")
      .select([
        "pu.display_name as user_name",
        "pu.username as user_username",
        "pg.name as group_name",
        "ps.name as service_account_name",
        "se.name as entry_name",
        "sf.name as folder_name",
        "cb.display_name as created_by_name",
        "rb.display_name as revoked_by_name",
      ])
      .orderBy("g.created_at")
      .orderBy("g.id");

  /**
   * The same rows and names for a few grants (a page of entries', one grant): each name read by
   * primary key, row by row. Joined, PostgreSQL hashes the whole users table twice to name a
   * handful of grants (its cost model prices a hash of 10,000 users below 50 index reads): 15 ms
   * of every 100-entry page on the scale bench, against under 1 ms so.
   */
  const viewsNamedRowByRow = () =>
    db
      .selectFrom("grants as g")
      .selectAll("g")
      .select((eb) => [
        eb.selectFrom("users as pu").select("pu.display_name").whereRef("pu.id", "=", "g.user_id").as("user_name"),
        eb.selectFrom("users as pu").select("pu.username").whereRef("pu.id", "=", "g.user_id").as("user_username"),
        eb.selectFrom("groups as pg").select("pg.name").whereRef("pg.id", "=", "g.group_id").as("group_name"),
        eb.selectFrom("service_accounts as ps").select("ps.name").whereRef("ps.id", "=", "g.service_account_id").as("service_account_name"),
        eb.selectFrom("entries as se").select("se.name").whereRef("se.id", "=", "g.entry_id").as("entry_name"),
        eb.selectFrom("folders as sf").select("sf.name").whereRef("sf.id", "=", "g.folder_id").as("folder_name"),
        eb.selectFrom("users as cb").select("cb.display_name").whereRef("cb.id", "=", "g.created_by").as("created_by_name"),
        eb.selectFrom("users as rb").select("rb.display_name").whereRef("rb.id", "=", "g.revoked_by").as("revoked_by_name"),
      ])
      .orderBy("g.created_at")
      .orderBy("g.id");

  type ViewRow = Awaited<ReturnType<ReturnType<typeof joinedViews>["execute"]>>[number];
  const viewOf = (row: ViewRow): GrantViewRecord => {
    const grant = grantOfRow(row);
    const principalName = row.user_name ?? row.group_name ?? row.service_account_name ?? grant.principal.id;
    return {
      ...grant,
      principalName,
      principalDetail: row.user_username,
      scopeName: row.entry_name ?? row.folder_name ?? grant.scope.id,
      createdByName: row.created_by_name,
      revokedByName: row.revoked_by_name,
    };
  };

  async function lockScope(trx: Kysely<Database>, grant: NewGrant): Promise<boolean> {
    const result =
      grant.scope.kind === "entry"
        ? await trx.updateTable("entries").set((eb) => ({ name_key: eb.ref("name_key") })).where("id", "=", grant.scope.id).executeTakeFirst()
        : await trx.updateTable("folders").set((eb) => ({ name_key: eb.ref("name_key") })).where("id", "=", grant.scope.id).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function guardedInsert(trx: Kysely<Database>, grant: NewGrant, now: Instant): Promise<GuardedInsert> {
    if (!(await lockScope(trx, grant))) return { outcome: "scope_missing" };
    const principal = principalColumns(grant.principal);
    const row = rowOfGrant(grant);
    const existing = await trx
      .selectFrom("grants as g")
      .select("g.id")
      .where("g.permission", "=", grant.permission)
      .where((eb) => (row.entry_id !== null ? eb("g.entry_id", "=", row.entry_id) : eb("g.folder_id", "=", row.folder_id)))
      .where((eb) =>
        principal.user_id !== null
          ? eb("g.user_id", "=", principal.user_id)
          : principal.group_id !== null
            ? eb("g.group_id", "=", principal.group_id)
            : eb("g.service_account_id", "=", principal.service_account_id),
      )
      .where(grantIsLive("g", now))
      .executeTakeFirst();
    if (existing !== undefined) return { outcome: "duplicate", id: existing.id as GrantId };
    await trx.insertInto("grants").values(row).execute();
    return { outcome: "inserted" };
  }

  return {
    async listGrantViews(filter) {
      const entryIds = filter.entryIds ?? [];
      const folderIds = filter.folderIds ?? [];
      const isByScope = filter.entryIds !== undefined || filter.folderIds !== undefined;
      if (isByScope && entryIds.length === 0 && folderIds.length === 0) return [];
      const matches = (eb: ExpressionBuilder<GrantAlias, "g">) => {
        const parts: Expression<SqlBool>[] = [];
        if (isByScope) {
          const scopes = [];
          if (entryIds.length > 0) scopes.push(eb("g.entry_id", "in", entryIds));
          if (folderIds.length > 0) scopes.push(eb("g.folder_id", "in", folderIds));
          parts.push(eb.or(scopes));
        }
        if (!filter.includeRevoked) parts.push(eb("g.revoked_at", "is", null));
        if (filter.liveAt !== undefined) parts.push(grantIsLive("g", filter.liveAt));
        return eb.and(parts);
      };
      // Grants on some entries and folders are a few (a page's); every grant is all of them.
      const rows = isByScope ? await viewsNamedRowByRow().where(matches).execute() : await joinedViews().where(matches).execute();
      return rows.map(viewOf);
    },

    async findGrantView(id) {
      const row = await viewsNamedRowByRow().where("g.id", "=", id).executeTakeFirst();
      return row && viewOf(row);
    },

    // Inside a transaction already (the audit log's), the caller's connection holds the lock
    // until it commits; alone, the insert makes its own transaction.
    insertUniqueGrant: (grant, now) => (db.isTransaction ? guardedInsert(db, grant, now) : db.transaction().execute((trx) => guardedInsert(trx, grant, now))),

    async findPrincipal(principal) {
      switch (principal.kind) {
        case "user": {
          const row = await db.selectFrom("users").select(["id", "display_name", "username", "disabled_at"]).where("id", "=", principal.id).executeTakeFirst();
          return row && { kind: "user", id: row.id, name: row.display_name, detail: row.username, isDisabled: row.disabled_at !== null };
        }
        case "group": {
          const row = await db.selectFrom("groups").select(["id", "name"]).where("id", "=", principal.id).executeTakeFirst();
          return row && { kind: "group", id: row.id, name: row.name, detail: null, isDisabled: false };
        }
        case "service_account": {
          const row = await db.selectFrom("service_accounts").select(["id", "name", "disabled_at"]).where("id", "=", principal.id).executeTakeFirst();
          return row && { kind: "service_account", id: row.id, name: row.name, detail: null, isDisabled: row.disabled_at !== null };
        }
      }
    },

    async searchPrincipals({ q, kind, limit }) {
      const pattern = containing(q.trim());
      const like = (column: string) => sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
      const wants = (k: PrincipalKind) => kind === undefined || kind === k;
      const [users, groups, accounts] = await Promise.all([
        wants("user")
          ? db
              .selectFrom("users")
              .select(["id", "display_name", "username"])
              .where("disabled_at", "is", null)
              .where((eb) => eb.or([like("display_name"), like("username")]))
              .orderBy("display_name")
              .orderBy("id")
              .limit(limit)
              .execute()
          : [],
        wants("group") ? db.selectFrom("groups").select(["id", "name"]).where(like("name")).orderBy("name_key").orderBy("id").limit(limit).execute() : [],
        wants("service_account")
          ? db.selectFrom("service_accounts").select(["id", "name"]).where("disabled_at", "is", null).where(like("name")).orderBy("name_key").orderBy("id").limit(limit).execute()
          : [],
      ]);
      const found: NamedPrincipalRecord[] = [
        ...users.map((u) => ({ kind: "user" as const, id: u.id, name: u.display_name, detail: u.username, isDisabled: false })),
        ...groups.map((g) => ({ kind: "group" as const, id: g.id, name: g.name, detail: null, isDisabled: false })),
        ...accounts.map((s) => ({ kind: "service_account" as const, id: s.id, name: s.name, detail: null, isDisabled: false })),
      ];
      return found.sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.id.localeCompare(b.id)).slice(0, limit);
    },

    async userNames(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", [...new Set(ids)]).execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    async listFolderGrantsOf(principals) {
      const rows = await db
        .selectFrom("grants as g")
        .selectAll("g")
        .where("g.folder_id", "is not", null)
        .where(grantBelongsTo("g", principals))
        .orderBy("g.created_at")
        .orderBy("g.id")
        .execute();
      return rows.map(grantOfRow);
    },
  };
}
