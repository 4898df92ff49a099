// What "My entries" search and filters match, said once: the reference predicate (an entry matches
// when its name, issuer, account or a tag holds the trimmed query, case ignored as
// String.prototype.toLowerCase ignores it) and the text the store keeps so that SQL can narrow a
// listing to the same entries. SQL's own lower() cannot: SQLite's folds ASCII only.

/** Between the fields of an entry's search text. A needle without it can only match within one field. */
export const SEARCH_TEXT_SEPARATOR = "\n";

export interface SearchableEntry {
  readonly name: string;
  readonly issuer: string | null;
  readonly account: string | null;
  readonly tags: readonly string[];
  readonly folderId: string | null;
}

export interface EntrySearch {
  /** The trimmed, lower-cased query; undefined when there is none (or only spaces). */
  readonly needle?: string;
  readonly folderId?: string;
  /** A tag the entry must carry, lower-cased. */
  readonly tag?: string;
}

export function entrySearchOf(query: { readonly q?: string; readonly folderId?: string; readonly tag?: string }): EntrySearch {
  const needle = query.q?.trim().toLowerCase();
  return {
    ...(needle === undefined || needle === "" ? {} : { needle }),
    ...(query.folderId === undefined ? {} : { folderId: query.folderId }),
    ...(query.tag === undefined ? {} : { tag: query.tag.toLowerCase() }),
  };
}

/**
 * The entry's searchable fields, each lower-cased, one after the other. Every field that holds a
 * needle puts it in this text, so a match here is needed (a needle holding the separator may also
 * match across two fields: matchesEntrySearch has the last word).
 */
export const searchTextOf = (entry: Pick<SearchableEntry, "name" | "issuer" | "account" | "tags">): string =>
  [entry.name, entry.issuer ?? "", entry.account ?? "", ...entry.tags].map((field) => field.toLowerCase()).join(SEARCH_TEXT_SEPARATOR);

export function matchesEntrySearch(entry: SearchableEntry, search: EntrySearch): boolean {
  if (search.folderId !== undefined && entry.folderId !== search.folderId) return false;
  if (search.tag !== undefined && !entry.tags.includes(search.tag)) return false;
  const { needle } = search;
  if (needle === undefined) return true;
  return [entry.name, entry.issuer, entry.account, ...entry.tags].some((field) => field?.toLowerCase().includes(needle));
}
