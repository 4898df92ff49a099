// SIEM delivery with real `watchword serve` processes: one killed with SIGKILL in the middle of a
// delivery and started again loses nothing (repeats carry the same event id), on SQLite and
// PostgreSQL; and two nodes on one PostgreSQL deliver each event once between them, the second
// taking over once the first dies and its lease expires.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { withDefaultUser } from "../../src/store/connect.js";
import { openStore } from "../../src/store/store.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type DatabaseKind, type TestDatabase } from "../support/databases.js";
import { distinctEvents, startWebhookReceiver, type ReceivedRecord } from "../support/siem-receivers.js";

const SECRET = "whsec-process-test-0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a";
const PASSWORD = "amber-quartz-meadow-1977";
const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Vault {
  readonly dataDir: string;
  readonly env: Record<string, string>;
  readonly databaseUrl: string | undefined;
  /** The stored events, read straight from the database. */
  storedEvents(): Promise<{ seq: number; id: string }[]>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function createVault(db: TestDatabase, receiverPort: number): Promise<Vault> {
  let databaseUrl: string | undefined;
  if (db.kind === "postgres") {
    const url = new URL(withDefaultUser(TEST_DATABASE_URL));
    url.searchParams.set("options", `-c search_path=${db.postgresSchema}`);
    databaseUrl = url.toString();
  }
  const env = cleanEnv({
    WATCHWORD_MASTER_KEY: randomBytes(32).toString("base64"),
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    WATCHWORD_SIEM_HOOK_URL: `http://127.0.0.1:${receiverPort}/ingest`,
    WATCHWORD_SIEM_HOOK_SECRET: SECRET,
    WATCHWORD_OUTBOX_POLL_MS: "100",
    WATCHWORD_OUTBOX_LEASE_SECONDS: "2",
    WATCHWORD_OUTBOX_RETRY_MAX_SECONDS: "1",
  });
  const init = await runCli(["init", "--data-dir", db.dataDir], { env });
  if (init.code !== 0) throw new Error(`watchword init failed: ${init.stderr}`);
  const added = await runCli(["user", "add", "admin", "--role", "admin", "--password-stdin", "--data-dir", db.dataDir], { env, input: PASSWORD });
  if (added.code !== 0) throw new Error(`watchword user add failed: ${added.stderr}`);
  const readerDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-siem-reader-"));
  cleanups.push(() => fs.rm(readerDir, { recursive: true, force: true }));
  return {
    dataDir: db.dataDir,
    env,
    databaseUrl,
    async storedEvents() {
      // SQLite: the vault's own file (WAL mode lets a reader in beside the server).
      const store = openStore(databaseUrl === undefined ? { databaseUrl: undefined, dataDir: db.dataDir } : { databaseUrl, dataDir: readerDir });
      try {
        return (await store.auditEvents.listAuditEvents({ limit: 1_000_000 })).map((e) => ({ seq: e.seq, id: e.id }));
      } finally {
        await store.close();
      }
    },
  };
}

async function serve(vault: Vault): Promise<ServeProcess> {
  const process = await startServe(["--data-dir", vault.dataDir], vault.env);
  cleanups.push(() => (process.child.exitCode === null && process.child.signalCode === null ? process.stop() : Promise.resolve()));
  return process;
}

async function signIn(url: string): Promise<{ admin: (url: string) => WatchwordClient; entryId: string }> {
  const { token } = await createClient({ baseUrl: url }).signIn({ username: "admin", password: PASSWORD, client: "cli" });
  const admin = (base: string) => createClient({ baseUrl: base, token: token! });
  const entryId = (await admin(url).createEntry({ name: "AWS root", seed: { secret: SEED_B32 } })).entry.id;
  return { admin, entryId };
}

const killed = (process: ServeProcess): Promise<void> =>
  new Promise((resolve) => {
    process.child.once("close", () => resolve());
    process.child.kill("SIGKILL");
  });

/** Every event the database holds reached the receiver once or more, in seq order, and everything received is a stored event. */
function expectDeliveredInOrder(records: readonly ReceivedRecord[], stored: readonly { seq: number; id: string }[]): void {
  const seqOfId = new Map(stored.map((e) => [e.id, e.seq]));
  for (const record of records.filter((r) => r.type === "audit_event")) expect(seqOfId.get(record.id)).toBe(record.seq);
  expect(distinctEvents(records).map((r) => [r.seq, r.id])).toEqual(stored.map((e) => [e.seq, e.id]));
}

const toDrop: TestDatabase[] = [];
cleanups.push(async () => Promise.all(toDrop.map((db) => db.drop())));

describe.each(databaseKinds)("SIEM delivery across a SIGKILL on %s", (kind: DatabaseKind) => {
  it("loses no event when the process dies mid-delivery, repeating only with the same ids", async () => {
    // The receiver answers each delivery after 3 s: the kill lands while one is in flight, even on a loaded machine.
    const receiver = await startWebhookReceiver(SECRET, { respondAfterMs: 3_000 });
    cleanups.push(() => receiver.stop());
    const db = await createTestDatabase(kind);
    toDrop.push(db);
    const vault = await createVault(db, receiver.port);
    const first = await serve(vault);
    const { admin, entryId } = await signIn(first.url);
    for (let i = 0; i < 30; i += 1) await admin(first.url).getCode(entryId);
    await waitFor("a delivery in flight", () => receiver.bodies.length > 0);
    const inFlight = receiver.bodies.length;
    await killed(first);
    // The batch the receiver took but never answered is the one a restart sends again.
    const second = await serve(vault);
    for (let i = 0; i < 10; i += 1) await admin(second.url).getCode(entryId);
    const stored = await vault.storedEvents();
    await waitFor("every event at the receiver", () => distinctEvents(receiver.records).length >= stored.length);
    expectDeliveredInOrder(receiver.records, stored);
    expect(receiver.bodies.length).toBeGreaterThan(inFlight);
    expect(receiver.records.filter((r) => r.type === "audit_event").length).toBeGreaterThan(stored.length); // the repeat happened
    expect(receiver.faults).toEqual([]);
    await second.stop();
  }, 120_000);
});

describe.skipIf(!databaseKinds.includes("postgres"))("SIEM delivery from two nodes on one PostgreSQL", () => {
  it("delivers each event once between them, and the second node takes over when the first dies", async () => {
    const receiver = await startWebhookReceiver(SECRET);
    cleanups.push(() => receiver.stop());
    const db = await createTestDatabase("postgres");
    toDrop.push(db);
    const vault = await createVault(db, receiver.port);
    const nodes = [await serve(vault), await serve(vault)];
    const { admin, entryId } = await signIn(nodes[0]!.url);
    for (let i = 0; i < 40; i += 1) await admin(nodes[i % 2]!.url).getCode(entryId);
    let stored = await vault.storedEvents();
    await waitFor("every event at the receiver", () => distinctEvents(receiver.records).length >= stored.length);
    // One deliverer at a time, no takeover yet: each event arrived exactly once.
    expect(receiver.records.filter((r) => r.type === "audit_event").map((r) => r.id)).toEqual(stored.map((e) => e.id));
    const { destinations } = await admin(nodes[1]!.url).auditDestinations();
    const holderPid = Number(destinations[0]!.deliverer!.split(":")[1]);
    const holder = nodes.find((n) => n.child.pid === holderPid)!;
    const other = nodes.find((n) => n !== holder)!;
    expect(holder).toBeDefined();
    await killed(holder);
    for (let i = 0; i < 20; i += 1) await admin(other.url).getCode(entryId);
    stored = await vault.storedEvents();
    await waitFor("the other node's deliveries", () => distinctEvents(receiver.records).length >= stored.length);
    expectDeliveredInOrder(receiver.records, stored);
    const after = await admin(other.url).auditDestinations();
    expect(after.destinations[0]!.deliverer).toBe(destinations[0]!.deliverer!.replace(String(holderPid), String(other.child.pid)));
    expect(receiver.faults).toEqual([]);
  }, 120_000);
});

describe("watchword serve with a hostile SIEM configuration", () => {
  it.each([
    [{ WATCHWORD_SIEM_HOOK_URL: "htps://hook.example.com/planted-path", WATCHWORD_SIEM_HOOK_SECRET: SECRET }, /The address of SIEM destination hook is not one Watchword can deliver to/],
    [{ WATCHWORD_SIEM_LOGS_URL: "syslog+tcp://127.0.0.1:99999" }, /The port of SIEM destination logs must be a number from 1 to 65535/],
    [{ WATCHWORD_SIEM_HOOK_URL: "https://hook.example.com/planted-path", WATCHWORD_SIEM_HOOK_SECRET: "planted-short" }, /must be at least 32 characters long/],
  ])("refuses to start, saying why in one line: %j", async (siem, sentence) => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-siem-hostile-"));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const result = await runCli(["serve", "--port", "0", "--data-dir", dataDir], { env: cleanEnv(siem), timeoutMs: 20_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(sentence);
    expect(result.stderr + result.stdout).not.toMatch(/planted/);
    expect(await fs.readdir(dataDir)).toEqual([]);
  });
});
