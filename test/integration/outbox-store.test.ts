// The outbox's store and hook on both databases: messages commit with their audit events or not at
// all, one holder of a destination's lease at a time, and a cursor only moved by its holder from
// where it read it.
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { createAuditLog, type AuditActor } from "../../src/services/audit-log.js";
import { createOutbox } from "../../src/services/outbox.js";
import { databaseKinds } from "../support/databases.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";

const operator: AuditActor = { kind: "local", userId: null, username: "root", origin: { ip: "127.0.0.1", userAgent: "test", channel: "cli" } };

describe.each(databaseKinds)("outbox store on %s", (kind) => {
  const app = useSignedInAdmin(kind);

  it("writes a producer's messages in the audit batch's transaction, with each event's seq and id", async () => {
    const store = app.server.vault.store;
    const outbox = createOutbox({ clock: systemClock });
    outbox.addProducer((events) => events.map((event) => ({ destination: "test:hook", kind: "alert", seq: event.seq, eventId: event.id, payload: JSON.stringify({ action: event.action }) })));
    const log = createAuditLog({ store, clock: systemClock, onAppended: outbox.onAppended });
    await Promise.all([log.commit(operator, { events: () => [{ action: "outbox.one" }] }), log.commit(operator, { events: () => [{ action: "outbox.two" }] })]);
    const messages = await store.outbox.listOutboxMessages("test:hook", { limit: 10, now: Date.now() });
    const events = await store.auditEvents.listAuditEvents({ afterSeq: messages[0]!.seq! - 1, limit: 10 });
    expect(messages.map((m) => [m.seq, m.eventId, JSON.parse(m.payload)])).toEqual(events.slice(0, 2).map((e) => [e.seq, e.id, { action: e.action }]));
    expect(events.slice(0, 2).map((e) => e.action).sort()).toEqual(["outbox.one", "outbox.two"]);
  });

  it("writes neither the events nor the messages when a producer fails", async () => {
    const store = app.server.vault.store;
    const outbox = createOutbox({ clock: systemClock });
    outbox.addProducer((events) => events.map((event) => ({ destination: "test:failing", kind: "alert", seq: event.seq, eventId: event.id, payload: "{}" })));
    outbox.addProducer(() => {
      throw new Error("producer broke");
    });
    const log = createAuditLog({ store, clock: systemClock, onAppended: outbox.onAppended });
    const before = await store.outbox.auditHeadSeq();
    await expect(log.commit(operator, { events: () => [{ action: "outbox.lost" }] })).rejects.toThrow();
    expect(await store.outbox.auditHeadSeq()).toBe(before);
    expect(await store.outbox.countOutboxMessages("test:failing")).toBe(0);
  });

  it("lets one holder take a destination's lease until it expires or is released", async () => {
    const { outbox } = app.server.vault.store;
    await outbox.ensureOutboxDestination("test:lease", "siem", 0, 1000);
    expect(await outbox.acquireOutboxLease("test:lease", "node-a", 1000, 2000)).toBe(true);
    expect(await outbox.acquireOutboxLease("test:lease", "node-b", 1500, 2500)).toBe(false);
    expect(await outbox.acquireOutboxLease("test:lease", "node-a", 1900, 3000)).toBe(true);
    expect(await outbox.acquireOutboxLease("test:lease", "node-b", 2999, 4000)).toBe(false);
    expect(await outbox.acquireOutboxLease("test:lease", "node-b", 3001, 4000)).toBe(true);
    await outbox.releaseOutboxLease("test:lease", "node-a");
    expect((await outbox.findOutboxDestination("test:lease"))?.leaseHolder).toBe("node-b");
    await outbox.releaseOutboxLease("test:lease", "node-b");
    expect(await outbox.acquireOutboxLease("test:lease", "node-a", 3002, 4000)).toBe(true);
  });

  it("moves a cursor only for the lease holder and only from where it was read", async () => {
    const { outbox } = app.server.vault.store;
    await outbox.ensureOutboxDestination("test:cursor", "siem", 5, 1000);
    await outbox.ensureOutboxDestination("test:cursor", "siem", 99, 1000);
    expect((await outbox.findOutboxDestination("test:cursor"))?.deliveredSeq).toBe(5);
    const now = Date.now();
    await outbox.enqueueOutboxMessages([{ destination: "test:cursor", kind: "audit_checkpoint", seq: 7, eventId: null, payload: "{}" }], now);
    const [message] = await outbox.listOutboxMessages("test:cursor", { limit: 5, now, throughSeq: 7 });
    expect(await outbox.listOutboxMessages("test:cursor", { limit: 5, now, throughSeq: 6 })).toEqual([]);
    expect(await outbox.acquireOutboxLease("test:cursor", "node-a", now, now + 10_000)).toBe(true);
    expect(await outbox.recordOutboxDelivery({ name: "test:cursor", holder: "node-b", fromSeq: 5, toSeq: 9, messageIds: [message!.id], at: now })).toBe(false);
    expect(await outbox.recordOutboxDelivery({ name: "test:cursor", holder: "node-a", fromSeq: 4, toSeq: 9, messageIds: [message!.id], at: now })).toBe(false);
    expect(await outbox.countOutboxMessages("test:cursor")).toBe(1);
    await outbox.recordOutboxFailure({ name: "test:cursor", holder: "node-a", error: "connection refused", at: now });
    expect((await outbox.findOutboxDestination("test:cursor"))).toMatchObject({ failures: 1, lastError: "connection refused" });
    expect(await outbox.recordOutboxDelivery({ name: "test:cursor", holder: "node-a", fromSeq: 5, toSeq: 9, messageIds: [message!.id], at: now })).toBe(true);
    expect(await outbox.findOutboxDestination("test:cursor")).toMatchObject({ deliveredSeq: 9, failures: 0, lastSuccessAt: now });
    expect(await outbox.countOutboxMessages("test:cursor")).toBe(0);
  });
});
