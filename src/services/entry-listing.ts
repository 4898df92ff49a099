// "My entries" (and an administrator's view of all), one page at a time: SQL chooses the page by
// the listing rule and narrows it by the search (store/policy-listing.ts); matchesEntrySearch,
// the reference, has the last word on each entry. Pages follow each other by an opaque cursor:
// the position (name key, id) of the last entry shown.
import { invalidInput, problem } from "../core/errors.js";
import { entrySearchOf, matchesEntrySearch } from "../core/entry-search.js";
import { ENTRY_PAGE_DEFAULT, ENTRY_PAGE_MAX, ENTRY_TAG_MAX, type EntryListQuery, type EntryTagQuery } from "../contract/entries.js";
import type { EntryPosition, ListedEntry, TagCount } from "../store/policy-listing.js";
import type { Repositories } from "../store/store.js";
import type { AccessService } from "./access.js";
import type { Caller } from "./actor.js";

export interface EntryListPage<T> {
  readonly entries: readonly T[];
  /** Where the next page starts; null when this one was the last. */
  readonly nextCursor: string | null;
}

export const cursorOf = (position: EntryPosition): string => Buffer.from(JSON.stringify([position.nameKey, position.id]), "utf8").toString("base64url");

/** The position a cursor names; 400 entry_cursor_invalid for anything this server would not have written. */
export function positionOfCursor(cursor: string): EntryPosition {
  const refuse = () => invalidInput(problem("entry_cursor_invalid"), "cursor");
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== "string" || typeof parsed[1] !== "string") throw refuse();
  const position = { nameKey: parsed[0], id: parsed[1] };
  // Re-encoding must give the same cursor: no second spelling, no stray bytes.
  if (cursorOf(position) !== cursor) throw refuse();
  return position;
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return ENTRY_PAGE_DEFAULT;
  const limit = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= ENTRY_PAGE_MAX)) throw invalidInput(problem("entry_limit_out_of_range", { max: ENTRY_PAGE_MAX }), "limit");
  return limit;
}

export async function listEntryPage(deps: { store: Pick<Repositories, "policyListing">; access: Pick<AccessService, "listing"> }, actor: Caller, query: EntryListQuery): Promise<EntryListPage<ListedEntry>> {
  const limit = limitOf(query.limit);
  let after = query.cursor === undefined ? undefined : positionOfCursor(query.cursor);
  // "waived": the list shows what the person may ask for too.
  const description = deps.access.listing(actor, "use", query.view ?? "mine", "waived");
  const search = entrySearchOf(query);
  const found: ListedEntry[] = [];
  // One more than the page, to know whether another follows. SQL chooses exactly the entries that
  // match (test/integration/entry-list-sql.test.ts); should a row ever differ, the reference
  // drops it and the page is read on until full, rather than shown.
  for (;;) {
    const rows = await deps.store.policyListing.listEntries(description, search, { limit: limit + 1, ...(after === undefined ? {} : { after }) });
    found.push(...rows.filter((row) => matchesEntrySearch(row.record, search)));
    const last = rows[rows.length - 1];
    if (found.length > limit || rows.length <= limit || last === undefined) break;
    after = last.position;
  }
  const entries = found.slice(0, limit);
  const last = entries[entries.length - 1];
  return { entries, nextCursor: found.length > limit && last !== undefined ? cursorOf(last.position) : null };
}

/**
 * The tags of the entries the caller's list shows (the same description of the rule), with how
 * many carry each: what the list's tag filter offers, whatever page is loaded. One query.
 */
export async function listEntryTags(
  deps: { store: Pick<Repositories, "policyListing">; access: Pick<AccessService, "listing"> },
  actor: Caller,
  query: EntryTagQuery,
): Promise<{ readonly tags: readonly TagCount[]; readonly isComplete: boolean }> {
  const description = deps.access.listing(actor, "use", query.view ?? "mine", "waived");
  const tags = await deps.store.policyListing.listTags(description, ENTRY_TAG_MAX + 1);
  return { tags: tags.slice(0, ENTRY_TAG_MAX), isComplete: tags.length <= ENTRY_TAG_MAX };
}
