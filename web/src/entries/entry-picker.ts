// Choosing entries by name where there may be 100,000 of them (the audit viewer's entry filter, a
// service account token's scope): the server searches as the person types (once typing pauses)
// and answers the first few matches, instead of the page loading every entry. Names of entries
// already chosen are asked for one by one (cached, as the entry page asks for them).
import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import { searchWordsOf } from "../../../src/core/entry-search.js";
import { client } from "../ui/api-client.js";
import { queryKeys } from "./queries.js";
import { useDebouncedValue } from "./use-debounced-value.js";

/** How many matches a picker shows: the first page of this size, by name. */
export const PICKER_PAGE_SIZE = 20;

/** How long typing must pause before the search goes to the server (as on My entries). */
export const PICKER_SEARCH_DELAY_MS = 250;

export interface PickedEntry {
  readonly id: string;
  readonly name: string;
}

export interface EntrySearch {
  /** The first PICKER_PAGE_SIZE entries that match what was typed, by name; undefined until the first answer. */
  readonly matches: readonly PickedEntry[] | undefined;
  /** More entries match than are shown: typing more narrows them. */
  readonly hasMore: boolean;
  readonly isSearching: boolean;
}

/** Every entry (administrators' view "all") matching `text`, the first page, asked once typing pauses; nothing asked while `isEnabled` is false. */
export function useEntrySearch(text: string, isEnabled: boolean): EntrySearch {
  const settled = useDebouncedValue(text, PICKER_SEARCH_DELAY_MS);
  const words = searchWordsOf(settled).join(" ");
  const query = useQuery({
    queryKey: ["entries", "picker", words],
    queryFn: () => client.listEntries({ view: "all", limit: String(PICKER_PAGE_SIZE), ...(words === "" ? {} : { q: settled.trim() }) }),
    enabled: isEnabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  return {
    matches: query.data?.entries.map((entry) => ({ id: entry.id, name: entry.name })),
    hasMore: (query.data?.nextCursor ?? null) !== null,
    isSearching: query.isFetching || settled !== text,
  };
}

/** The names of the given entries, by id, as far as they are known (an entry gone or out of reach stays unnamed). */
export function useEntryNames(ids: readonly string[], isEnabled: boolean): ReadonlyMap<string, string> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({ queryKey: queryKeys.entry(id), queryFn: () => client.getEntry(id), enabled: isEnabled, retry: false, staleTime: 60_000 })),
  });
  const names = new Map<string, string>();
  results.forEach((result, i) => {
    if (result.data !== undefined) names.set(unique[i]!, result.data.name);
  });
  return names;
}
