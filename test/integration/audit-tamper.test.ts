// Tamper evidence on both databases: someone who can write the database (but holds neither the
// key nor this machine's checkpoint file) edits the audit log with raw SQL, and `watchword audit
// verify` names the first event at fault and exits 1 — modify, delete, insert, swap, cut off the
// newest events, put an older copy back, and rewrite a row recomputing every later link without the key.
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalAuditEvent, GENESIS_HASH, legacyLink, type LinkFunction } from "../../src/core/audit-chain.js";
import { systemClock } from "../../src/core/clock.js";
import type { SessionId, UserId } from "../../src/core/ids.js";
import type { Actor } from "../../src/services/actor.js";
import { createAuditCheckpoints } from "../../src/services/audit-checkpoints.js";
import { createAuditLog, type AuditFacts } from "../../src/services/audit-log.js";
import { verifyAuditLog, type AuditVerification } from "../../src/services/audit-verify.js";
import { openVault, type Vault } from "../../src/services/vault.js";
import { checkpointFileIn, createAuditCheckpointWriter, readAuditCheckpoints } from "../../src/store/audit-checkpoint-file.js";
import { sqliteFile } from "../../src/store/connect.js";
import type { Database } from "../../src/store/schema.js";
import { cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

const EVENTS = 40;
const CHECKPOINT_EVERY = 10;

const actor: Actor = {
  kind: "user",
  userId: "u-auditor-test" as UserId,
  username: "ada",
  displayName: "Ada",
  role: "admin",
  groupIds: [],
  sessionId: "s-test" as SessionId,
  origin: { ip: "192.0.2.7", userAgent: "tamper-test/1.0", channel: "api" },
};

describe.each(databaseKinds)("audit chain tamper evidence on %s", (kind) => {
  let db: TestDatabase;
  let vault: Vault;

  const openTestVault = () => openVault({ config: { dataDir: db.dataDir, databaseUrl: db.databaseUrl, masterKey: undefined }, ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });

  /** Writes events one batch each, as a server would with checkpoints every CHECKPOINT_EVERY events, then stops (a last checkpoint). */
  async function writeEvents(count: number, facts: (i: number) => AuditFacts = (i) => ({ action: "code.issued", entry: { id: `e-${i}`, name: `Entry ${i}` }, details: { i } })) {
    const checkpoints = createAuditCheckpoints({
      sinks: [createAuditCheckpointWriter(checkpointFileIn(db.dataDir))],
      keyId: vault.keyring.auditKey.keyId,
      clock: systemClock,
      everyEvents: CHECKPOINT_EVERY,
      everySeconds: 3600,
      onError: (error) => {
        throw error;
      },
    });
    const auditLog = createAuditLog({ store: vault.store, clock: systemClock, onCommitted: checkpoints.noteHead });
    for (let i = 0; i < count; i += 1) await auditLog.commit(actor, { events: () => [facts(i)] });
    await checkpoints.close();
  }

  const verify = (): Promise<AuditVerification> =>
    verifyAuditLog({ store: vault.store, auditKey: vault.keyring.auditKey, checkpointFile: checkpointFileIn(db.dataDir) }, { isFileRequired: false });

  const cliArgs = () =>
    db.kind === "sqlite" ? ["--data-dir", db.dataDir] : ["--data-dir", db.dataDir, "--database-url", `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`];
  const verifyWithCli = () => runCli(["audit", "verify", ...cliArgs()], { env: cleanEnv(), timeoutMs: 60_000 });

  const raw = <T,>(use: (raw: Kysely<Database>) => Promise<T>) => withRawDatabase(db, use);

  /** Rewrites event `from`'s details and recomputes every later link with `linkOf`, head included: what a writer without the key can do. */
  async function rewriteFrom(from: number, linkOf: LinkFunction) {
    const events = await vault.store.auditEvents.listAuditEvents({ limit: 10_000 });
    await raw(async (r) => {
      let previous = from === 1 ? GENESIS_HASH : events[from - 2]!.hash;
      for (const event of events.slice(from - 1)) {
        const changed = { ...event, prevHash: previous, details: event.seq === from ? JSON.stringify({ i: -1 }) : event.details };
        const link = linkOf(canonicalAuditEvent(changed));
        await r.updateTable("audit_events").set({ details: changed.details, prev_hash: changed.prevHash, hash: link }).where("seq", "=", event.seq).execute();
        previous = link;
      }
      await r.updateTable("audit_head").set({ hash: previous }).execute();
    });
  }

  /** The verdict from the service and from the CLI: both name `seq` with the sentence matching `sentence`; the CLI exits 1 with one stderr line. */
  async function expectBreak(seq: number, key: string, sentence: RegExp) {
    const verdict = await verify();
    expect([verdict.isIntact, verdict.brokenAt, verdict.finding.key]).toEqual([false, seq, key]);
    expect(verdict.message).toMatch(sentence);
    await vault.close();
    const cli = await verifyWithCli();
    expect([cli.code, cli.stdout]).toEqual([1, ""]);
    expect(cli.stderr.trimEnd().split("\n")).toEqual([`watchword: ${verdict.message}`]);
    vault = await openTestVault();
  }

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    vault = await openTestVault();
    await writeEvents(EVENTS);
  });
  afterEach(async () => {
    await vault.close();
    await db.drop();
  });

  it("finds an untouched chain intact, against every checkpoint, from the service and the CLI", async () => {
    const checkpoints = await readAuditCheckpoints(checkpointFileIn(db.dataDir));
    expect(checkpoints.map((c) => c.seq)).toEqual([10, 20, 30, 40]);
    const verdict = await verify();
    expect(verdict).toMatchObject({ isIntact: true, eventsChecked: EVENTS, checkpointsChecked: 4, keyedFrom: 1, headSeq: EVENTS, brokenAt: null });
    await vault.close();
    const cli = await verifyWithCli();
    expect(cli).toMatchObject({ code: 0, stderr: "", stdout: "The audit chain is intact: 40 events, checked against 4 checkpoints.\n" });
    const json = await runCli(["audit", "verify", "--json", ...cliArgs()], { env: cleanEnv(), timeoutMs: 60_000 });
    expect(JSON.parse(json.stdout)).toMatchObject({ intact: true, eventsChecked: 40, checkpointsChecked: 4, brokenAt: null, finding: { key: "audit_chain_intact" } });
    vault = await openTestVault();
  });

  it("1/7 names a modified event", async () => {
    await raw((r) => r.updateTable("audit_events").set({ details: '{"i":99}' }).where("seq", "=", 17).execute());
    await expectBreak(17, "audit_chain_event_changed", /^Event 17 does not match its link/);
  });

  it("1/7 (0008) names an event whose target or folder column was edited, set or cleared (migration 0008's columns are chained too)", async () => {
    await raw((r) => r.updateTable("audit_events").set({ target_name: "Some other entry" }).where("seq", "=", 12).execute());
    await expectBreak(12, "audit_chain_event_changed", /^Event 12 does not match its link/);
    await raw((r) => r.updateTable("audit_events").set({ target_name: "Entry 11" }).where("seq", "=", 12).execute());
    expect(await verify()).toMatchObject({ isIntact: true });
    await raw((r) => r.updateTable("audit_events").set({ folder_id: "f-elsewhere" }).where("seq", "=", 13).execute());
    await expectBreak(13, "audit_chain_event_changed", /^Event 13 does not match its link/);
    await raw((r) => r.updateTable("audit_events").set({ folder_id: null }).where("seq", "=", 13).execute());
    // Clearing every new column turns the line back into the old 16-element form: still not this event's link.
    await raw((r) => r.updateTable("audit_events").set({ target_type: null, target_id: null, target_name: null }).where("seq", "=", 14).execute());
    await expectBreak(14, "audit_chain_event_changed", /^Event 14 does not match its link/);
  });

  it("2/7 names a deleted event", async () => {
    await raw((r) => r.deleteFrom("audit_events").where("seq", "=", 17).execute());
    await expectBreak(17, "audit_chain_event_missing", /^Event 17 is missing/);
  });

  it("3/7 names a forged event inserted at the head, with or without the head moved to it", async () => {
    const [last] = await vault.store.auditEvents.listAuditEvents({ afterSeq: EVENTS - 1, limit: 1 });
    const forged = { ...last!, seq: EVENTS + 1, id: "00000000-0000-4000-8000-000000000099", details: JSON.stringify({ forged: true }), prevHash: last!.hash };
    const link = legacyLink(canonicalAuditEvent(forged));
    await raw((r) =>
      r
        .insertInto("audit_events")
        .values({ seq: forged.seq, id: forged.id, at: forged.at, actor_type: forged.actorType, actor_id: forged.actorId, actor_name: forged.actorName, action: forged.action, outcome: forged.outcome, entry_id: forged.entryId, entry_name: forged.entryName, reason: forged.reason, ip: forged.ip, user_agent: forged.userAgent, channel: forged.channel, details: forged.details, target_type: forged.targetType ?? null, target_id: forged.targetId ?? null, target_name: forged.targetName ?? null, folder_id: forged.folderId ?? null, prev_hash: forged.prevHash, hash: link })
        .execute(),
    );
    await expectBreak(EVENTS + 1, "audit_chain_beyond_head", /^Event 41 lies beyond the recorded head/);
    await raw((r) => r.updateTable("audit_head").set({ seq: EVENTS + 1, hash: link }).execute());
    await expectBreak(EVENTS + 1, "audit_chain_event_unkeyed", /^Event 41 carries a plain SHA-256 link/);
  });

  it("4/7 names the first of two swapped events", async () => {
    await raw(async (r) => {
      await r.updateTable("audit_events").set({ seq: -12 }).where("seq", "=", 12).execute();
      await r.updateTable("audit_events").set({ seq: 12 }).where("seq", "=", 13).execute();
      await r.updateTable("audit_events").set({ seq: 13 }).where("seq", "=", -12).execute();
    });
    await expectBreak(12, "audit_chain_event_unlinked", /^Event 12 does not follow the event before it/);
  });

  it("5/7 names the first event cut off from the end, even with the head moved back", async () => {
    const [kept] = await vault.store.auditEvents.listAuditEvents({ afterSeq: 32, limit: 1 });
    await raw(async (r) => {
      await r.deleteFrom("audit_events").where("seq", ">", 33).execute();
      await r.updateTable("audit_head").set({ seq: 33, hash: kept!.hash }).execute();
    });
    await expectBreak(34, "audit_chain_checkpoint_absent", /^Checkpoint 40 in .*audit-checkpoints\.jsonl names an event the database no longer has: the events from 34 on were cut off/);
  });

  it("6/7 notices an older copy of the whole database put back, and written on afterwards", async () => {
    // The copy is taken after event 20, as a backup would be; 20 more events and two checkpoints follow.
    await vault.close();
    await db.drop();
    db = await createTestDatabase(kind);
    vault = await openTestVault();
    await writeEvents(20);
    const copy = path.join(db.dataDir, "older-copy");
    if (db.kind === "sqlite") {
      await vault.close();
      await fs.copyFile(sqliteFile(db.dataDir), copy);
      vault = await openTestVault();
    } else {
      await raw(async (r) => {
        await sql`create table saved_events as select * from audit_events`.execute(r);
        await sql`create table saved_head as select * from audit_head`.execute(r);
      });
    }
    await writeEvents(20);
    expect((await readAuditCheckpoints(checkpointFileIn(db.dataDir))).map((c) => c.seq)).toEqual([10, 20, 30, 40]);

    if (db.kind === "sqlite") {
      await vault.close();
      for (const suffix of ["-wal", "-shm"]) await fs.rm(`${sqliteFile(db.dataDir)}${suffix}`, { force: true });
      await fs.copyFile(copy, sqliteFile(db.dataDir));
      vault = await openTestVault();
    } else {
      await raw(async (r) => {
        await sql`delete from audit_events`.execute(r);
        await sql`insert into audit_events select * from saved_events`.execute(r);
        await sql`update audit_head set seq = s.seq, hash = s.hash from saved_head s`.execute(r);
      });
    }
    await expectBreak(21, "audit_chain_checkpoint_absent", /^Checkpoint 30 .* the events from 21 on were cut off, or an older copy of the database was put back/);
    // Written on after the restore: event 30 exists again, with another link than its checkpoint.
    await writeEvents(15, (i) => ({ action: "code.issued", details: { after: i } }));
    await expectBreak(30, "audit_chain_checkpoint_differs", /^Event 30 differs from checkpoint 30 in .*: the chain was rewritten, or an older copy/);
  });

  it("7/7 names the rewritten event when every later link was recomputed with plain SHA-256 or under a wrong key", async () => {
    await rewriteFrom(17, legacyLink);
    await expectBreak(17, "audit_chain_event_unkeyed", /^Event 17 carries a plain SHA-256 link where a keyed link is due/);
    const wrongKey = randomBytes(32);
    await rewriteFrom(17, (line) => createHmac("sha256", wrongKey).update(line).digest("hex"));
    await expectBreak(17, "audit_chain_event_changed", /^Event 17 does not match its link/);
  });

  it("sees the keyed point moved to pass the whole chain off as plain SHA-256 (the checkpoints remember where it was)", async () => {
    await rewriteFrom(1, legacyLink);
    await raw((r) => r.updateTable("audit_head").set({ keyed_from: EVENTS + 1 }).execute());
    await expectBreak(1, "audit_chain_event_unkeyed", /^Event 1 carries a plain SHA-256 link/);
  });

  it("builds the same canonical line in SQL as JSON.stringify does, for awkward text", async () => {
    const awkward = ['quote " and \\ backslash', "tab\tnew\nline\r\u0001\u001f\u007f", "é 😀 \u2028\u2029 </script>", "", "null"];
    await writeEvents(awkward.length, (i) => ({ action: "field.revealed", reason: awkward[i]!, entry: { id: "e", name: awkward[(i + 1) % awkward.length]!, folderId: awkward[i] }, details: { text: awkward[i] } }));
    // Both canonical forms on one page: events with no target (as before migration 0008) and with only some of the new columns.
    await writeEvents(3, (i) => (i === 0 ? { action: "settings.changed" } : i === 1 ? { action: "folder.created", folderId: awkward[0]! } : { action: "user.invited", target: { type: "user", id: "u", name: null } }));
    const events = await vault.store.auditEvents.listAuditEvents({ limit: 10_000 });
    const page = await vault.store.auditEvents.readAuditChainPage(0, events.length);
    expect(page.lines.split("\n")).toEqual(events.map(canonicalAuditEvent));
    expect(page.links).toBe(events.map((e) => e.hash).join(""));
    expect(await verify()).toMatchObject({ isIntact: true, eventsChecked: events.length });
  });
});
