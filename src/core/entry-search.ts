// What "My entries" search and filters match, said once, for the server and the web app alike: text
// is folded (case and accents ignored), the query is split into words, and an entry matches when
// every word occurs in its search text (name, issuer, account and tags, folded). The store keeps
// that folded text so that SQL finds the same entries with one LIKE per word; SQL's own lower()
// cannot fold it (SQLite's folds ASCII only, and neither strips accents).

/** Between the fields of an entry's search text. No word holds it (words are split on white space), so none matches across two fields. */
export const SEARCH_TEXT_SEPARATOR = "\n";

/** Folding that toLowerCase leaves undone: what Unicode's full case folding (CaseFolding.txt, status F and C) adds for these letters. */
const FOLDED_FURTHER: Readonly<Record<string, string>> = { "ß": "ss", "ς": "σ", "ſ": "s" };

/**
 * Text as search compares it: lower-cased, decomposed (NFD) and stripped of combining marks, so
 * "Café", "CAFÉ", "cafe" and "cafe\u0301" all read "cafe", "İstanbul" reads "istanbul" and
 * "Straße" reads "strasse".
 */
export const foldForSearch = (text: string): string =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[ßςſ]/g, (c) => FOLDED_FURTHER[c]!);

/** The query's words, folded; none for a query of only white space. */
export const searchWordsOf = (query: string): string[] => foldForSearch(query).split(/\s+/u).filter((word) => word !== "");

export interface SearchableEntry {
  readonly name: string;
  readonly issuer: string | null;
  readonly account: string | null;
  readonly tags: readonly string[];
  readonly folderId: string | null;
}

/** The folder filter's value for entries in no folder. */
export const NO_FOLDER = "none";

export interface EntrySearch {
  /** The query's folded words, at least one; undefined when the query has none. */
  readonly words?: readonly string[];
  /** The entries of this folder; null for those in no folder. */
  readonly folderId?: string | null;
  /** A tag the entry must carry, lower-cased. */
  readonly tag?: string;
}

export function entrySearchOf(query: { readonly q?: string; readonly folderId?: string; readonly tag?: string }): EntrySearch {
  const words = searchWordsOf(query.q ?? "");
  return {
    ...(words.length === 0 ? {} : { words }),
    ...(query.folderId === undefined ? {} : { folderId: query.folderId === NO_FOLDER ? null : query.folderId }),
    ...(query.tag === undefined ? {} : { tag: query.tag.toLowerCase() }),
  };
}

/** The entry's searchable fields, each folded, one after the other: what the store keeps as search_text. */
export const searchTextOf = (entry: Pick<SearchableEntry, "name" | "issuer" | "account" | "tags">): string =>
  [entry.name, entry.issuer ?? "", entry.account ?? "", ...entry.tags].map(foldForSearch).join(SEARCH_TEXT_SEPARATOR);

/** Whether every word occurs in the entry's search text. */
export const matchesSearchWords = (entry: Pick<SearchableEntry, "name" | "issuer" | "account" | "tags">, words: readonly string[]): boolean => {
  if (words.length === 0) return true;
  const text = searchTextOf(entry);
  return words.every((word) => text.includes(word));
};

export function matchesEntrySearch(entry: SearchableEntry, search: EntrySearch): boolean {
  if (search.folderId !== undefined && entry.folderId !== search.folderId) return false;
  if (search.tag !== undefined && !entry.tags.includes(search.tag)) return false;
  return matchesSearchWords(entry, search.words ?? []);
}
