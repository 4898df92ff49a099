// Which entries "My entries" shows for a search, a folder and a tag. Matching ignores case and
// accents ("societe" finds "Société"), and every word typed must match somewhere.
import type { EntrySummary } from "../../../src/contract/entries.js";

/** Folder filter values besides a folder id. */
export const ALL_FOLDERS = "";
export const NO_FOLDER = "none";

export interface EntryFilter {
  readonly query: string;
  /** ALL_FOLDERS, NO_FOLDER, or a folder id. */
  readonly folderId: string;
  /** "" for any tag. */
  readonly tag: string;
}

export const NO_FILTER: EntryFilter = { query: "", folderId: ALL_FOLDERS, tag: "" };

type Searchable = Pick<EntrySummary, "name" | "issuer" | "account" | "tags" | "folderId">;

export const normaliseForSearch = (text: string): string =>
  text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();

export function matchesQuery(entry: Searchable, query: string): boolean {
  const words = normaliseForSearch(query).split(/\s+/).filter((word) => word !== "");
  if (words.length === 0) return true;
  const haystack = normaliseForSearch([entry.name, entry.issuer ?? "", entry.account ?? "", ...entry.tags].join("\n"));
  return words.every((word) => haystack.includes(word));
}

export function matchesFilter(entry: Searchable, filter: EntryFilter): boolean {
  if (filter.folderId === NO_FOLDER && entry.folderId !== null) return false;
  if (filter.folderId !== ALL_FOLDERS && filter.folderId !== NO_FOLDER && entry.folderId !== filter.folderId) return false;
  if (filter.tag !== "" && !entry.tags.includes(filter.tag)) return false;
  return matchesQuery(entry, filter.query);
}

export const filterEntries = <T extends Searchable>(entries: readonly T[], filter: EntryFilter): T[] =>
  entries.filter((entry) => matchesFilter(entry, filter));

export const isFiltering = (filter: EntryFilter): boolean =>
  filter.query.trim() !== "" || filter.folderId !== ALL_FOLDERS || filter.tag !== "";

/** Every tag in use, once, in alphabetical order. */
export function tagsOf(entries: readonly Pick<EntrySummary, "tags">[]): string[] {
  const tags = new Set(entries.flatMap((entry) => entry.tags));
  return [...tags].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" }));
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
