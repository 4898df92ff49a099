// The restore drill, with real processes on both databases: `watchword serve`, codes handed out,
// `watchword backup` while it serves, more HOTP codes, stop, `watchword restore`, start again. No
// HOTP code is handed out twice (oathtool says which counter made each one), the audit chain
// verifies, and the backup holds no seed in clear.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeBase32 } from "../../src/core/otp/base32.js";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { cliDatabaseArgs, expectOneLineFailure } from "../support/backup-cli.js";
import { cleanEnv, runCli, startServe, type CliResult, type ServeProcess } from "../support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";

const PASSWORD = "amber-quartz-meadow-1977";
const DIGITS = 8;

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
    const after = await takeCodes(api, 110);

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
      expect(highest).toBe(115);
      // Every code after the restore comes from a counter past all those handed out before it.
      for (const code of afterRestore) expect(counterOf(code)).toBeGreaterThan(highest);
    }

    const verified = await runCli(["audit", "verify", ...cliDatabaseArgs(db)]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/The audit chain is intact/);
  });
});
