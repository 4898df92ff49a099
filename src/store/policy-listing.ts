// Paged listings by policy: the entry ids an actor may use (or recover, manage), in SQL, from the
// same EntryAccessRule that core/policy-rule.ts evaluates for one entry. Every clause below has
// its twin there; test/integration/policy-listing.test.ts proves the two agree on random data.
import { sql, type Compilable, type Kysely, type RawBuilder, type Selectable, type SqlBool } from "kysely";
import type { EntrySearch } from "../core/entry-search.js";
import type { EntryId } from "../core/ids.js";
import type { EntryAccessDescription, EntryAccessRule } from "../core/policy-rule.js";
import { entryRecordOf, type EntryRecord } from "./entries.js";
import { NEVER, grantBelongsTo, grantGivesOneOf, grantIsLive } from "./grant-conditions.js";
import type { Database, EntriesTable } from "./schema.js";

export interface ListingPage {
  /** At most this many ids (1–1000). */
  readonly limit: number;
  /** Skip this many, in the listing's order (entry name, then id). */
  readonly offset?: number;
}

/** Where an entry stands in a listing's order: by name key, then id. */
export interface EntryPosition {
  readonly nameKey: string;
  readonly id: string;
}

export interface ListedEntry {
  readonly record: EntryRecord;
  readonly position: EntryPosition;
}

/** A tag and how many of the listed entries carry it. */
export interface TagCount {
  readonly tag: string;
  readonly entries: number;
}

export interface PolicyListingStore {
  /**
   * Up to `limit` (1–1001) of the entries the description allows that match the search, after
   * `after`, in name order: exactly those core/entry-search.ts's matchesEntrySearch accepts.
   */
  listEntries(description: EntryAccessDescription, search: EntrySearch, page: { readonly limit: number; readonly after?: EntryPosition }): Promise<ListedEntry[]>;
  /**
   * The ids of the entries the description allows, ordered by name. A "denied" description (a
   * disabled actor, an auditor, a revoked token…) lists nothing, as decide() would answer.
   */
  listEntryIds(description: EntryAccessDescription, page: ListingPage): Promise<EntryId[]>;
  countEntries(description: EntryAccessDescription): Promise<number>;
  /**
   * Every tag of the entries listEntries would list with no search, once, with the number of
   * those entries that carry it: the most used first (ties by tag, in code point order), at most
   * `limit` (1–10001), in one query. It reads every entry the description allows: at 100,000
   * entries, ~0.2–0.3 s for an administrator's view of all, ~20 ms for a member's own.
   */
  listTags(description: EntryAccessDescription, limit: number): Promise<TagCount[]>;
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

/**
 * "standing" again, as the set of entries it allows rather than a test per entry: owned, granted
 * one by one, or in a granted folder. A member's listing reads these few hundred rows by index
 * instead of testing each of 100,000 entries in name order.
 */
function standingEntries(rule: EntryAccessRule): RawBuilder<SqlBool> {
  if (rule.everyEntry) return sql<SqlBool>`1 = 1`;
  const live = sql`${grantBelongsTo("g", rule.principals)} and ${grantGivesOneOf("g", rule.coveringPermissions)} and ${grantIsLive("g", rule.now)}`;
  const sources = [
    ...(rule.ownerId === null ? [] : [sql`select o.id from entries o where o.owner_id = ${rule.ownerId}`]),
    sql`select g.entry_id from grants g where g.entry_id is not null and ${live}`,
    sql`select f.id from grants g join entries f on f.folder_id = g.folder_id where ${live}`,
  ];
  return sql<SqlBool>`e.id in (${sql.join(sources, sql` union `)})`;
}

/** LIKE's wildcards taken literally: "!" escapes (a backslash would mean different things to the two dialects' string literals). */
const containing = (text: string): string => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * The search as SQL: one LIKE per word. Search text and words are both folded by JavaScript
 * (core/entry-search.ts), so SQLite's LIKE (which also folds ASCII case) and PostgreSQL's agree,
 * and PostgreSQL's trigram index (store/search-index.ts) serves each LIKE. A tag is found in the
 * tags' JSON as its own JSON string: every tag the entry has is there, quoted.
 */
function mayMatch(search: EntrySearch): RawBuilder<SqlBool>[] {
  const parts: RawBuilder<SqlBool>[] = [];
  for (const word of search.words ?? []) parts.push(sql<SqlBool>`e.search_text like ${containing(word)} escape '!'`);
  if (search.folderId === null) parts.push(sql<SqlBool>`e.folder_id is null`);
  else if (search.folderId !== undefined) parts.push(sql<SqlBool>`e.folder_id = ${search.folderId}`);
  if (search.tag !== undefined) parts.push(sql<SqlBool>`e.tags like ${containing(JSON.stringify(search.tag))} escape '!'`);
  return parts;
}

const allowedBy = (rule: EntryAccessRule) => sql<SqlBool>`${inTokenScope(rule)} and ${standing(rule)} and ${approvalSatisfied(rule)}`;

const MAX_PAGE = 1000;
const MAX_TAGS = 10_001;

/** Code point order, the same on both databases whatever PostgreSQL's collation. */
const byCodePoint = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/**
 * The statement of a page of listEntries (the plan tests explain it). An entry-by-entry rule
 * (a member's "My entries") reads the few hundred entries it allows by index, then sorts them. A
 * rule that allows every entry walks the name index until the page is full, and chooses the
 * page's ids there first, reading those rows only then: the index holds the search text
 * (migration 0021), so a search tests each entry in the index alone. Read whole, PostgreSQL
 * fetched every row the walk passed, matching or not (60,000 of 100,000 entries to fill a page
 * of a word found in 15% of them on the scale bench). A filter on another column (folder, tag,
 * token scope) reads the row, as before. SQLite takes the same route, at the same speed.
 */
export function entryPageQuery(db: Kysely<Database>, rule: EntryAccessRule, search: EntrySearch, page: { readonly limit: number; readonly after?: EntryPosition }): Compilable<Selectable<EntriesTable>> & { execute(): Promise<Selectable<EntriesTable>[]> } {
  // One more than a page: the caller reads one past the page to know whether another follows.
  const limit = Math.max(1, Math.min(MAX_PAGE + 1, Math.trunc(page.limit)));
  const conditions = [inTokenScope(rule), standingEntries(rule), approvalSatisfied(rule), ...mayMatch(search)];
  // A row value: one range of the (name_key, id) index, not an "or" of two.
  if (page.after !== undefined) conditions.push(sql<SqlBool>`(e.name_key, e.id) > (${page.after.nameKey}, ${page.after.id})`);
  const matching = sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
  if (!rule.everyEntry) return db.selectFrom("entries as e").selectAll("e").where(matching).orderBy("e.name_key").orderBy("e.id").limit(limit);
  const ids = db.selectFrom("entries as e").select(["e.id", "e.name_key"]).where(matching).orderBy("e.name_key").orderBy("e.id").limit(limit);
  return db.selectFrom(ids.as("k")).innerJoin("entries as r", "r.id", "k.id").selectAll("r").orderBy("k.name_key").orderBy("k.id");
}

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
    async listEntries(description, search, page) {
      if (description.kind === "denied") return [];
      const rows = await entryPageQuery(db, description.rule, search, page).execute();
      return rows.map((row) => ({ record: entryRecordOf(row), position: { nameKey: row.name_key, id: row.id } }));
    },
    async listTags(description, limit) {
      if (description.kind === "denied") return [];
      const { rule } = description;
      // The listing's own conditions (listEntries with no search), grouped by the tags' JSON as
      // stored: entries share a few sets of tags, so this reads each row once and sends back one
      // row per set, which JavaScript spreads over the tags (an entry's tags are unique,
      // services/entry-input.ts checkTags). Faster than one row per tag from JSON functions.
      const rows = await db
        .selectFrom("entries as e")
        .select((eb) => ["e.tags", eb.fn.countAll<number | string>().as("n")])
        .where(sql<SqlBool>`${sql.join([inTokenScope(rule), standingEntries(rule), approvalSatisfied(rule)], sql` and `)} and e.tags <> '[]'`)
        .groupBy("e.tags")
        .execute();
      const counts = new Map<string, number>();
      for (const row of rows) for (const tag of JSON.parse(row.tags) as string[]) counts.set(tag, (counts.get(tag) ?? 0) + Number(row.n));
      const most = Math.max(1, Math.min(MAX_TAGS, Math.trunc(limit)));
      return [...counts].map(([tag, entries]) => ({ tag, entries })).sort((a, b) => b.entries - a.entries || byCodePoint(a.tag, b.tag)).slice(0, most);
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
