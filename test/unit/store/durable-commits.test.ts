// SQLite transactions commit without the blocking fsync and are reported done only after the WAL
// file is synced off the event loop (src/store/wal-sync.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { legacyLink } from "../../../src/core/audit-chain.js";
import { openDatabase, sqliteFile, type Connection } from "../../../src/store/connect.js";
import { createStore } from "../../../src/store/store.js";
import { createWalSync } from "../../../src/store/wal-sync.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "watchword-durable-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const synchronousLevel = async (connection: Connection["db"]) => (await sql<{ synchronous: number }>`pragma synchronous`.execute(connection)).rows[0]?.synchronous;

describe("WAL sync", () => {
  it("lets callers that arrive during a sync share the next one, never the one already running", async () => {
    const file = path.join(dir, "wal");
    fs.writeFileSync(file, "frames");
    const wal = createWalSync(file);
    const first = wal.sync();
    const second = wal.sync();
    const third = wal.sync();
    expect(second).not.toBe(first);
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    // Idle again: a new caller starts a sync of its own.
    const fourth = wal.sync();
    expect(fourth).not.toBe(second);
    await fourth;
    await wal.close();
  });

  it("waits for a sync under way before closing its file", async () => {
    const file = path.join(dir, "wal");
    fs.writeFileSync(file, "frames");
    const wal = createWalSync(file);
    let synced = false;
    const pending = wal.sync().then(() => (synced = true));
    await wal.close();
    expect(synced).toBe(true);
    await pending;
  });

  it("rejects when the WAL file cannot be opened, so nothing is reported durable", async () => {
    const wal = createWalSync(path.join(dir, "missing-wal"));
    await expect(wal.sync()).rejects.toThrow(/ENOENT/);
    await wal.close();
  });
});

describe("SQLite transactions", () => {
  it("commit under synchronous=NORMAL and leave single statements under FULL", async () => {
    const connection = openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      expect(await synchronousLevel(connection.db)).toBe(2);
      const inside = await connection.db.transaction().execute((trx) => synchronousLevel(trx));
      expect(inside).toBe(1);
      expect(await synchronousLevel(connection.db)).toBe(2);
      await expect(connection.db.transaction().execute(async () => Promise.reject(new Error("work failed")))).rejects.toThrow("work failed");
      expect(await synchronousLevel(connection.db)).toBe(2);
      expect(fs.existsSync(`${sqliteFile(dir)}-wal`)).toBe(true);
    } finally {
      await connection.db.destroy();
    }
  });

  it("are reported done only once the WAL sync resolves, and fail when it fails", async () => {
    const connection = openDatabase({ databaseUrl: undefined, dataDir: dir });
    let release: () => void = () => undefined;
    let syncs: Promise<void> = Promise.resolve();
    const store = createStore({ ...connection, durable: () => syncs });
    try {
      await store.migrate();
      syncs = new Promise<void>((resolve) => (release = resolve));
      let done = false;
      const committed = store.transaction(async (tx) => tx.folders.listFolders()).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(done).toBe(false);
      release();
      await committed;
      expect(done).toBe(true);

      syncs = Promise.reject(new Error("EIO: the disk went away"));
      syncs.catch(() => undefined);
      await expect(store.transaction(async () => "written")).rejects.toThrow("EIO");
    } finally {
      await store.close();
    }
  });
});

describe("closing a SQLite store", () => {
  it("closes its file even when no query ever ran, so SQLite removes the WAL and shared memory", async () => {
    for (const backgroundCheckpoints of [false, true]) {
      const store = createStore(openDatabase({ databaseUrl: undefined, dataDir: dir, backgroundCheckpoints }));
      await store.close();
      expect(fs.readdirSync(dir)).toEqual(["watchword.db"]);
    }
  });
});

describe("background WAL checkpoints", () => {
  const fileSize = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

  it("fold the WAL into the database from a worker, never inside a commit, and once more on close", async () => {
    const store = createStore(openDatabase({ databaseUrl: undefined, dataDir: dir, backgroundCheckpoints: true }));
    await store.migrate();
    // Any link function will do for measuring the WAL; the vault hands in the audit key's.
    store.linkAuditChainWith(legacyLink);
    try {
      const before = fileSize(sqliteFile(dir));
      // About 2 MB of audit events in 40 transactions: far past the 1,000 pages at which a commit
      // would otherwise checkpoint by itself.
      for (let batch = 0; batch < 40; batch += 1) {
        await store.transaction((tx) =>
          tx.auditEvents.appendAuditEvents(
            Array.from({ length: 100 }, (_, i) => ({
              id: `00000000-0000-4000-8000-${String(batch * 100 + i).padStart(12, "0")}`, at: 1, actorType: "user", actorId: null, actorName: "test",
              action: "code.issued", outcome: "success" as const, entryId: null, entryName: null, reason: null, ip: "127.0.0.1",
              userAgent: "x".repeat(200), channel: "api", details: JSON.stringify({ padding: "y".repeat(200) }),
            })),
          ),
        );
      }
      await expect.poll(() => fileSize(sqliteFile(dir)), { timeout: 5000, interval: 50 }).toBeGreaterThan(before + 1_000_000);
    } finally {
      await store.close();
    }
    // The checkpointer's connection closed last: everything is in the database file, no WAL is left.
    expect(fs.existsSync(`${sqliteFile(dir)}-wal`)).toBe(false);
    const reopened = openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      expect((await sql<{ n: number }>`select count(*) as n from audit_events`.execute(reopened.db)).rows[0]?.n).toBe(4000);
    } finally {
      await reopened.db.destroy();
    }
  });

  it("are off inside the server's own connection", async () => {
    const connection = openDatabase({ databaseUrl: undefined, dataDir: dir, backgroundCheckpoints: true });
    try {
      expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(connection.db)).rows[0]?.wal_autocheckpoint).toBe(0);
    } finally {
      await connection.db.destroy();
    }
    const plain = openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(plain.db)).rows[0]?.wal_autocheckpoint).toBe(1000);
    } finally {
      await plain.db.destroy();
    }
  });
});

