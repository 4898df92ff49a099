// The server's own retention (services/audit-retention.ts): with WATCHWORD_AUDIT_RETENTION set, a
// running server archives the events older than that age into a new file of its archive
// directory, deletes them, and the live chain and the file verify with the built command. Two nodes
// on one PostgreSQL archiving at the same moment archive each event once, in one file.
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { NewAuditEvent } from "../../src/store/audit-events.js";
import { runCli } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type DatabaseKind, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const DAY = 86_400_000;
const OLD = 1_000;
const RECENT = 100;

const opened: { apps: TestApp[]; dbs: TestDatabase[] } = { apps: [], dbs: [] };
afterEach(async () => {
  for (const app of opened.apps.splice(0)) await app.close().catch(() => undefined);
  for (const db of opened.dbs.splice(0)) await db.drop();
});

/** A vault whose log holds OLD events from 60 days ago and RECENT from yesterday. */
async function vaultWithOldEvents(kind: DatabaseKind): Promise<TestDatabase> {
  const db = await createTestDatabase(kind);
  opened.dbs.push(db);
  const seeding = await startTestApp(db);
  const now = Date.now();
  const events: NewAuditEvent[] = Array.from({ length: OLD + RECENT }, (_, n) => ({
    id: `7c2e9a41-5b3d-4f60-8a1c-${String(n).padStart(12, "0")}`,
    at: n < OLD ? now - 60 * DAY + n : now - DAY + n,
    actorType: "user",
    actorId: null,
    actorName: "alice",
    action: "code.issued",
    outcome: "success",
    entryId: null,
    entryName: "AWS root",
    reason: null,
    ip: "203.0.113.24",
    userAgent: "test",
    channel: "api",
    details: `{"n":${n}}`,
  }));
  await seeding.vault.store.transaction((tx) => tx.auditEvents.appendAuditEvents(events));
  await seeding.close();
  return db;
}

const cliArgs = (db: TestDatabase): string[] =>
  db.kind === "postgres" ? ["--data-dir", db.dataDir, "--database-url", `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`] : ["--data-dir", db.dataDir];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const archiveFiles = async (directory: string): Promise<string[]> =>
  existsSync(directory) ? (await fs.readdir(directory)).filter((name) => name.endsWith(".jsonl")).map((name) => path.join(directory, name)) : [];

describe.each(databaseKinds)("the server's own audit retention on %s", (kind) => {
  it("archives the events older than the retention age by itself, and both the live chain and the file verify", async () => {
    const db = await vaultWithOldEvents(kind);
    const directory = path.join(db.dataDir, "kept-archives");
    const server = await startTestApp(db, { env: { WATCHWORD_AUDIT_RETENTION: "30d", WATCHWORD_AUDIT_ARCHIVE_DIR: directory }, auditRetentionFirstRunMs: 100 });
    opened.apps.push(server);
    const [file] = await waitFor("the archive file", async () => ((await archiveFiles(directory)).length > 0 ? archiveFiles(directory) : undefined));
    expect(path.basename(file!)).toMatch(/^audit-\d{8}T\d{6}Z\.jsonl$/);
    const state = await waitFor("the deletion", async () => {
      const now = await server.vault.store.auditEvents.readAuditChainState();
      return now.archived.seq === OLD ? now : undefined;
    });
    expect(state.firstSeq).toBe(OLD + 1);
    const [last] = await server.vault.store.auditEvents.listAuditEvents({ afterSeq: state.lastSeq - 1, limit: 1 });
    expect(last).toMatchObject({ action: "audit.archived", actorType: "local", actorName: "watchword (retention)" });
    expect(JSON.parse(last!.details)).toMatchObject({ firstSeq: 1, throughSeq: OLD, count: OLD, file: path.basename(file!) });
    expect(((await fs.stat(file!)).mode & 0o777).toString(8)).toBe("600");
    await server.close();
    opened.apps.splice(opened.apps.indexOf(server), 1);
    expect(server.logs.join("")).toMatch(/"msg":"audit events archived"/);

    const live = await runCli(["audit", "verify", ...cliArgs(db)], { timeoutMs: 60_000 });
    expect(live, live.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(live.stdout).toMatch(/^The audit chain is intact: 101 events/);
    const archive = await runCli(["audit", "verify", "--archive", file!, ...cliArgs(db)], { timeoutMs: 60_000 });
    expect(archive, archive.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(archive.stdout).toMatch(/is intact: 1,000 events \(events 1 to 1000\)/);
  }, 150_000);

  it("refuses an unreadable retention setting at start, naming the variable", async () => {
    const db = await createTestDatabase(kind);
    opened.dbs.push(db);
    await expect(startTestApp(db, { env: { WATCHWORD_AUDIT_RETENTION: "a year" } })).rejects.toThrow(/WATCHWORD_AUDIT_RETENTION/);
    await expect(startTestApp(db, { env: { WATCHWORD_AUDIT_RETENTION: "30d", WATCHWORD_AUDIT_ARCHIVE_INTERVAL_MINUTES: "often" } })).rejects.toThrow(/WATCHWORD_AUDIT_ARCHIVE_INTERVAL_MINUTES/);
  });
});

describe.skipIf(!databaseKinds.includes("postgres"))("two nodes' retention on one PostgreSQL", () => {
  it("lets only one of two overlapping archive transactions delete, whatever the order of their reads", async () => {
    const db = await vaultWithOldEvents("postgres");
    // Two nodes' stores, each holding its transaction open at the step the test chooses.
    const [a, b] = [await startTestApp(db), await startTestApp(db)];
    opened.apps.push(a, b);
    const through = await a.vault.store.transaction(async (tx) => {
      const events = await tx.auditEvents.listAuditEvents({ afterSeq: OLD - 1, limit: 1 });
      return { seq: events[0]!.seq, link: events[0]!.hash };
    });
    let releaseA!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (releaseA = resolve));
    let aArchived!: () => void;
    const aHasArchived = new Promise<void>((resolve) => (aArchived = resolve));
    // Both read where the chain begins before either commits: the window the old check left open.
    const startOf = async (tx: Parameters<Parameters<TestApp["vault"]["store"]["transaction"]>[0]>[0]) => (await tx.auditEvents.readAuditChainState()).archived.seq;
    const first = a.vault.store.transaction(async (tx) => {
      expect(await startOf(tx)).toBe(0);
      const deleted = await tx.auditEvents.archiveAuditEvents(0, through);
      aArchived();
      await aMayCommit;
      return deleted;
    });
    await aHasArchived;
    const second = b.vault.store.transaction(async (tx) => {
      expect(await startOf(tx)).toBe(0);
      // Waits for the first's row lock on the head, then finds the start moved.
      const pending = tx.auditEvents.archiveAuditEvents(0, through);
      setTimeout(releaseA, 300);
      return pending;
    });
    expect([await first, await second]).toEqual([OLD, undefined]);
    const state = await b.vault.store.auditEvents.readAuditChainState();
    expect([state.archived.seq, state.firstSeq, state.lastSeq]).toEqual([OLD, OLD + 1, OLD + RECENT]);
  }, 60_000);

  it("archives each event once, in one node's file, when both run at the same moment", async () => {
    const db = await vaultWithOldEvents("postgres");
    const directories = [path.join(db.dataDir, "node-a"), path.join(db.dataDir, "node-b")];
    // One after the other (two starts at once can exceed Fastify's plugin time-out on a loaded
    // machine); the first waits longer, so that both runs begin about together.
    const nodes: TestApp[] = [];
    for (const [index, directory] of directories.entries()) {
      const node = await startTestApp(db, { env: { WATCHWORD_AUDIT_RETENTION: "30d", WATCHWORD_AUDIT_ARCHIVE_DIR: directory }, auditRetentionFirstRunMs: index === 0 ? 1_500 : 200 });
      nodes.push(node);
      opened.apps.push(node);
    }
    await waitFor("the deletion", async () => ((await nodes[0]!.vault.store.auditEvents.readAuditChainState()).archived.seq === OLD ? true : undefined));
    // The loser's run ends after the winner's deletion: wait for both nodes to be idle again.
    for (const node of nodes) await node.close();
    opened.apps.splice(0);
    const files = [...(await archiveFiles(directories[0]!)), ...(await archiveFiles(directories[1]!))];
    expect(files).toHaveLength(1);
    expect((await fs.readFile(files[0]!, "utf8")).trimEnd().split("\n")).toHaveLength(OLD + 1);
    const verified = await runCli(["audit", "verify", ...cliArgs(db)], { timeoutMs: 60_000 });
    expect(verified, verified.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(verified.stdout).toMatch(/^The audit chain is intact: 101 events/);
  }, 150_000);
});
