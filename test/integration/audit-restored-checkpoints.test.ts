// After `watchword restore`, the checkpoint files still hold checkpoints of events the restore
// took away. The keyed `audit.restored` event sets those aside, and only those: a chain put back
// without one (or with one forged without the key) is still reported, on both databases.
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { createAuditCheckpoints } from "../../src/services/audit-checkpoints.js";
import { createAuditLog, type AuditFacts } from "../../src/services/audit-log.js";
import { AUDIT_RESTORED_ACTION, verifyAuditLog } from "../../src/services/audit-verify.js";
import { openVault, type Vault } from "../../src/services/vault.js";
import { checkpointFileIn, createAuditCheckpointWriter } from "../../src/store/audit-checkpoint-file.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

const operator = { kind: "local" as const, userId: null, username: "operator", origin: { ip: "local", userAgent: "test", channel: "cli" as const } };

describe.each(databaseKinds)("checkpoints after a restore on %s", (kind) => {
  let db: TestDatabase;
  let vault: Vault;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    vault = await openVault({ config: { dataDir: db.dataDir, databaseUrl: db.databaseUrl, masterKey: undefined }, ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });
  });
  afterEach(async () => {
    await vault.close();
    await db.drop();
  });

  async function write(count: number, facts: (i: number) => AuditFacts = (i) => ({ action: "code.issued", details: { i } })) {
    const checkpoints = createAuditCheckpoints({ sinks: [createAuditCheckpointWriter(checkpointFileIn(db.dataDir))], keyId: vault.keyring.auditKey.keyId, clock: systemClock, everyEvents: 10, everySeconds: 3600, onError: (error) => { throw error; } });
    const auditLog = createAuditLog({ store: vault.store, clock: systemClock, onCommitted: checkpoints.noteHead });
    for (let i = 0; i < count; i += 1) await auditLog.commit(operator, { events: () => [facts(i)] });
    await checkpoints.close();
  }
  /** What putting back a copy taken at `seq` does to the audit log. */
  const rollBackTo = (seq: number) =>
    withRawDatabase(db, async (raw) => {
      const link = (await raw.selectFrom("audit_events").select("hash").where("seq", "=", seq).executeTakeFirstOrThrow()).hash;
      await raw.deleteFrom("audit_events").where("seq", ">", seq).execute();
      await raw.updateTable("audit_head").set({ seq, hash: link }).where("id", "=", 1).execute();
    });
  const verify = async () => (await verifyAuditLog({ store: vault.store, auditKey: vault.keyring.auditKey, checkpointFile: checkpointFileIn(db.dataDir) }, { isFileRequired: false })).finding.key;

  it("sets aside the replaced history's checkpoints once the restore event says so, and checks the rest", async () => {
    await write(20);
    await rollBackTo(10);
    expect(await verify()).toBe("audit_chain_checkpoint_absent");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await write(1, () => ({ action: AUDIT_RESTORED_ACTION, target: { type: "vault", id: "vault" }, details: { backupHeadSeq: 10 } }));
    expect(await verify()).toBe("audit_chain_intact");
    // The new history's own checkpoints count as before: 20 is written again, under another link.
    await write(15);
    expect(await verify()).toBe("audit_chain_intact");
    // Put back a copy from before the restore event: that is a rollback like any other.
    await rollBackTo(10);
    expect(await verify()).not.toBe("audit_chain_intact");
  });

  it("does not let a restore event forged without the audit key set anything aside", async () => {
    await write(20);
    await rollBackTo(10);
    await withRawDatabase(db, async (raw) => {
      const head = await raw.selectFrom("audit_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirstOrThrow();
      const forged = "f".repeat(64);
      await sql`insert into audit_events (seq, id, at, actor_type, actor_id, actor_name, action, outcome, entry_id, entry_name, reason, ip, user_agent, channel, details, prev_hash, hash)
        values (${Number(head.seq) + 1}, 'forged', ${Date.now() + 1000}, 'local', null, 'mallory', ${AUDIT_RESTORED_ACTION}, 'success', null, null, null, 'local', 'x', 'cli', ${JSON.stringify({ backupHeadSeq: 10 })}, ${head.hash}, ${forged})`.execute(raw);
      await raw.updateTable("audit_head").set({ seq: Number(head.seq) + 1, hash: forged }).where("id", "=", 1).execute();
    });
    expect(await verify()).toBe("audit_chain_event_changed");
  });
});
