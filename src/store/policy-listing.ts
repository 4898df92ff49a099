// Paged listings by policy: the entry ids an actor may use (or recover, manage), in SQL, from the
// same EntryAccessRule that core/policy-rule.ts evaluates for one entry. Every clause below has
// its twin there; test/integration/policy-listing.test.ts proves the two agree on random data.
import { sql, type Kysely, type SqlBool } from "kysely";
import type { EntryId } from "../core/ids.js";
import type { EntryAccessDescription, EntryAccessRule } from "../core/policy-rule.js";
import { NEVER, grantBelongsTo, grantGivesOneOf, grantIsLive } from "./grant-conditions.js";
import type { Database } from "./schema.js";

export interface ListingPage {
  /** At most this many ids (1–1000). */
  readonly limit: number;
  /** Skip this many, in the listing's order (entry name, then id). */
  readonly offset?: number;
}

export interface PolicyListingStore {
  /**
   * The ids of the entries the description allows, ordered by name. A "denied" description (a
   * disabled actor, an auditor, a revoked token…) lists nothing, as decide() would answer.
   */
  listEntryIds(description: EntryAccessDescription, page: ListingPage): Promise<EntryId[]>;
  countEntries(description: EntryAccessDescription): Promise<number>;
}

/** isInTokenScope */
function inTokenScope(rule: EntryAccessRule) {
  if (rule.tokenScope === null) return sql<SqlBool>`1 = 1`;
  const { entryIds, folderIds } = rule.tokenScope;
  const parts = [];
  if (entryIds.length > 0) parts.push(sql`e.id in (${sql.join(entryIds)})`);
  if (folderIds.length > 0) parts.push(sql`e.folder_id in (${sql.join(folderIds)})`);
  return parts.length === 0 ? NEVER : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** A live grant of a covering permission held by the actor: on the entry or its folder, or on the entry from an approved request. */
function liveGrant(rule: EntryAccessRule, scope: "entry_or_folder" | "entry_from_request") {
  const covers = scope === "entry_or_folder" ? sql`(g.entry_id = e.id or g.folder_id = e.folder_id)` : sql`(g.entry_id = e.id and g.access_request_id is not null)`;
  return sql<SqlBool>`exists (select 1 from grants g where ${covers} and ${grantBelongsTo("g", rule.principals)} and ${grantGivesOneOf("g", rule.coveringPermissions)} and ${grantIsLive("g", rule.now)})`;
}

/** evaluateEntryAccess's "standing": role, ownership, or a live covering grant. */
function standing(rule: EntryAccessRule) {
  if (rule.everyEntry) return sql<SqlBool>`1 = 1`;
  const owner = rule.ownerId === null ? NEVER : sql<SqlBool>`e.owner_id = ${rule.ownerId}`;
  return sql<SqlBool>`(${owner} or ${liveGrant(rule, "entry_or_folder")})`;
}

/** needsApproval, and what satisfies it: a live grant of this entry from an approved request. */
function approvalSatisfied(rule: EntryAccessRule) {
  if (rule.approval === "waived" || rule.permission === "manage") return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(coalesce((select ep.approvals_required from entry_policies ep where ep.entry_id = e.id), 0) = 0 or ${liveGrant(rule, "entry_from_request")})`;
}

const allowedBy = (rule: EntryAccessRule) => sql<SqlBool>`${inTokenScope(rule)} and ${standing(rule)} and ${approvalSatisfied(rule)}`;

const MAX_PAGE = 1000;

export function createPolicyListingStore(db: Kysely<Database>): PolicyListingStore {
  return {
    async listEntryIds(description, page) {
      if (description.kind === "denied") return [];
      const limit = Math.max(1, Math.min(MAX_PAGE, Math.trunc(page.limit)));
      const rows = await db
        .selectFrom("entries as e")
        .select("e.id")
        .where(allowedBy(description.rule))
        .orderBy("e.name_key")
        .orderBy("e.id")
        .limit(limit)
        .offset(Math.max(0, Math.trunc(page.offset ?? 0)))
        .execute();
      return rows.map((r) => r.id as EntryId);
    },
    async countEntries(description) {
      if (description.kind === "denied") return 0;
      const row = await db
        .selectFrom("entries as e")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where(allowedBy(description.rule))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
