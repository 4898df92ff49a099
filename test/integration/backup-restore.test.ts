// The restore drill, with real processes on both databases: `watchword serve`, codes handed out,
// `watchword backup` while it serves, more HOTP codes, stop, `watchword restore`, start again. No
// HOTP code is handed out twice (oathtool says which counter made each one), the audit chain
// verifies, and the backup holds no seed in clear.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeBase32 } from "../../src/core/otp/base32.js";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { cleanEnv, runCli, startServe, type CliResult, type ServeProcess } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";

const PASSWORD = "amber-quartz-meadow-1977";
const DIGITS = 8;

/** The database URL a CLI process uses: the test's own schema through the URL's options. */
export const cliDatabaseArgs = (db: TestDatabase): string[] =>
  db.kind === "sqlite" ? ["--data-dir", db.dataDir] : ["--data-dir", db.dataDir, "--database-url", `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`];

/** A failed run: the exit code is non-zero, nothing on stdout, one line on stderr. */
export function expectOneLineFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

/** Counter → code of the seed, from oathtool (or, without it, nothing: the test then compares counters only). */
function oathtoolCodes(seedB32: string, from: number, count: number): Map<string, number> {
  const byCode = new Map<string, number>();
  if (!hasOathtool) return byCode;
  const codes = runOathtool("--hotp", "-d", String(DIGITS), "-c", String(from), "-w", String(count - 1), "-b", seedB32).split("\n");
  codes.forEach((code, i) => byCode.set(code.trim(), from + i));
  return byCode;
}

describe.each(databaseKinds)("the restore drill on %s", (kind) => {
  let db: TestDatabase;
  let server: ServeProcess | undefined;
  let root: string;
  const seed = randomBytes(20);
  const seedB32 = encodeBase32(seed).replace(/=+$/, "");
  const totpSeedB32 = encodeBase32(randomBytes(20)).replace(/=+$/, "");
  let entryId: string;
  const timings: Record<string, number> = {};

  // A loaded two-CPU machine has taken 19 s to start a server: more room than the usual 20 s.
  const start = async () => (server = await startServe(cliDatabaseArgs(db), cleanEnv(), [], 60_000));
  const signIn = async (): Promise<WatchwordClient> => {
    const token = (await createClient({ baseUrl: server!.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" })).token!;
    return createClient({ baseUrl: server!.url, token });
  };
  const takeCodes = async (api: WatchwordClient, count: number): Promise<string[]> => {
    const codes: string[] = [];
    for (let i = 0; i < count; i += 1) codes.push((await api.takeCode(entryId)).code);
    return codes;
  };
  const timed = async (name: string, run: () => Promise<CliResult>): Promise<CliResult> => {
    const began = performance.now();
    const result = await run();
    timings[name] = Math.round(performance.now() - began);
    return result;
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-drill-"));
    expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", ...cliDatabaseArgs(db)], { input: PASSWORD })).code).toBe(0);
    await start();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    if (root !== undefined) await fs.rm(root, { recursive: true, force: true });
    process.stderr.write(`restore drill on ${kind}: ${JSON.stringify(timings)} ms\n`);
  });

  it("backs up online, refuses to restore while serving, restores, and never hands a HOTP code out twice", { timeout: 180_000 }, async () => {
    let api = await signIn();
    entryId = (await api.createEntry({ name: "Door", seed: { secret: seedB32, type: "hotp", digits: DIGITS, counter: 0 } })).entry.id;
    await api.createEntry({ name: "Console", seed: { secret: totpSeedB32 } });
    const before = await takeCodes(api, 5);

    const file = path.join(root, "vault.wwb");
    const backup = await timed("backup", () => runCli(["backup", file, ...cliDatabaseArgs(db)]));
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up .* to .*vault\.wwb: [\d,]+ bytes, audit head \d+, schema \d{4}-/);

    // Sealed values stay sealed: neither form of either seed is in the backup, and the key is not either.
    const bytes = await fs.readFile(file);
    for (const secret of [seedB32, totpSeedB32]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(bytes.includes(seed)).toBe(false);
    expect(bytes.includes(Buffer.from(seed.toString("hex")))).toBe(false);
    const key = (await fs.readFile(path.join(db.dataDir, "master.key"), "utf8")).trim();
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from(key, "base64"))).toBe(false);

    // After the backup: more codes than one mark's margin covers, so the marks file moves on.
    const after = await takeCodes(api, 150);

    // The server still runs: the restore refuses and changes nothing.
    const refused = await runCli(["restore", file, ...cliDatabaseArgs(db)]);
    expectOneLineFailure(refused, /in use by a running Watchword server.*stop it first; nothing was changed\./);
    const next = await takeCodes(api, 1);
    expect(next[0]).not.toBe(after.at(-1));

    await server!.stop();
    server = undefined;
    const restored = await timed("restore", () => runCli(["restore", file, ...cliDatabaseArgs(db)]));
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored .*vault\.wwb .* 1 HOTP counters advanced, 0 TOTP last steps advanced, audit event \d+ records the restore\./);

    await start();
    api = await signIn();
    const afterRestore = await takeCodes(api, 5);
    const handedOut = [...before, ...after, ...next];
    expect(new Set([...handedOut, ...afterRestore]).size).toBe(handedOut.length + afterRestore.length);
    if (hasOathtool) {
      const counters = oathtoolCodes(seedB32, 0, 400);
      const counterOf = (code: string) => counters.get(code);
      expect(before.map(counterOf)).toEqual([0, 1, 2, 3, 4]);
      const highest = counterOf(next[0]!)!;
      expect(highest).toBe(155);
      // Every code after the restore comes from a counter past all those handed out before it.
      for (const code of afterRestore) expect(counterOf(code)).toBeGreaterThan(highest);
    }

    const verified = await runCli(["audit", "verify", ...cliDatabaseArgs(db)]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/The audit chain is intact/);
  });
});

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
