// Archiving never takes an event a SIEM destination has not received yet (its stream would skip
// it), and archives events written with their target columns (migration 0008's longer canonical
// form) so that the archive and the live chain both verify. Run as the built command on both databases.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config.js";
import { openVault, type Vault } from "../../src/services/vault.js";
import { cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";

const DAY = 86_400_000;
const OLD = 600;
const DELIVERED = 250;

describe.each(databaseKinds)("audit archive beside a SIEM destination on %s", (kind) => {
  let db: TestDatabase;
  let vault: Vault;
  let args: string[];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    vault = await openVault({ config: loadServerConfig({ dataDir: db.dataDir, databaseUrl: db.databaseUrl }, {}), ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });
    const now = Date.now();
    const events = Array.from({ length: OLD }, (_, n) => ({
      id: `7a2c4e61-0b3d-4f5a-8c9e-${String(n).padStart(12, "0")}`,
      at: now - 60 * DAY + n,
      actorType: "user",
      actorId: null,
      actorName: "alice",
      action: n % 2 === 0 ? "grant.created" : "code.issued",
      outcome: "success" as const,
      entryId: null,
      entryName: null,
      reason: null,
      ip: "203.0.113.24",
      userAgent: "test",
      channel: "api",
      details: `{"n":${n}}`,
      // Every other event names its target: both canonical forms go into one archive.
      ...(n % 2 === 0 ? { targetType: "grant", targetId: `g-${n}`, targetName: null, folderId: "f-1" } : {}),
    }));
    await vault.store.transaction((tx) => tx.auditEvents.appendAuditEvents(events));
    // The SOC's receiver has had the first DELIVERED events and no more.
    await vault.store.outbox.ensureOutboxDestination("soc", "siem", DELIVERED, now);
    args = ["--data-dir", db.dataDir];
    if (kind === "postgres") args.push("--database-url", `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`);
  }, 120_000);
  afterAll(async () => {
    await vault?.close();
    await db?.drop();
  });

  const withSoc = cleanEnv({ WATCHWORD_SIEM_SOC_URL: "syslog+tcp://127.0.0.1:6514" });
  const cli = (words: string[], env?: Record<string, string>) => runCli([...words, ...args], { timeoutMs: 60_000, ...(env === undefined ? {} : { env }) });

  it("archives only what every configured SIEM destination has received, and both forms verify", async () => {
    const file = path.join(db.dataDir, "held-back.jsonl");
    const archived = await cli(["audit", "archive", "--before", "30d", "--to", file], withSoc);
    expect(archived, archived.stderr).toMatchObject({ code: 0, stdout: `Archived ${DELIVERED} events (events 1 to ${DELIVERED}) to ${file}.\n` });
    expect(await vault.store.auditEvents.readAuditChainState()).toMatchObject({ archived: { seq: DELIVERED } });
    const checked = await cli(["audit", "verify", "--archive", file]);
    expect(checked, checked.stderr).toMatchObject({ code: 0 });
    expect(await cli(["audit", "verify"])).toMatchObject({ code: 0 });

    // Once the destination has the rest, or is no longer configured, the rest may go.
    const rest = path.join(db.dataDir, "rest.jsonl");
    const unheld = await cli(["audit", "archive", "--before", "30d", "--to", rest]);
    expect(unheld, unheld.stderr).toMatchObject({ code: 0, stdout: `Archived ${OLD - DELIVERED} events (events ${DELIVERED + 1} to ${OLD}) to ${rest}.\n` });
    expect(await cli(["audit", "verify", "--archive", rest])).toMatchObject({ code: 0 });
    expect(await cli(["audit", "verify"])).toMatchObject({ code: 0 });
  });
});
