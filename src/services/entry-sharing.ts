// What an entry's row and page say of who holds it: its owner's name and the live grants on the
// entry and on its folder ("shared with"), for a whole page of entries in two queries, not a
// query per entry. Listing who holds a grant decides nothing: services/access.ts chose the entries.
import type { Clock } from "../core/clock.js";
import type { EntryId, FolderId } from "../core/ids.js";
import type { GrantViewRecord } from "../store/grant-directory.js";
import type { EntryRecord } from "../store/entries.js";
import type { Repositories } from "../store/store.js";

export interface EntrySharing {
  /** The owner's display name; their id when the account is gone. */
  readonly ownerName: string;
  /** Live grants on the entry and its folder, oldest first. */
  readonly sharedWith: readonly GrantViewRecord[];
}

export interface EntrySharingReader {
  describe(entries: readonly EntryRecord[]): Promise<Map<string, EntrySharing>>;
}

export function createEntrySharingReader(deps: { store: Pick<Repositories, "grantDirectory">; clock: Clock }): EntrySharingReader {
  const { store, clock } = deps;
  return {
    async describe(entries) {
      const folderIds = [...new Set(entries.flatMap((e) => (e.folderId === null ? [] : [e.folderId as FolderId])))];
      const [names, grants] = await Promise.all([
        store.grantDirectory.userNames(entries.map((e) => e.ownerId)),
        store.grantDirectory.listGrantViews({ entryIds: entries.map((e) => e.id as EntryId), folderIds, includeRevoked: false, liveAt: clock.now() }),
      ]);
      const covers = (grant: GrantViewRecord, entry: EntryRecord): boolean => (grant.scope.kind === "entry" ? grant.scope.id === entry.id : grant.scope.id === entry.folderId);
      return new Map(entries.map((entry) => [entry.id, { ownerName: names.get(entry.ownerId) ?? entry.ownerId, sharedWith: grants.filter((g) => covers(g, entry)) }]));
    },
  };
}
