// Group commit on both databases: requests that share one audit transaction must not share one
// fate. An item the database refuses fails alone; every other item of its batch commits its
// writes and its events exactly once, and the chain stays whole.
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { STATUS_OF_ERROR } from "../../src/contract/problem.js";
import { systemClock } from "../../src/core/clock.js";
import { isWatchwordError } from "../../src/core/errors.js";
import type { SessionId, UserId } from "../../src/core/ids.js";
import type { Actor } from "../../src/services/actor.js";
import { createAuditLog } from "../../src/services/audit-log.js";
import { sqliteFile, withDefaultUser } from "../../src/store/connect.js";
import { loadSqlite } from "../../src/store/sqlite-module.js";
import type { Store } from "../../src/store/store.js";
import { rejection } from "../support/api-rejection.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { verifyStoredChain } from "../support/audit-chain.js";
import { refuseAuditEventsWithReason } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import { signedInClient } from "../support/test-app.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const POISON = "poisoned reason the database refuses";

/**
 * A second connection that keeps the audit log from being written until released: on SQLite it
 * holds the write lock (BEGIN IMMEDIATE), so the batch's own BEGIN waits; on PostgreSQL it holds
 * the audit chain's head row (SELECT … FOR UPDATE), so the batch waits inside its transaction,
 * where a refusal would otherwise be split. Either wait ends, after its bound, in `unavailable`.
 * Only the PostgreSQL case reaches audit-log.ts's guard against splitting such a batch (SQLite's
 * wait fails at BEGIN, before anything ran); without the guard it sees three transactions.
 */
async function blockAuditWrites(db: TestDatabase): Promise<() => Promise<void>> {
  if (db.kind === "sqlite") {
    const Sqlite = loadSqlite();
    const holder = new Sqlite(sqliteFile(db.dataDir), { fileMustExist: true });
    holder.exec("begin immediate");
    return async () => {
      holder.exec("rollback");
      holder.close();
    };
  }
  const holder = new pg.Client({ connectionString: withDefaultUser(db.databaseUrl!), options: `-c search_path=${db.postgresSchema}` });
  await holder.connect();
  await holder.query("begin");
  await holder.query("select seq from audit_head where id = 1 for update");
  return async () => {
    await holder.query("rollback");
    await holder.end();
  };
}

describe.each(databaseKinds)("audit batches on %s", (kind) => {
  const app = useSignedInAdmin(kind);
  let actor: Actor;

  beforeAll(async () => {
    const ada = (await app.server.vault.store.users.findUserByUsername("ada"))!;
    actor = { kind: "user", userId: ada.id as UserId, username: "ada", displayName: "Ada", role: "admin", groupIds: [], sessionId: "test" as SessionId, origin: { ip: "127.0.0.1", userAgent: "test", channel: "api" } };
  });

  it("commits every other item of a batch when the database refuses one item's event", async () => {
    const { entry } = await app.admin.createEntry({ name: "Batch HOTP", seed: { uri: `otpauth://hotp/Batch?secret=${SEED_B32}&counter=0` } });
    const before = await app.server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 });
    const auditLog = createAuditLog({ store: app.server.vault.store, clock: systemClock });
    const restore = await refuseAuditEventsWithReason(app.db, POISON);
    let results: PromiseSettledResult<number>[];
    try {
      // All commits join in one turn of the event loop, so they share one batch (one transaction).
      const good = (i: number) =>
        auditLog.commit(actor, {
          work: async (tx) => (await tx.entries.takeHotpCounter(entry.id)) as number,
          events: (counter: number) => [{ action: "code.issued", entry: { id: entry.id, name: entry.name }, details: { counter, i } }],
        });
      const poisoned = auditLog.commit(actor, {
        work: async (tx) => (await tx.entries.takeHotpCounter(entry.id)) as number,
        events: () => [{ action: "recovery_code.revealed", entry: { id: entry.id, name: entry.name }, reason: POISON }],
      });
      results = await Promise.allSettled([good(0), good(1), good(2), poisoned, good(3), good(4), good(5), good(6)]);
    } finally {
      await restore();
    }

    const failed = results.filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(results[3]!.status).toBe("rejected");
    const reason = (results[3] as PromiseRejectedResult).reason as unknown;
    expect(isWatchwordError(reason) && reason.code).toBe("unavailable");

    // The seven good items got seven different counters, each recorded by exactly one event;
    // the poisoned item's counter step was rolled back with its event.
    const counters = results.filter((r): r is PromiseFulfilledResult<number> => r.status === "fulfilled").map((r) => r.value);
    expect([...counters].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const events = await app.server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 });
    const added = events.slice(before.length);
    expect(added.map((e) => e.action)).toEqual(Array(7).fill("code.issued"));
    expect(added.map((e) => (JSON.parse(e.details) as { counter: number }).counter).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(added.some((e) => e.reason === POISON)).toBe(false);
    expect(await verifyStoredChain(app.server.vault)).toMatchObject({ isIntact: true, eventsChecked: events.length });
    expect((await app.server.vault.store.entries.findEntry(entry.id))!.hotpCounter).toBe(7);
  });

  it("hands other people their codes while one reveal's event is refused", async () => {
    const { entry: totp } = await app.admin.createEntry({ name: "Busy TOTP", seed: { secret: SEED_B32 } });
    const { entry: recovery } = await app.admin.createEntry({ name: "Busy recovery", recoveryCodes: ["kilo-1111", "lima-2222"] });
    const member = await signedInClient(app.server, "max", "admin");
    const restore = await refuseAuditEventsWithReason(app.db, POISON);
    let codes: PromiseSettledResult<unknown>[];
    let reveal: Awaited<ReturnType<typeof rejection>>;
    try {
      const revealing = rejection(app.admin.revealNextRecoveryCode(recovery.id, POISON));
      codes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? app.admin : member).getCode(totp.id)));
      reveal = await revealing;
    } finally {
      await restore();
    }
    expect(codes.every((c) => c.status === "fulfilled")).toBe(true);
    expect(reveal.status).toBe(503);
    expect((await app.admin.getEntry(recovery.id)).recoveryCodes.remaining).toBe(2);
    const events = await app.server.vault.store.auditEvents.listAuditEvents({ entryId: totp.id, limit: 1000 });
    expect(events.filter((e) => e.action === "code.issued")).toHaveLength(12);
  });

  it("fails a batch once, as a whole, while the database is unavailable: every waiter gets 503 and nothing is split or retried", async () => {
    const { entry } = await app.admin.createEntry({ name: "Unavailable TOTP", seed: { secret: SEED_B32 } });
    const store = app.server.vault.store;
    const before = await store.auditEvents.listAuditEvents({ limit: 100_000 });
    const release = await blockAuditWrites(app.db);
    let isReleased = false;
    // The real store, with its transactions counted. The database is given back as soon as the
    // first transaction has failed: a split batch would then commit its halves, and be seen.
    let transactions = 0;
    const counted: Pick<Store, "transaction"> = {
      async transaction(work) {
        transactions += 1;
        try {
          return await store.transaction(work);
        } finally {
          if (!isReleased) {
            isReleased = true;
            await release();
          }
        }
      },
    };
    let results: PromiseSettledResult<number>[];
    try {
      const auditLog = createAuditLog({ store: counted, clock: systemClock });
      const issue = (i: number) =>
        auditLog.commit(actor, {
          work: async () => i,
          events: () => [{ action: "code.issued", entry: { id: entry.id, name: entry.name }, details: { i } }],
        });
      // One turn of the event loop: one batch.
      results = await Promise.allSettled([issue(0), issue(1), issue(2), issue(3)]);
    } finally {
      if (!isReleased) await release();
    }

    expect(transactions).toBe(1);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    for (const result of results) {
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(isWatchwordError(reason) && [reason.code, STATUS_OF_ERROR[reason.code]]).toEqual(["unavailable", 503]);
      // The database's own reason (busy, locked), not the generic "could not be audited".
      expect(isWatchwordError(reason) && reason.key).toMatch(/^database_/);
    }
    const after = await store.auditEvents.listAuditEvents({ limit: 100_000 });
    expect(after).toHaveLength(before.length);
    expect(await verifyStoredChain(app.server.vault)).toMatchObject({ isIntact: true, eventsChecked: after.length });
  });
});
