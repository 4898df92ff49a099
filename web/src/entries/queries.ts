// Server state about entries, folders and templates as TanStack Query keys and hooks, and what to
// load again after a change: an entry's change shows in the list, the folders' counts and the
// templates' usage, so those are all asked again; a folder's or template's change, only their own.
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { EntryDetail, EntryListQuery, Folder } from "../../../src/contract/entries.js";
import { searchWordsOf } from "../../../src/core/entry-search.js";
import { client } from "../ui/api-client.js";
import { entryListQueryOf, type EntryFilter } from "./entry-filters.js";

export const queryKeys = {
  entries: ["entries"] as const,
  entryList: ["entries", "list"] as const,
  /** "My entries" page by page, per view and filter; the query by its words, so "AWS " and "aws" share one. */
  entryPages: (view: EntryListQuery["view"], filter: EntryFilter) => ["entries", "pages", view, searchWordsOf(filter.query).join(" "), filter.folderId, filter.tag] as const,
  /** The tags of the entries a view shows, with their counts (under "entries": a change asks again). */
  entryTags: (view: EntryListQuery["view"]) => ["entries", "tags", view] as const,
  entry: (id: string) => ["entries", "detail", id] as const,
  folders: ["folders"] as const,
  templates: ["templates"] as const,
};

const byName = (folders: readonly Folder[]): Folder[] => [...folders].sort((a, b) => a.name.localeCompare(b.name));

/**
 * How often an open list asks again: a grant that expires or is revoked, or one approved for this
 * person, shows without a reload. The list carries no codes and writes no audit event, so asking
 * costs a small read; a hidden tab does not ask (TanStack Query pauses the interval).
 */
export const ENTRY_LIST_REFRESH_MS = 15_000;

/**
 * "My entries" ("mine") or, for administrators, every entry ("all"), filtered by the server, a
 * page (the server's default size) at a time: the next is asked for with fetchNextPage. While a
 * new filter's first page loads, the last one's pages stay shown. Only the list on screen asks
 * again every ENTRY_LIST_REFRESH_MS (`isRefreshed`): the page also reads the first page with no
 * filter (are there entries at all?), and that one refreshing too made two requests each time.
 */
export const useEntryPages = (view: NonNullable<EntryListQuery["view"]>, filter: EntryFilter, { isRefreshed }: { isRefreshed: boolean }) =>
  useInfiniteQuery({
    queryKey: queryKeys.entryPages(view, filter),
    queryFn: ({ pageParam }) => client.listEntries({ ...entryListQueryOf(filter, view), ...(pageParam === undefined ? {} : { cursor: pageParam }) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: isRefreshed ? ENTRY_LIST_REFRESH_MS : false,
  });

/** The tags of the entries the view shows, for the tag filter: asked once, and again after a change (not on the list's interval). */
export const useEntryTags = (view: NonNullable<EntryListQuery["view"]>) => useQuery({ queryKey: queryKeys.entryTags(view), queryFn: () => client.listEntryTags(view === "mine" ? {} : { view }) });

export const useEntry = (id: string) => useQuery({ queryKey: queryKeys.entry(id), queryFn: () => client.getEntry(id) });

/** Every folder, by name. */
export const useFolderList = () => useQuery({ queryKey: queryKeys.folders, queryFn: async () => byName((await client.listFolders()).folders) });

export const useTemplateList = () => useQuery({ queryKey: queryKeys.templates, queryFn: async () => (await client.listTemplates()).templates });

export interface ServerChanges {
  /** Entries were added, edited or deleted: lists, folder counts and template usage load again. */
  readonly entriesChanged: () => void;
  /** One entry changed and the reply carried it: its page shows it at once, the rest loads again. */
  readonly entryChanged: (entry: EntryDetail) => void;
  readonly entryDeleted: (id: string) => void;
  /** Folders were created, renamed or deleted; `folders` is what the page already knows, shown at once. */
  readonly foldersChanged: (folders?: readonly Folder[]) => void;
  readonly templatesChanged: () => void;
}

function invalidateEntries(queryClient: QueryClient, except?: string): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.entries, predicate: (query) => except === undefined || query.queryKey[2] !== except });
  void queryClient.invalidateQueries({ queryKey: queryKeys.folders });
  void queryClient.invalidateQueries({ queryKey: queryKeys.templates });
}

export function useServerChanges(): ServerChanges {
  const queryClient = useQueryClient();
  return useMemo(
    () => ({
      entriesChanged: () => invalidateEntries(queryClient),
      entryChanged: (entry) => {
        queryClient.setQueryData(queryKeys.entry(entry.id), entry);
        invalidateEntries(queryClient, entry.id);
      },
      entryDeleted: (id) => {
        queryClient.removeQueries({ queryKey: queryKeys.entry(id) });
        invalidateEntries(queryClient);
      },
      foldersChanged: (folders) => {
        if (folders !== undefined) queryClient.setQueryData(queryKeys.folders, byName(folders));
        void queryClient.invalidateQueries({ queryKey: queryKeys.folders });
      },
      templatesChanged: () => void queryClient.invalidateQueries({ queryKey: queryKeys.templates }),
    }),
    [queryClient],
  );
}
