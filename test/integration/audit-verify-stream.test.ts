// POST /api/v1/audit/verify with Accept: application/x-ndjson on both databases: progress lines
// after each page, then the verdict line the JSON reply gives; refusals stay ordinary problem
// replies; other Accept headers keep the one JSON reply; an asker who goes away stops nothing else.
import { request as httpRequest } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditVerificationLine, AuditVerificationReply } from "../../src/contract/audit.js";
import { databaseKinds } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import { signedInClient } from "../support/test-app.js";

/** More than two pages of verification (8,192 events a page). */
const EVENTS = 20_000;

describe.each(databaseKinds)("streamed audit verification over HTTP on %s", (kind) => {
  const app = useSignedInAdmin(kind);
  let adminToken = "";
  beforeAll(async () => {
    adminToken = (await signedInClient(app.server, "ada", "admin")).token;
  });

  const verify = (token: string, accept: string) =>
    fetch(`${app.server.url}/api/v1/audit/verify`, {
      method: "POST",
      headers: { "content-type": "application/json", accept, authorization: `Bearer ${token}` },
      body: "{}",
    });

  const readLines = async (reply: Response): Promise<AuditVerificationLine[]> => {
    const text = await reply.text();
    expect(text.endsWith("\n")).toBe(true);
    return text
      .slice(0, -1)
      .split("\n")
      .map((line) => JSON.parse(line) as AuditVerificationLine);
  };

  it("streams progress after each page and ends with the verdict the JSON reply gives", async () => {
    const at = Date.now();
    for (let written = 0; written < EVENTS; written += 1000) {
      const events = Array.from({ length: 1000 }, (_, i) => ({
        id: `3f1b6a52-1c7d-4a6e-9c0b-${String(written + i).padStart(12, "0")}`,
        at: at + written + i,
        actorType: "user",
        actorId: null,
        actorName: "alice",
        action: "code.issued",
        outcome: "success" as const,
        entryId: null,
        entryName: "AWS root",
        reason: null,
        ip: "203.0.113.24",
        userAgent: "bench",
        channel: "api",
        details: "{}",
      }));
      await app.server.vault.store.transaction((tx) => tx.auditEvents.appendAuditEvents(events));
    }
    const json = await app.admin.verifyAudit();
    expect(json.intact).toBe(true);

    const reply = await verify(adminToken, "application/x-ndjson");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(reply.headers.get("cache-control")).toBe("no-store");
    const lines = await readLines(reply);
    const progress = lines.slice(0, -1);
    const verdict = lines.at(-1) as AuditVerificationReply;
    // The same verdict, over one more event: the JSON verification's own audit.verified.
    const expected = { intact: true, brokenAt: null, keyedFrom: json.keyedFrom, eventsChecked: json.eventsChecked + 1, headSeq: json.headSeq + 1 };
    expect(verdict).toMatchObject({ ...expected, finding: { key: "audit_chain_intact" } });
    expect(progress[0]).toEqual({ checked: 0, total: expected.eventsChecked });
    // One line after each page: at least three pages of 8,192 for 20,000 events and more.
    expect(progress.length).toBeGreaterThanOrEqual(4);
    for (const [i, line] of progress.entries()) {
      expect(Object.keys(line).sort(), JSON.stringify(line)).toEqual(["checked", "total"]);
      if (i > 0) expect((line as { checked: number }).checked).toBeGreaterThan((progress[i - 1] as { checked: number }).checked);
    }
    expect(progress.at(-1)).toEqual({ checked: expected.eventsChecked, total: expected.eventsChecked });
  });

  it("streams the verdict that names a modified event", async () => {
    const [, second] = await app.server.vault.store.auditEvents.listAuditEvents({ afterSeq: 9000, limit: 2 });
    await withRawDatabase(app.db, (raw) => raw.updateTable("audit_events").set({ actor_name: "mallory" }).where("seq", "=", second!.seq).execute());
    try {
      const lines = await readLines(await verify(adminToken, "application/json;q=0.5, application/x-ndjson"));
      const verdict = lines.at(-1) as AuditVerificationReply;
      expect(verdict).toMatchObject({ intact: false, brokenAt: second!.seq, finding: { key: "audit_chain_event_changed", params: { seq: second!.seq } } });
      // The page holding it was not counted as checked: the last progress line stops before it.
      expect((lines.at(-2) as { checked: number }).checked).toBeLessThan(second!.seq);
    } finally {
      await withRawDatabase(app.db, (raw) => raw.updateTable("audit_events").set({ actor_name: second!.actorName }).where("seq", "=", second!.seq).execute());
    }
  });

  it("answers other Accept headers with the one JSON reply", async () => {
    for (const accept of ["application/json", "*/*", "application/x-ndjson;q=0", "text/html, application/xhtml+xml"]) {
      const reply = await verify(adminToken, accept);
      expect(reply.status, accept).toBe(200);
      expect(reply.headers.get("content-type"), accept).toMatch(/^application\/json/);
      expect(((await reply.json()) as AuditVerificationReply).intact, accept).toBe(true);
    }
  });

  it("refuses members and strangers with an ordinary problem reply, not a stream", async () => {
    const member = await signedInClient(app.server, "mel-stream", "member");
    const refused = await verify(member.token, "application/x-ndjson");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await refused.json()) as { key: string }).key).toBe("audit_read_forbidden");
    const stranger = await fetch(`${app.server.url}/api/v1/audit/verify`, { method: "POST", headers: { "content-type": "application/json", accept: "application/x-ndjson" }, body: "{}" });
    expect(stranger.status).toBe(401);
    expect(stranger.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("lets an asker go away mid-stream, and answers the next one in full", async () => {
    // A connection of its own (no pool to hand it on): read the first line, then hang up.
    const url = new URL("/api/v1/audit/verify", app.server.url);
    const first = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(url, {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", accept: "application/x-ndjson", authorization: `Bearer ${adminToken}`, "content-length": 2 },
      });
      request.on("error", reject);
      request.on("response", (response) => {
        response.once("data", (chunk: Buffer) => {
          request.destroy();
          resolve(chunk.toString("utf8"));
        });
      });
      request.end("{}");
    });
    expect(first).toMatch(/^\{"checked":0,"total":\d+\}\n/);
    const lines = await readLines(await verify(adminToken, "application/x-ndjson"));
    expect((lines.at(-1) as AuditVerificationReply).intact).toBe(true);
    // The hung-up connection is let go (else the server could not close): once the idle ones are
    // closed, none is left.
    const server = app.server.app.server;
    const open = () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
    await expect.poll(async () => (server.closeIdleConnections(), await open()), { timeout: 10_000 }).toBe(0);
  });
});
