// The look-up cache forgets on every local write and on any other connection's commit, shares a
// read between concurrent callers, and never keeps a read that overlapped a write.
import { describe, expect, it } from "vitest";
import type { EntryRecord } from "../../../src/store/entries.js";
import { createLookupCache } from "../../../src/store/lookup-cache.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function harness() {
  const names = new Map<string, string>([["e1", "Registrar"]]);
  let reads = 0;
  let version = 1;
  let gate: Promise<void> | undefined;
  const cache = createLookupCache({
    foreignVersion: () => version,
    load: {
      findSession: () => Promise.resolve(undefined),
      findUserById: () => Promise.resolve(undefined),
      listGroupIdsOfUser: () => Promise.resolve([]),
      loadEntryAccess: () => Promise.resolve(undefined),
      async findEntry(id) {
        reads += 1;
        const name = names.get(id);
        await gate;
        if (name === "explode") throw new Error("the database is gone");
        return name === undefined ? undefined : ({ id, name, tags: ["ops"] } as unknown as EntryRecord);
      },
    },
  });
  return {
    cache,
    names,
    reads: () => reads,
    commitElsewhere: () => (version += 1),
    hold: () => {
      let release: () => void = () => undefined;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe("lookup cache", () => {
  it("reads a key once while nothing changes, and gives concurrent callers the same read", async () => {
    const h = harness();
    const [a, b] = await Promise.all([h.cache.findEntry("e1"), h.cache.findEntry("e1")]);
    expect(a).toBe(b);
    await h.cache.findEntry("e1");
    await nextTurn();
    expect((await h.cache.findEntry("e1"))?.name).toBe("Registrar");
    expect(h.reads()).toBe(1);
  });

  it("hands out frozen records, so one request cannot change what another sees", async () => {
    const h = harness();
    const entry = (await h.cache.findEntry("e1"))!;
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.tags)).toBe(true);
  });

  it("forgets everything when this process writes", async () => {
    const h = harness();
    await h.cache.findEntry("e1");
    h.names.set("e1", "Registrar (renamed)");
    h.cache.invalidate();
    expect((await h.cache.findEntry("e1"))?.name).toBe("Registrar (renamed)");
    expect(h.reads()).toBe(2);
  });

  it("forgets everything in the next turn after another connection commits", async () => {
    const h = harness();
    await h.cache.findEntry("e1");
    h.names.delete("e1");
    h.commitElsewhere();
    await nextTurn();
    expect(await h.cache.findEntry("e1")).toBeUndefined();
  });

  it("does not keep a read that a write overlapped", async () => {
    const h = harness();
    const release = h.hold();
    const stale = h.cache.findEntry("e1");
    h.names.set("e1", "Registrar (renamed)");
    h.cache.invalidate();
    release();
    expect((await stale)?.name).toBe("Registrar");
    expect((await h.cache.findEntry("e1"))?.name).toBe("Registrar (renamed)");
    expect(h.reads()).toBe(2);
  });

  it("does not keep a failed read", async () => {
    const h = harness();
    h.names.set("e1", "explode");
    await expect(h.cache.findEntry("e1")).rejects.toThrow("the database is gone");
    h.names.set("e1", "Registrar");
    expect((await h.cache.findEntry("e1"))?.name).toBe("Registrar");
  });

  it("remembers that a key does not exist, until something changes", async () => {
    const h = harness();
    expect(await h.cache.findEntry("e2")).toBeUndefined();
    expect(await h.cache.findEntry("e2")).toBeUndefined();
    expect(h.reads()).toBe(1);
    h.names.set("e2", "Vendor portal");
    h.cache.invalidate();
    expect((await h.cache.findEntry("e2"))?.name).toBe("Vendor portal");
  });
});
