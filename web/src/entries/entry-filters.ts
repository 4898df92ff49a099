// The search and filters of "My entries" as the page holds them, in the address, and as the
// server's listing query: the server applies the one search rule (src/core/entry-search.ts: case
// and accents ignored, every word typed must match somewhere) to every entry, page after page.
import type { EntryListQuery, EntryTagList } from "../../../src/contract/entries.js";
import { NO_FOLDER as NO_FOLDER_QUERY, searchWordsOf } from "../../../src/core/entry-search.js";

/** Folder filter values besides a folder id. */
export const ALL_FOLDERS = "";
export const NO_FOLDER = NO_FOLDER_QUERY;

export interface EntryFilter {
  readonly query: string;
  /** ALL_FOLDERS, NO_FOLDER, or a folder id. */
  readonly folderId: string;
  /** "" for any tag. */
  readonly tag: string;
}

export const NO_FILTER: EntryFilter = { query: "", folderId: ALL_FOLDERS, tag: "" };

export const isFiltering = (filter: EntryFilter): boolean =>
  searchWordsOf(filter.query).length > 0 || filter.folderId !== ALL_FOLDERS || filter.tag !== "";

/** The longest search the server takes (EntryListQuery's q). */
export const QUERY_MAX_LENGTH = 200;

/** The filter as the listing's query, empty parts left out. */
export function entryListQueryOf(filter: EntryFilter, view: NonNullable<EntryListQuery["view"]>): Omit<EntryListQuery, "cursor" | "limit"> {
  const words = searchWordsOf(filter.query);
  return {
    ...(words.length === 0 ? {} : { q: filter.query.trim() }),
    ...(filter.folderId === ALL_FOLDERS ? {} : { folderId: filter.folderId }),
    ...(filter.tag === "" ? {} : { tag: filter.tag }),
    ...(view === "mine" ? {} : { view }),
  };
}

/** A choice of the tag filter: the tag, and how many entries carry it when the server said. */
export interface TagChoice {
  readonly tag: string;
  readonly entries?: number;
}

/**
 * What the tag filter offers: every tag the server lists for the caller's entries (GET
 * /api/v1/entry-tags, whatever page is loaded), and the chosen one even if it is not among them
 * (an address from elsewhere), each once, in alphabetical order.
 */
export function tagChoicesOf(listed: EntryTagList["tags"] | undefined, chosen: string): TagChoice[] {
  const choices = new Map<string, TagChoice>((listed ?? []).map((t) => [t.tag, { tag: t.tag, entries: t.entries }]));
  if (chosen !== "" && !choices.has(chosen)) choices.set(chosen, { tag: chosen });
  return [...choices.values()].sort((a, b) => a.tag.localeCompare(b.tag, undefined, { sensitivity: "base" }));
}

// The filter lives in the address (?q=…&folder=…&tag=…), so a filtered list can be bookmarked,
// shared, reloaded and come back to with Back.
const PARAMS = { query: "q", folderId: "folder", tag: "tag" } as const;

export const filterFromSearch = (search: URLSearchParams): EntryFilter => ({
  query: search.get(PARAMS.query) ?? "",
  folderId: search.get(PARAMS.folderId) ?? ALL_FOLDERS,
  tag: search.get(PARAMS.tag) ?? "",
});

/** "?q=aws&tag=prod", or "" for no filter; empty values are left out. */
export function searchOfFilter(filter: EntryFilter): string {
  const search = new URLSearchParams();
  for (const name of ["query", "folderId", "tag"] as const) if (filter[name] !== "") search.set(PARAMS[name], filter[name]);
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
