// Baselines for durable writes on the disk the benchmark runs from: the raw fsync rate (the
// disk's ceiling) and better-sqlite3 commits in WAL mode with synchronous = FULL, one INSERT per
// transaction, the way an audit event must commit before a code is answered.

import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
// The same better-sqlite3 build the server picks for this Node (see src/store/sqlite-module.ts).
import { loadSqlite } from "../../dist/node/store/sqlite-module.js";
import { measureSlowOpsPerSecond } from "../support/timed-loop.mjs";

const roundMs = 1000;
// A scratch directory inside bench/, so the figures are those of the disk the project lives on
// (a system temp directory may be tmpfs). BENCH_SCRATCH_DIR points it elsewhere.
const scratchParent = process.env.BENCH_SCRATCH_DIR ?? fileURLToPath(new URL(".", import.meta.url));

function makeScratchDir() {
  return mkdtempSync(join(scratchParent, ".tmp-"));
}

/** @type {import("../run.mjs").Bench<{ dir: string, fd: number }>} */
const fsyncBench = {
  name: "disk.fsync",
  title: `fs.fsyncSync after a 64-byte write, ${roundMs} ms rounds`,
  unit: "fsync/s",
  rounds: 5,
  warmup: 1,
  async setup() {
    const dir = makeScratchDir();
    return { dir, fd: openSync(join(dir, "fsync-probe"), "w") };
  },
  async run({ fd }) {
    const block = Buffer.alloc(64, 0x5a);
    let i = 0;
    return measureSlowOpsPerSecond(() => {
      block.writeUInt32BE(i++ >>> 0, 0);
      writeSync(fd, block, 0, block.length, 0);
      fsyncSync(fd);
    }, roundMs);
  },
  async teardown({ dir, fd }) {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  },
};

/** @type {import("../run.mjs").Bench<{ dir: string, db: import("better-sqlite3").Database }>} */
const sqliteBench = {
  name: "sqlite.commit",
  title: `better-sqlite3 WAL, synchronous=FULL, 1 INSERT per transaction, ${roundMs} ms rounds`,
  unit: "commits/s",
  baseline: "disk.fsync",
  rounds: 5,
  warmup: 1,
  async setup() {
    const dir = makeScratchDir();
    const Database = loadSqlite();
    const db = new Database(join(dir, "bench.sqlite"));
    try {
      if (db.pragma("journal_mode = WAL", { simple: true }) !== "wal") throw new Error("SQLite refused WAL mode");
      db.pragma("synchronous = FULL");
      db.exec("CREATE TABLE event (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, payload BLOB NOT NULL)");
      return { dir, db };
    } catch (error) {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  },
  async run({ db }) {
    const insert = db.prepare("INSERT INTO event (at, payload) VALUES (?, ?)");
    // About the size of an audit event row.
    const payload = Buffer.alloc(200, 0x61);
    // Each statement outside BEGIN … COMMIT is its own transaction, synced to the WAL on commit.
    return measureSlowOpsPerSecond(() => insert.run(Date.now(), payload), roundMs);
  },
  async teardown({ dir, db }) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  },
};

export default [fsyncBench, sqliteBench];
