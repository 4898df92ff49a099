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
      // Grants by what they cover, each with its place in the list: an entry's are its own and its
      // folder's, merged back in the list's order. One pass, not one pass per entry (100,000
      // entries times thousands of grants was minutes for an administrator's view of all).
      const byScope = new Map<string, { index: number; grant: GrantViewRecord }[]>();
      grants.forEach((grant, index) => {
        const key = `${grant.scope.kind}:${grant.scope.id}`;
        const list = byScope.get(key);
        if (list === undefined) byScope.set(key, [{ index, grant }]);
        else list.push({ index, grant });
      });
      const sharedWith = (entry: EntryRecord): GrantViewRecord[] => {
        const own = byScope.get(`entry:${entry.id}`) ?? [];
        const folder = entry.folderId === null ? [] : (byScope.get(`folder:${entry.folderId}`) ?? []);
        if (folder.length === 0) return own.map((g) => g.grant);
        if (own.length === 0) return folder.map((g) => g.grant);
        return [...own, ...folder].sort((a, b) => a.index - b.index).map((g) => g.grant);
      };
      return new Map(entries.map((entry) => [entry.id, { ownerName: names.get(entry.ownerId) ?? entry.ownerId, sharedWith: sharedWith(entry) }]));
    },
  };
}
