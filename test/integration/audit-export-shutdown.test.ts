// A server stopping (SIGTERM, a rolling upgrade) must not wait for an audit export that its
// client stopped reading: the export is ended and the server closes. Before the fix, an unread
// export of a few megabytes kept `close()` waiting for ever.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewAuditEvent } from "../../src/store/audit-events.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const EVENTS = 20_000;

describe("stopping the server during an audit export", () => {
  let db: TestDatabase;
  let server: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("ends an export nobody reads and closes, instead of waiting for it", async () => {
    const app = server!;
    const admin = await signedInClient(app, "ada");
    const padding = "x".repeat(400);
    const events: NewAuditEvent[] = Array.from({ length: EVENTS }, (_, n) => ({
      id: randomUUID(),
      at: Date.now(),
      actorType: "user",
      actorId: null,
      actorName: "alice",
      action: "bulk.event",
      outcome: "success",
      entryId: null,
      entryName: null,
      reason: null,
      ip: "203.0.113.24",
      userAgent: "test",
      channel: "api",
      details: JSON.stringify({ n, padding }),
    }));
    await app.vault.store.transaction((tx) => tx.auditEvents.appendAuditEvents(events));

    // About 10 MB of JSON Lines, far more than the sockets' buffers: the server is left waiting to write.
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.get(`${app.url}/api/v1/audit/export?format=jsonl`, { agent: false, headers: { authorization: `Bearer ${admin.token}` } }, resolve);
      request.on("error", reject);
    });
    expect(response.statusCode).toBe(200);
    response.pause();
    const ended = new Promise<void>((resolve) => {
      response.on("close", resolve);
      response.on("error", () => resolve());
    });

    const started = performance.now();
    const closing = app.close().then(() => "closed" as const);
    const outcome = await Promise.race([closing, new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), 10_000))]);
    expect(outcome).toBe("closed");
    expect(performance.now() - started).toBeLessThan(10_000);
    server = undefined;
    // The client sees its export cut short, not a reply that claims to be whole.
    response.resume();
    await ended;
    expect(response.complete).toBe(false);
  }, 60_000);
});
