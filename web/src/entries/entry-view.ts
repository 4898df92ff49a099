// Administrators' choice between their own entries ("mine", the default) and every entry in the
// vault ("all"), kept in the address as ?view=all beside the filter so it survives reloads and Back.
// Members and auditors are never offered it (for them the server answers "all" like "mine").
import type { EntryListQuery } from "../../../src/contract/entries.js";
import { searchOfFilter, type EntryFilter } from "./entry-filters.js";

export type EntryView = NonNullable<EntryListQuery["view"]>;
export const VIEWS: readonly EntryView[] = ["mine", "all"];
const PARAM = "view";

export const viewFromSearch = (search: URLSearchParams): EntryView => (search.get(PARAM) === "all" ? "all" : "mine");

/** The filter's search with the view added when it is not the default. */
export function searchOfListing(filter: EntryFilter, view: EntryView): string {
  const search = new URLSearchParams(searchOfFilter(filter));
  if (view !== "mine") search.set(PARAM, view);
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
