// Group commit on both databases: requests that share one audit transaction must not share one
// fate. An item the database refuses fails alone; every other item of its batch commits its
// writes and its events exactly once, and the chain stays whole.
import { beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { isWatchwordError } from "../../src/core/errors.js";
import type { SessionId, UserId } from "../../src/core/ids.js";
import type { Actor } from "../../src/services/actor.js";
import { createAuditLog } from "../../src/services/audit-log.js";
import { rejection } from "../support/api-rejection.js";
import { verifyStoredChain } from "../support/audit-chain.js";
import { databaseKinds } from "../support/databases.js";
import { refuseAuditEventsWithReason } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import { signedInClient } from "../support/test-app.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const POISON = "poisoned reason the database refuses";

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
});
