// The "shared with" of a whole list of entries: each entry gets the live grants on itself and on its
// folder, in the directory's order, and an administrator's view of 100,000 entries does not compare
// every entry with every grant (that was a minute for 5,000 entries on the scale bench).
import { describe, expect, it } from "vitest";
import { createEntrySharingReader } from "../../../src/services/entry-sharing.js";
import type { EntryRecord } from "../../../src/store/entries.js";
import type { GrantViewRecord } from "../../../src/store/grant-directory.js";

const entry = (n: number, folder: number | null) => ({ id: `e${n}`, folderId: folder === null ? null : `f${folder}`, ownerId: "u1" }) as unknown as EntryRecord;
const grant = (n: number, kind: "entry" | "folder", id: string) => ({ id: `g${n}`, scope: { kind, id } }) as unknown as GrantViewRecord;

function readerOver(grants: readonly GrantViewRecord[]) {
  return createEntrySharingReader({
    clock: { now: () => 0 },
    store: { grantDirectory: { userNames: async () => new Map([["u1", "Ada"]]), listGrantViews: async () => [...grants] } } as never,
  });
}

describe("entry sharing", () => {
  it("gives each entry its own grants and its folder's, in the directory's order", async () => {
    const grants = [grant(1, "folder", "f1"), grant(2, "entry", "e1"), grant(3, "folder", "f2"), grant(4, "folder", "f1"), grant(5, "entry", "e3")];
    const shared = await readerOver(grants).describe([entry(1, 1), entry(2, 2), entry(3, null), entry(4, 9)]);
    expect(shared.get("e1")!.sharedWith.map((g) => g.id)).toEqual(["g1", "g2", "g4"]);
    expect(shared.get("e2")!.sharedWith.map((g) => g.id)).toEqual(["g3"]);
    expect(shared.get("e3")!.sharedWith.map((g) => g.id)).toEqual(["g5"]);
    expect(shared.get("e4")!.sharedWith).toEqual([]);
    expect(shared.get("e1")!.ownerName).toBe("Ada");
  });

  it("reads each grant's scope a bounded number of times, not once per entry", async () => {
    let scopeReads = 0;
    const counted = (n: number, kind: "entry" | "folder", id: string) => {
      const scope = { kind, id };
      return Object.defineProperty({ id: `g${n}` }, "scope", { get: () => ((scopeReads += 1), scope) }) as unknown as GrantViewRecord;
    };
    const entries = Array.from({ length: 2000 }, (_, i) => entry(i, i % 100));
    const grants = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? counted(i, "entry", `e${i}`) : counted(i, "folder", `f${i % 100}`)));
    const shared = await readerOver(grants).describe(entries);
    expect(shared.get("e0")!.sharedWith.map((g) => g.id)).toEqual(["g0"]);
    expect(shared.get("e1")!.sharedWith.map((g) => g.id)).toEqual(Array.from({ length: 20 }, (_, k) => `g${1 + k * 100}`));
    // Every entry against every grant was 4,000,000 reads (minutes for 100,000 entries on the scale bench).
    expect(scopeReads).toBeLessThanOrEqual(2 * grants.length);
  });
});
