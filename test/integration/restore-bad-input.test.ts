// `watchword backup` and `watchword restore` refusing what they must, on both databases: a missing,
// foreign, truncated, damaged or hostile file, another vault's backup, a target that exists or a
// disk that is read-only or full: one line on stderr, a non-zero exit, and nothing changed.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliDatabaseArgs, expectOneLineFailure } from "../support/backup-cli.js";
import { runCli } from "../support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

const PASSWORD = "amber-quartz-meadow-1977";

describe.each(databaseKinds)("restore refuses bad input on %s, changing nothing", (kind) => {
  let db: TestDatabase;
  let root: string;
  let file: string;
  let fingerprint: () => Promise<string>;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-restore-bad-"));
    expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", ...cliDatabaseArgs(db)], { input: PASSWORD })).code).toBe(0);
    file = path.join(root, "good.wwb");
    expect((await runCli(["backup", file, ...cliDatabaseArgs(db)])).code).toBe(0);
    // The audit log and the data directory's files as they stand: a refused restore leaves them so.
    fingerprint = async () => {
      const verify = await runCli(["audit", "verify", ...cliDatabaseArgs(db)]);
      const files = (await fs.readdir(db.dataDir)).sort();
      const contents = await Promise.all(files.filter((name) => !name.endsWith("-shm") && !name.endsWith("-wal")).map(async (name) => `${name}:${createHash("sha256").update(await fs.readFile(path.join(db.dataDir, name))).digest("hex")}`));
      return `${verify.stdout}|${contents.join(",")}`;
    };
  });
  afterAll(async () => {
    await db?.drop();
    if (root !== undefined) await fs.rm(root, { recursive: true, force: true });
  });

  it("refuses a missing, foreign, truncated or damaged file in one line", async () => {
    const unchanged = await fingerprint();
    expectOneLineFailure(await runCli(["restore", path.join(root, "missing.wwb"), ...cliDatabaseArgs(db)]), /missing\.wwb cannot be read \(ENOENT\); nothing was changed\.$/m);
    const foreign = path.join(root, "foreign.wwb");
    await fs.writeFile(foreign, "SQLite format 3\0 not a backup at all");
    expectOneLineFailure(await runCli(["restore", foreign, ...cliDatabaseArgs(db)]), /foreign\.wwb is not a Watchword backup; nothing was changed\./);
    const good = await fs.readFile(file);
    const truncated = path.join(root, "truncated.wwb");
    await fs.writeFile(truncated, good.subarray(0, good.length - 1000));
    expectOneLineFailure(await runCli(["restore", truncated, ...cliDatabaseArgs(db)]), /truncated\.wwb is cut short \(\d+ of \d+ bytes\); nothing was changed\./);
    const damaged = path.join(root, "damaged.wwb");
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    await fs.writeFile(damaged, flipped);
    expectOneLineFailure(await runCli(["restore", damaged, ...cliDatabaseArgs(db)]), /damaged\.wwb is damaged \(its SHA-256 checksum does not match\); nothing was changed\./);
    const hostile = path.join(root, "hostile.wwb");
    await fs.writeFile(hostile, `WATCHWORD-BACKUP 1\n${"x".repeat(2 * 1024 * 1024)}`);
    expectOneLineFailure(await runCli(["restore", hostile, ...cliDatabaseArgs(db)]), /hostile\.wwb is not a Watchword backup/);
    expect(await fingerprint()).toBe(unchanged);
  });

  it("refuses another vault's backup (another key) before changing anything", async () => {
    const other = await createTestDatabase(kind);
    try {
      expect((await runCli(["user", "add", "bob", "--role", "admin", "--password-stdin", ...cliDatabaseArgs(other)], { input: PASSWORD })).code).toBe(0);
      const otherFile = path.join(root, "other-vault.wwb");
      expect((await runCli(["backup", otherFile, ...cliDatabaseArgs(other)])).code).toBe(0);
      const unchanged = await fingerprint();
      expectOneLineFailure(await runCli(["restore", otherFile, ...cliDatabaseArgs(db)]), /other-vault\.wwb belongs to another vault: its data keys do not open under the key file .*; nothing was changed\./);
      expect(await fingerprint()).toBe(unchanged);
    } finally {
      await other.drop();
    }
  });

  it("refuses a backup onto an existing file, and one the directory cannot hold, leaving no file behind", async () => {
    expectOneLineFailure(await runCli(["backup", file, ...cliDatabaseArgs(db)]), /good\.wwb exists already/);
    if (process.getuid?.() !== 0) return;
    // A read-only file system and a full one: real mounts (root, as CI runs).
    for (const [name, options] of [["read-only", "ro,size=1m"], ["full", "size=64k"]] as const) {
      const mount = await fs.mkdtemp(path.join(root, `${name}-`));
      const { execFileSync } = await import("node:child_process");
      execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", mount]);
      try {
        const failed = await runCli(["backup", path.join(mount, "vault.wwb"), ...cliDatabaseArgs(db)]);
        expectOneLineFailure(failed, /The backup cannot be written to .*vault\.wwb \((EROFS|ENOSPC|SQLITE_FULL)\).*nothing was written\./);
        expect(await fs.readdir(mount)).toEqual([]);
      } finally {
        execFileSync("umount", [mount]);
      }
    }
  });
});
