// Reading the audit log over HTTP on both databases: every filter against an independent reading
// of the whole log, cursor paging while new events arrive (no repeat, no gap), the three export
// forms parsed back (CSV by a strict RFC 4180 reader), an export of 200,000 events within a memory
// bound and held back by a reader that pauses, hostile queries refused with a catalogue key and
// nothing changed, who may read (administrator, auditor, member, an entry's manager, a service
// account, nobody), and no planted secret in any reply.
import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import type { AuditEventPage, AuditEventQuery, AuditEventView } from "../../src/contract/audit.js";
import type { StoredAuditEvent, NewAuditEvent } from "../../src/store/audit-events.js";
import { sql } from "kysely";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BAJJ2W24DTEBXXMZLSEB2GQZJANRQXU6JAMRXWOLQ";
const RECOVERY = "tangerine-harbor-5512-recovery";
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A strict RFC 4180 reader: quoted cells, doubled quotes, CRLF records; throws on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let i = 0;
  let isQuoted = false;
  let isCellStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (isQuoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        isQuoted = false;
        i += 1;
        if (text[i] !== "," && text[i] !== "\r") throw new Error(`text after a closing quote at ${i}`);
        continue;
      }
      cell += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      if (!isCellStart) throw new Error(`a quote inside an unquoted cell at ${i}`);
      isQuoted = true;
      isCellStart = false;
      i += 1;
    } else if (c === ",") {
      record.push(cell);
      cell = "";
      isCellStart = true;
      i += 1;
    } else if (c === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`a CR without LF at ${i}`);
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      isCellStart = true;
      i += 2;
    } else if (c === "\n") {
      throw new Error(`a bare LF outside quotes at ${i}`);
    } else {
      cell += c;
      isCellStart = false;
      i += 1;
    }
  }
  if (isQuoted || cell !== "" || record.length > 0) throw new Error("the last record does not end in CRLF");
  return records;
}

type Filter = Omit<AuditEventQuery, "cursor" | "limit">;

describe.each(databaseKinds)("reading the audit log on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient & { token: string };
  let auditor: WatchwordClient & { token: string };
  let member: WatchwordClient & { token: string };
  let manager: WatchwordClient & { token: string };
  let user: WatchwordClient & { token: string };
  let managerId: string;
  let entryA: string;
  let entryB: string;
  let folderId: string;
  let serviceToken: string;
  let base: number;

  const store = () => server.vault.store;
  const append = (events: readonly NewAuditEvent[]) => store().transaction((tx) => tx.auditEvents.appendAuditEvents(events));
  /** The whole log, oldest first, read by the chain's own store: the oracle. */
  const everything = async (): Promise<StoredAuditEvent[]> => store().auditEvents.listAuditEvents({ limit: 10_000_000 });
  const headSeq = async () => (await store().auditEvents.readAuditChainState()).head.seq;
  /** null: no credential at all. */
  const get = (path: string, token: string | null = admin.token) =>
    fetch(`${server.url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

  /** Every page of a query, following nextCursor. */
  async function allPages(client: WatchwordClient, filter: Filter, limit = 200): Promise<AuditEventView[]> {
    const events: AuditEventView[] = [];
    let cursor: string | undefined;
    do {
      const page: AuditEventPage = await client.listAuditEvents({ ...filter, limit: String(limit), ...(cursor === undefined ? {} : { cursor }) });
      expect(page.events.length).toBeLessThanOrEqual(limit);
      events.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return events;
  }

  function matches(event: StoredAuditEvent, filter: Filter): boolean {
    if (filter.actor !== undefined && event.actorId !== filter.actor && event.actorName !== filter.actor) return false;
    if (filter.entry !== undefined && event.entryId !== filter.entry) return false;
    if (filter.folder !== undefined && event.folderId !== filter.folder) return false;
    if (filter.action !== undefined && event.action !== filter.action) return false;
    if (filter.outcome !== undefined && event.outcome !== filter.outcome) return false;
    if (filter.channel !== undefined && event.channel !== filter.channel) return false;
    if (filter.since !== undefined && event.at < Date.parse(filter.since)) return false;
    if (filter.until !== undefined && event.at >= Date.parse(filter.until)) return false;
    return true;
  }

  /** The seqs the oracle says match, newest first. */
  async function expected(filter: Filter): Promise<number[]> {
    return (await everything())
      .filter((event) => matches(event, filter))
      .map((event) => event.seq)
      .reverse();
  }

  const ACTORS = [
    { actorType: "user", actorName: "pat" },
    { actorType: "user", actorName: "quinn" },
    { actorType: "service_account", actorName: "deploy-bot" },
    { actorType: "local", actorName: "root" },
  ] as const;
  const ACTIONS = ["code.issued", "entry.updated", "recovery_code.revealed", "user.signed_in"];
  const OUTCOMES = ["success", "success", "denied", "failure", "success"] as const;
  const CHANNELS = ["ui", "api", "cli"];

  /** `count` events from `first` on, an hour apart with a few minutes of disorder, over the entries, actors and kinds above. */
  function generated(first: number, count: number, extra: (n: number) => Partial<NewAuditEvent> = () => ({})): NewAuditEvent[] {
    return Array.from({ length: count }, (_, k) => {
      const n = first + k;
      const actor = ACTORS[n % ACTORS.length]!;
      const entry = n % 5 === 0 ? null : n % 2 === 0 ? { id: entryA, name: "Audit A" } : { id: entryB, name: "Audit B" };
      return {
        id: crypto.randomUUID(),
        at: base + n * HOUR + ((n * 37) % 9) * MINUTE - 4 * MINUTE,
        actorType: actor.actorType,
        actorId: actor.actorType === "local" ? null : actor.actorType === "user" && actor.actorName === "pat" ? managerId : `00000000-0000-4000-8000-${String(n % ACTORS.length).padStart(12, "0")}`,
        actorName: actor.actorName,
        action: ACTIONS[(n * 3) % ACTIONS.length]!,
        outcome: OUTCOMES[n % OUTCOMES.length]!,
        entryId: entry?.id ?? null,
        entryName: entry?.name ?? null,
        reason: null,
        ip: "198.51.100.4",
        userAgent: "audit-query-test",
        channel: CHANNELS[n % CHANNELS.length]!,
        details: JSON.stringify({ n }),
        ...extra(n),
      };
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    auditor = await signedInClient(server, "aude", "auditor");
    member = await signedInClient(server, "mel", "member");
    manager = await signedInClient(server, "pat", "member");
    user = await signedInClient(server, "uli", "member");
    managerId = (await store().users.findUserByUsername("pat"))!.id;
    const userId = (await store().users.findUserByUsername("uli"))!.id;
    folderId = (await admin.createFolder({ name: "Audit folder" })).id;
    entryA = (await admin.createEntry({ name: "Audit A", folderId, seed: { secret: SEED }, recoveryCodes: [RECOVERY] })).entry.id;
    entryB = (await admin.createEntry({ name: "Audit B", seed: { secret: SEED } })).entry.id;
    await admin.createGrant({ principal: { kind: "user", id: managerId }, scope: { kind: "entry", id: entryA }, permission: "manage" });
    await admin.createGrant({ principal: { kind: "user", id: userId }, scope: { kind: "entry", id: entryA }, permission: "use" });
    await user.getCode(entryA);
    await admin.revealNextRecoveryCode(entryA, "testing what the audit log shows");
    const account = await admin.createServiceAccount({ name: "audit-bot" });
    serviceToken = (await admin.createApiToken(account.id, { scope: { entryIds: [entryA], folderIds: [], permissions: ["use"] } })).token;
    // Later than every real event, so that times rise with seq (give or take the few minutes of disorder).
    base = Date.now() + HOUR;
    await append(generated(0, 300));
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("answers every filter, alone and together, with exactly the events the log holds, newest first", async () => {
    const at = (n: number) => new Date(base + n * HOUR).toISOString();
    const filters: Filter[] = [
      {},
      { actor: managerId },
      { actor: "deploy-bot" },
      { actor: "root" },
      { actor: "ada" },
      { entry: entryA },
      { folder: folderId },
      { action: "code.issued" },
      { outcome: "denied" },
      { channel: "cli" },
      { since: at(100) },
      { until: at(40) },
      { since: at(100), until: at(200) },
      { action: "recovery_code.revealed", since: at(50), until: at(120) },
      { actor: "deploy-bot", outcome: "failure" },
      { entry: entryB, channel: "api", since: at(10) },
      { folder: folderId, action: "entry.updated", until: at(250) },
      { actor: "nobody-at-all" },
    ];
    for (const filter of filters) {
      const events = await allPages(admin, filter, 37);
      const label = JSON.stringify(filter);
      expect(events.map((e) => e.seq), label).toEqual(await expected(filter));
      for (const event of events) expect(Date.parse(event.at), label).not.toBeNaN();
    }
    // The real events are there too, shown as the contract says.
    const [issued] = (await admin.listAuditEvents({ entry: entryA, action: "code.issued", until: new Date(base).toISOString() })).events;
    expect(issued).toMatchObject({ actor: { type: "user", name: "uli" }, outcome: "success", entry: { id: entryA, name: "Audit A" }, target: { type: "entry", id: entryA, name: "Audit A" }, folderId, channel: "api" });
    expect(issued!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("pages by cursor without a repeat or a gap while new events arrive", async () => {
    const filter: Filter = { entry: entryA };
    const snapshot = await expected(filter);
    const seen: number[] = [];
    let cursor: string | undefined;
    let added = 0;
    do {
      const page = await admin.listAuditEvents({ ...filter, limit: "7", ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.events.map((e) => e.seq));
      cursor = page.nextCursor ?? undefined;
      // New events about the same entry, between every two pages.
      await append(generated(1000 + added, 4, () => ({ entryId: entryA, entryName: "Audit A" })));
      added += 4;
    } while (cursor !== undefined);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(snapshot);
    // The newest first page shows the newcomers.
    const first = await admin.listAuditEvents({ ...filter, limit: "4" });
    expect(first.events[0]!.seq).toBe(await headSeq());
    expect(first.events[0]!.seq).toBeGreaterThan(snapshot[0]!);
  });

  it("exports CSV, JSON and JSON Lines with the events the list shows, neutralising formulas in CSV", async () => {
    const hostile = ["=HYPERLINK(\"http://x.example\",\"click\")", "+1+2", "-3", "@SUM(A1)", "\tTab", "\rCR", 'a "quoted", comma', "line\nbreak"];
    await append(
      hostile.map((name, k) => ({
        ...generated(5000 + k, 1)[0]!,
        actorName: name,
        reason: name,
        userAgent: name,
        entryId: entryB,
        entryName: name,
        action: "entry.updated",
      })),
    );
    const filter: Filter = { entry: entryB };
    const listed = await allPages(admin, filter);
    const query = `entry=${entryB}`;

    const jsonReply = await get(`/api/v1/audit/export?format=json&${query}`);
    expect(jsonReply.status).toBe(200);
    expect(jsonReply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(jsonReply.headers.get("content-disposition")).toMatch(/^attachment; filename="watchword-audit-[0-9TZ-]+\.json"$/);
    expect(JSON.parse(await jsonReply.text())).toEqual(listed);

    const jsonlReply = await get(`/api/v1/audit/export?format=jsonl&${query}`);
    expect(jsonlReply.headers.get("content-type")).toMatch(/^application\/jsonl/);
    const jsonl = await jsonlReply.text();
    expect(jsonl.endsWith("\n")).toBe(true);
    expect(jsonl.slice(0, -1).split("\n").map((line) => JSON.parse(line) as unknown)).toEqual(listed);

    const csvReply = await get(`/api/v1/audit/export?format=csv&${query}`);
    expect(csvReply.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await csvReply.text());
    expect(header).toEqual(["seq", "id", "at", "actor_type", "actor_id", "actor_name", "action", "outcome", "target_type", "target_id", "target_name", "entry_id", "entry_name", "reason", "ip", "user_agent", "channel", "details"]);
    expect(rows.map((row) => Number(row[0]))).toEqual(listed.map((e) => e.seq));
    const column = (name: string) => header!.indexOf(name);
    for (const [k, row] of rows.entries()) {
      const event = listed[k]!;
      expect(row[column("id")]).toBe(event.id);
      expect(row[column("at")]).toBe(event.at);
      expect(row[column("actor_id")]).toBe(event.actor.id ?? "");
      expect(JSON.parse(row[column("details")]!)).toEqual(event.details);
      const name = event.actor.name;
      const shown = /^[=+\-@\t\r]/.test(name) ? `'${name}` : name;
      for (const cell of ["actor_name", "reason", "user_agent", "entry_name", "target_name"]) {
        const value = cell === "actor_name" ? name : cell === "reason" ? event.reason : cell === "user_agent" ? event.userAgent : event.entry?.name;
        const expectedCell = value === null || value === undefined ? "" : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
        expect(row[column(cell)], `${cell} of ${JSON.stringify(name)}`).toBe(expectedCell);
      }
      expect(shown.startsWith("=") || shown.startsWith("+") || shown.startsWith("-") || shown.startsWith("@")).toBe(false);
    }
    expect(rows.filter((row) => row[column("actor_name")]!.startsWith("'")).length).toBe(6);

    // The default is JSON Lines; an export that matches nothing is still well formed.
    const empty = await get(`/api/v1/audit/export?format=json&actor=nobody-at-all`);
    expect(JSON.parse(await empty.text())).toEqual([]);
    const emptyCsv = parseCsv(await (await get(`/api/v1/audit/export?format=csv&actor=nobody-at-all`)).text());
    expect(emptyCsv).toEqual([header]);
    const byDefault = await get(`/api/v1/audit/export?${query}`);
    expect(byDefault.headers.get("content-type")).toMatch(/^application\/jsonl/);
    // Read to its end: a reply left unread keeps its export (and the server's shutdown) waiting.
    expect((await byDefault.text()).split("\n").filter(Boolean)).toHaveLength(listed.length);

    for (const text of [jsonl, JSON.stringify(listed)]) {
      expect(text).not.toContain(SEED);
      expect(text).not.toContain(RECOVERY);
    }
  });

  it("shows an entry's use to its managers, administrators and auditors, and to nobody else", async () => {
    const mine = await manager.listEntryAuditEvents(entryA, { limit: "200" });
    expect(mine.events.length).toBeGreaterThan(0);
    expect(mine.events.every((event) => event.entry?.id === entryA)).toBe(true);
    expect(mine.events.some((event) => event.action === "code.issued" && event.actor.name === "uli")).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(RECOVERY);
    const asAdmin = await admin.listEntryAuditEvents(entryA, { limit: "200" });
    expect(asAdmin.events.map((e) => e.seq)).toEqual(mine.events.map((e) => e.seq));
    expect((await auditor.listEntryAuditEvents(entryA, { limit: "200" })).events.map((e) => e.seq)).toEqual(mine.events.map((e) => e.seq));
    const filtered = await manager.listEntryAuditEvents(entryA, { action: "code.issued", limit: "5" });
    expect(filtered.events.every((e) => e.action === "code.issued")).toBe(true);

    const useOnly = await rejection(user.listEntryAuditEvents(entryA));
    expect([useOnly.status, useOnly.key]).toEqual([403, "audit_entry_read_forbidden"]);
    const stranger = await rejection(member.listEntryAuditEvents(entryA));
    expect([stranger.status, stranger.key]).toEqual([404, "entry_not_found"]);
    const otherEntry = await rejection(manager.listEntryAuditEvents(entryB));
    expect([otherEntry.status, otherEntry.key]).toEqual([404, "entry_not_found"]);
    expect((await get(`/api/v1/entries/${entryA}/audit-events`, serviceToken)).status).toBe(403);
    expect((await get(`/api/v1/entries/${entryA}/audit-events`, null)).status).toBe(401);
  });

  it("lets administrators and auditors read and export the log, and refuses members, service accounts and strangers", async () => {
    expect((await auditor.listAuditEvents({ limit: "3" })).events).toHaveLength(3);
    const exported = await get("/api/v1/audit/export?format=jsonl&action=entry.updated", auditor.token);
    expect(exported.status).toBe(200);
    expect((await exported.text()).split("\n").filter(Boolean).length).toBeGreaterThan(0);
    for (const client of [member, manager, user]) {
      const refused = await rejection(client.listAuditEvents());
      expect([refused.status, refused.key]).toEqual([403, "audit_read_forbidden"]);
      const exported = await get("/api/v1/audit/export?format=csv", client.token);
      expect(exported.status).toBe(403);
      expect(((await exported.json()) as { key: string }).key).toBe("audit_read_forbidden");
    }
    for (const path of ["/api/v1/audit/events", "/api/v1/audit/export"]) {
      const bot = await get(path, serviceToken);
      expect(bot.status).toBe(403);
      expect(((await bot.json()) as { key: string }).key).toBe("service_account_forbidden");
      expect((await get(path, null)).status).toBe(401);
    }
  });

  it("refuses hostile cursors, times, limits and filters with a catalogue key, and changes nothing", async () => {
    const before = await headSeq();
    const cursorOf = (text: string) => Buffer.from(text).toString("base64url");
    const cases: [string, string][] = [
      ["cursor=abc", "audit_cursor_invalid"],
      [`cursor=${cursorOf("seq:0")}`, "audit_cursor_invalid"],
      [`cursor=${cursorOf("seq:-5")}`, "audit_cursor_invalid"],
      [`cursor=${cursorOf("seq:1e3")}`, "audit_cursor_invalid"],
      [`cursor=${cursorOf("seq:012")}`, "audit_cursor_invalid"],
      [`cursor=${cursorOf("seq:99999999999999999")}`, "audit_cursor_invalid"],
      [`cursor=${cursorOf("seq:5")}=`, "audit_cursor_invalid"],
      [`cursor=${cursorOf("seq:5'; drop table audit_events; --")}`, "audit_cursor_invalid"],
      ["cursor=%00%00", "text_nul_character"],
      ["cursor=../../etc/passwd", "audit_cursor_invalid"],
      [`cursor=${"A".repeat(65)}`, "field_too_long"],
      ["cursor=", "field_too_short"],
      ["limit=0", "audit_limit_out_of_range"],
      ["limit=201", "audit_limit_out_of_range"],
      ["limit=99999", "field_pattern_mismatch"],
      ["limit=-1", "field_pattern_mismatch"],
      ["limit=1.5", "field_pattern_mismatch"],
      ["since=yesterday", "field_wrong_format"],
      ["since=2026-12-01", "field_wrong_format"],
      ["until=2026-13-01T00:00:00Z", "field_wrong_format"],
      ["since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "audit_time_range_empty"],
      ["since=2026-12-01T00:00:00Z&until=2026-12-01T00:00:00Z", "audit_time_range_empty"],
      ["outcome=maybe", "field_not_allowed"],
      ["channel=carrier-pigeon", "field_not_allowed"],
      ["action=x%27%3B%20drop%20table%20audit_events", "field_pattern_mismatch"],
      ["entry=not-a-uuid", "field_wrong_format"],
      ["folder=1%20or%201%3D1", "field_wrong_format"],
      [`actor=${"a".repeat(201)}`, "field_too_long"],
      ["actor=a&actor=b", "field_wrong_type"],
      ["unknown=1", "field_not_expected"],
      ["format=csv", "field_not_expected"],
    ];
    for (const [query, key] of cases) {
      const reply = await get(`/api/v1/audit/events?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.headers.get("content-type"), query).toMatch(/^application\/problem\+json/);
      expect(((await reply.json()) as { key: string }).key, query).toBe(key);
    }
    for (const query of ["format=xml", "format=csv&cursor=abc", "format=json&limit=5", "format=csv&since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z"]) {
      const reply = await get(`/api/v1/audit/export?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.headers.get("content-type"), query).toMatch(/^application\/problem\+json/);
    }
    expect((await get(`/api/v1/entries/${entryA}/audit-events?cursor=abc`, manager.token)).status).toBe(400);
    expect((await get(`/api/v1/entries/${entryA}/audit-events?actor=x`, manager.token)).status).toBe(400);
    expect(await headSeq()).toBe(before);
    for (const line of server.logs) expect(line).not.toContain(SEED);
  });

  it("streams an export of 80,000 events through a bounded amount of memory, held back by a reader that pauses", async () => {
    const padding = "x".repeat(900);
    const total = 80_000;
    // About 1.3 KB an event: over 100 MB of JSON Lines, more than twice what the test lets the process keep.
    for (let written = 0; written < total; written += 5000) {
      await append(generated(100_000 + written, 5000, (n) => ({ action: "bulk.event", details: JSON.stringify({ n, padding }) })));
    }
    // PostgreSQL plans by its statistics, which autovacuum refreshes within a minute of a burst
    // like this one; until then it thinks few rows match and gathers and sorts them all for each
    // page. Refreshed here at once, as autovacuum would.
    if (kind === "postgres") await withRawDatabase(db, (raw) => sql`analyze audit_events`.execute(raw));
    // What the process holds alive, after a full collection: garbage a collection would free is no
    // part of what an export keeps. RSS is watched too, more loosely (V8 collects when it likes).
    v8.setFlagsFromString("--expose-gc");
    const collect = vm.runInNewContext("gc") as () => void;
    const live = () => {
      collect();
      return process.memoryUsage().heapUsed;
    };
    const rss = () => process.memoryUsage().rss;
    const baseline = rss();
    const liveBaseline = live();
    let peak = baseline;
    let livePeak = liveBaseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss());
      livePeak = Math.max(livePeak, live());
    }, 250);
    const url = new URL(`${server.url}/api/v1/audit/export?format=jsonl&action=bulk.event`);
    let lines = 0;
    let bytes = 0;
    let pausedGrowth = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const request = http.get(url, { agent: false, headers: { authorization: `Bearer ${admin.token}` } }, (incoming) => {
          expect(incoming.statusCode).toBe(200);
          let isPaused = false;
          incoming.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
            for (const byte of chunk) if (byte === 10) lines += 1;
            if (!isPaused && bytes > 1_000_000) {
              // Stop reading for a while: the server must wait, not read the rest of the log into memory.
              isPaused = true;
              incoming.pause();
              const before = rss();
              setTimeout(() => {
                pausedGrowth = rss() - before;
                incoming.resume();
              }, 1500);
            }
          });
          incoming.on("end", resolve);
          incoming.on("error", reject);
        });
        request.on("error", reject);
      });
    } finally {
      clearInterval(sampler);
    }
    expect(lines).toBe(total);
    expect(bytes).toBeGreaterThan(total * 900);
    const report = `${Math.round(bytes / 1e6)} MB exported: live heap +${Math.round((livePeak - liveBaseline) / 1e6)} MB, RSS +${Math.round((peak - baseline) / 1e6)} MB, +${Math.round(pausedGrowth / 1e6)} MB while paused`;
    // Holding the export (over 100 MB of text) or its rows would keep far more than this alive.
    expect(livePeak - liveBaseline, report).toBeLessThan(40 * 1024 * 1024);
    expect(peak - baseline, report).toBeLessThan(bytes);
    expect(pausedGrowth).toBeLessThan(40 * 1024 * 1024);
  }, 240_000);
});
