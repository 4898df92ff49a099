// The local admin verbs and the server process as an operator runs them: init, user add, serve,
// restarts, graceful stops, and refusing to start with a missing or wrong key.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { ACCOUNT_LOCK_FAILURES } from "../../src/core/sign-in-throttle.js";
import { openStore } from "../../src/store/store.js";
import { rejection } from "../support/api-rejection.js";
import { cleanEnv, runCli, startServe } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";

const PASSWORD = "amber-quartz-meadow-1977";

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = (await fs.readdir(dir)).sort();
  const entries = await Promise.all(files.map(async (f) => [f, createHash("sha256").update(await fs.readFile(path.join(dir, f))).digest("hex")] as const));
  return Object.fromEntries(entries);
}

/**
 * Locks `username` the way 100 spaced failed sign-ins would (through the store, as a second node
 * would write them), checks the running server refuses it, unlocks it with `watchword user unlock`
 * while the server runs, and checks the server lets it in again. Each unlock is an audit event
 * of the chain the server writes, made by the operator's own account on the "cli" channel.
 */
async function lockAndUnlockAgainstRunningServer(options: { serverUrl: string; env: Record<string, string>; args: string[]; store: ReturnType<typeof openStore> }): Promise<void> {
  const { serverUrl, env, args, store } = options;
  const alice = (await store.users.findUserByUsername("alice"))!;
  const eventsBefore = (await store.auditEvents.listAuditEvents({ limit: 100_000 })).length;
  for (let i = 0; i < ACCOUNT_LOCK_FAILURES; i += 1) await store.signInFailures.recordFailure("account", "alice", Date.now());
  const client = createClient({ baseUrl: serverUrl });
  const locked = await rejection(client.signIn({ username: "alice", password: PASSWORD }));
  expect([locked.status, locked.message]).toEqual([429, expect.stringMatching(/^This account is locked/)]);

  const unlocked = await runCli(["user", "unlock", "Alice", ...args], { env });
  expect(unlocked).toMatchObject({ code: 0, stderr: "", stdout: `Unlocked "alice" (forgot ${ACCOUNT_LOCK_FAILURES} failed sign-ins).\n` });
  expect((await client.signIn({ username: "alice", password: PASSWORD })).status).toBe("signed_in");

  const again = await runCli(["user", "unlock", "alice", ...args], { env });
  expect(again).toMatchObject({ code: 0, stdout: '"alice" was not locked; forgot 0 failed sign-ins.\n' });
  const nobody = await runCli(["user", "unlock", "nobody", ...args], { env });
  expect([nobody.code, nobody.stdout, nobody.stderr]).toEqual([1, "", 'watchword: No user is named "nobody".\n']);
  const badName = await runCli(["user", "unlock", "no spaces", ...args], { env });
  expect([badName.code, badName.stderr.trim().split("\n").length]).toEqual([2, 1]);

  const events = await store.auditEvents.listAuditEvents({ limit: 100_000 });
  // The local unlocks joined the one keyed chain.
  expect(await runCli(["audit", "verify", ...args], { env })).toMatchObject({ code: 0 });
  const unlocks = events.slice(eventsBefore).filter((e) => e.action === "user.unlocked");
  expect(unlocks.map((e) => [e.actorType, e.actorId, e.actorName, e.channel, e.outcome, JSON.parse(e.details) as unknown])).toEqual([
    ["local", null, os.userInfo().username, "cli", "success", { userId: alice.id, username: "alice", wasLocked: true, failedSignInsCleared: ACCOUNT_LOCK_FAILURES }],
    ["local", null, os.userInfo().username, "cli", "success", { userId: alice.id, username: "alice", wasLocked: false, failedSignInsCleared: 0 }],
  ]);
  expect(unlocks[0]!.userAgent).toMatch(/^watchword-cli\/\d+\.\d+\.\d+ \(local\)$/);
}

describe("watchword local verbs", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-"));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("prints its version and help", async () => {
    const version = await runCli(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    for (const verb of ["serve", "init", "user"]) expect(help.stdout).toContain(verb);
  });

  it("init creates the key file (0600) and the schema, and prints a setup link", async () => {
    const result = await runCli(["init", "--data-dir", dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/http:\/\/127\.0\.0\.1:8080\/setup#token=[A-Za-z0-9_-]{43}/);
    const stat = await fs.stat(path.join(dataDir, "master.key"));
    expect(stat.mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(dataDir, "watchword.db"))).mode & 0o777).toBe(0o600);
  });

  it("user add creates a user from a password on stdin, and refuses bad input with one line", async () => {
    const added = await runCli(["user", "add", "Alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: `${PASSWORD}\n` });
    expect(added).toMatchObject({ code: 0, stderr: "" });
    expect(added.stdout).toContain('Added admin "alice".');

    const failures = [
      await runCli(["user", "add", "alice", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD }),
      await runCli(["user", "add", "bob", "--role", "root", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD }),
      await runCli(["user", "add", "bob", "--password-stdin", "--data-dir", dataDir], { input: "password1234" }),
      await runCli(["user", "add", "bob", "--data-dir", dataDir]),
    ];
    expect(failures.map((f) => f.code)).toEqual([1, 2, 2, 2]);
    expect(failures[0]!.stderr).toBe('watchword: A user named "alice" already exists.\n');
    expect(failures[1]!.stderr).toMatch(/^watchword: --role must be admin, member or auditor/);
    expect(failures[2]!.stderr).toMatch(/^watchword: This password is too common/);
    for (const failure of failures) {
      expect(failure.stderr.trim().split("\n")).toHaveLength(1);
      expect(failure.stderr).not.toContain(PASSWORD);
    }
  });

  it("serves, stops gracefully on SIGTERM with requests in flight, and restarts with the same data and key", async () => {
    await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    const env = cleanEnv({ WATCHWORD_LOG_LEVEL: "debug" }); // debug logs each request's arrival
    const first = await startServe(["--data-dir", dataDir], env);
    expect(first.output()).not.toContain("setup#token"); // an administrator exists
    const client = createClient({ baseUrl: first.url });
    // Twenty slow sign-ins (argon2): once the server has received them all, the signal arrives
    // while most are still hashing, and each still gets its answer.
    const inFlight = Array.from({ length: 20 }, () => client.signIn({ username: "alice", password: PASSWORD, client: "cli" }).then((r) => r.status));
    const received = () => first.output().split("\n").filter((line) => line.includes('"incoming request"') && line.includes("/api/v1/auth/sign-in")).length;
    await expect.poll(received, { timeout: 10_000, interval: 5 }).toBe(20);
    const exit = first.stop();
    expect(await Promise.all(inFlight)).toEqual(Array(20).fill("signed_in"));
    expect(await exit).toBe(0);
    expect(first.output()).toContain("finishing requests in flight");

    const second = await startServe(["--data-dir", dataDir], env);
    const reply = await createClient({ baseUrl: second.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" });
    expect(reply.session.user.username).toBe("alice");
    expect(await second.stop()).toBe(0);
  }, 60_000); // two server starts (about 5.5 s each on a quiet machine), as this file's other two-server tests allow

  it("user unlock unlocks a locked account while the server runs, and says so in one line", async () => {
    await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    const env = cleanEnv();
    const server = await startServe(["--data-dir", dataDir], env);
    const store = openStore({ databaseUrl: undefined, dataDir, backgroundCheckpoints: false });
    try {
      await lockAndUnlockAgainstRunningServer({ serverUrl: server.url, env, args: ["--data-dir", dataDir], store });
    } finally {
      await store.close();
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);

  it("refuses to start, in one sentence and changing nothing, when the key file is missing, replaced or damaged", async () => {
    await runCli(["init", "--data-dir", dataDir]);
    const keyFile = path.join(dataDir, "master.key");
    const original = await fs.readFile(keyFile);

    await fs.rm(keyFile);
    let before = await snapshot(dataDir);
    const missing = await runCli(["serve", "--port", "0", "--data-dir", dataDir]);
    expect(missing.code).toBe(78);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/^watchword: .*missing.*master\.key/i);
    expect(await snapshot(dataDir)).toEqual(before);

    await fs.writeFile(keyFile, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    before = await snapshot(dataDir);
    const replaced = await runCli(["serve", "--port", "0", "--data-dir", dataDir]);
    expect(replaced.code).toBe(78);
    expect(replaced.stderr.trim().split("\n")).toHaveLength(1);
    expect(replaced.stderr).toMatch(/does not match/i);
    expect(await snapshot(dataDir)).toEqual(before);

    await fs.writeFile(keyFile, "not a key\n");
    const damaged = await runCli(["serve", "--port", "0", "--data-dir", dataDir]);
    expect(damaged.code).toBe(78);
    expect(damaged.stderr).not.toContain("not a key");

    await fs.writeFile(keyFile, original);
    const restored = await runCli(["init", "--data-dir", dataDir]);
    expect(restored.code).toBe(0);
  });

  it("takes the key from WATCHWORD_MASTER_KEY and refuses a different one", async () => {
    const key = randomBytes(32).toString("base64");
    expect((await runCli(["init", "--data-dir", dataDir], { env: cleanEnv({ WATCHWORD_MASTER_KEY: key }) })).code).toBe(0);
    await expect(fs.stat(path.join(dataDir, "master.key"))).rejects.toThrow();
    const wrong = await runCli(["init", "--data-dir", dataDir], { env: cleanEnv({ WATCHWORD_MASTER_KEY: randomBytes(32).toString("base64") }) });
    expect(wrong.code).toBe(78);
    expect(wrong.stderr).toMatch(/WATCHWORD_MASTER_KEY/);
    const malformed = await runCli(["init", "--data-dir", dataDir], { env: cleanEnv({ WATCHWORD_MASTER_KEY: "c2hvcnQ=" }) });
    expect(malformed.code).toBe(78);
    expect(malformed.stderr).not.toContain("c2hvcnQ=");
  });

  it("rejects a bad port or database URL with one line", async () => {
    const port = await runCli(["serve", "--port", "99999", "--data-dir", dataDir]);
    expect([port.code, port.stderr]).toEqual([2, "watchword: --port must be a port number from 0 to 65535, not \"99999\".\n"]);
    const url = await runCli(["serve", "--database-url", "mysql://x", "--data-dir", dataDir]);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/must start with postgres:\/\//);
    const unknown = await runCli(["frobnicate"]);
    expect(unknown.code).toBe(2);
  });
});

describe.skipIf(!databaseKinds.includes("postgres"))("watchword on PostgreSQL", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase("postgres");
  });
  afterEach(async () => {
    await db.drop();
  });

  it("creates the schema with the same migrations, serves, and refuses a wrong key", async () => {
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`;
    const key = randomBytes(32).toString("base64");
    const env = cleanEnv({ DATABASE_URL: url, WATCHWORD_MASTER_KEY: key });
    const init = await runCli(["init", "--data-dir", db.dataDir], { env });
    expect(init.stdout).toMatch(/PostgreSQL postgres:\/\//);
    expect(init.stdout).toMatch(/setup#token=/);
    await runCli(["user", "add", "carol", "--role", "auditor", "--password-stdin", "--data-dir", db.dataDir], { env, input: PASSWORD });
    const server = await startServe(["--data-dir", db.dataDir], env);
    const reply = await createClient({ baseUrl: server.url }).signIn({ username: "carol", password: PASSWORD, client: "cli" });
    expect(reply.session.user.role).toBe("auditor");
    expect(await createClient({ baseUrl: server.url }).readiness()).toMatchObject({ migrations: "current" });
    expect(await server.stop()).toBe(0);
    const wrong = await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_MASTER_KEY: randomBytes(32).toString("base64") } });
    expect(wrong.code).toBe(78);
  });

  it("user unlock unlocks a locked account in PostgreSQL while the server runs", async () => {
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`;
    const env = cleanEnv({ DATABASE_URL: url, WATCHWORD_MASTER_KEY: randomBytes(32).toString("base64") });
    await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", db.dataDir], { env, input: PASSWORD });
    const server = await startServe(["--data-dir", db.dataDir], env);
    const store = openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: db.dataDir, backgroundCheckpoints: false, postgresSchema: db.postgresSchema! });
    try {
      await lockAndUnlockAgainstRunningServer({ serverUrl: server.url, env, args: ["--data-dir", db.dataDir], store });
    } finally {
      await store.close();
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});
