// /metrics as Prometheus scrapes it, over real HTTP on both databases: the exposition text parsed,
// values that move with real requests, a token compared as a scraper sends it, labels that never
// carry an entry's name, a seed, a code or a URL someone typed.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { loadServerConfig } from "../../src/config.js";
import { isWatchwordError } from "../../src/core/errors.js";
import { carriesMetricsToken } from "../../src/server/metrics-endpoint.js";
import { startServer, type RunningServer } from "../../src/server/run.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const TOKEN = "metrics-token-7d1f0c9a2b4e6f8a1c3e5d7b9f0a2c4e";
const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PLANTED_NAME = "Planted-Payroll-Entry-93417";
const PLANTED_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** Sample lines of the text format: `name{a="b",c="d"} value` → one key per series. */
function parseExposition(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`Not a sample line: ${line}`);
    series.set(`${match[1]}${match[2] ?? ""}`, Number(match[3]));
  }
  return series;
}

/** The sum of every series of `name` whose labels include all of `labels`. */
function total(series: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of series) {
    if (!key.startsWith(`${name}{`) && key !== name) continue;
    if (Object.entries(labels).every(([label, wanted]) => key.includes(`${label}="${wanted}"`))) sum += value;
  }
  return sum;
}

/** A port nothing listens on: a SIEM destination there never takes its events. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 9;
}

describe.each(databaseKinds)("/metrics behind a token on the main listener, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient & { token: string };
  const scrapes: string[] = [];

  const scrape = async (): Promise<Map<string, number>> => {
    const reply = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await reply.text();
    scrapes.push(text);
    return parseExposition(text);
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, {
      env: {
        WATCHWORD_METRICS_TOKEN: TOKEN,
        WATCHWORD_SIEM_DOWN_URL: `syslog+tcp://127.0.0.1:${await closedPort()}`,
        WATCHWORD_OUTBOX_POLL_MS: "100",
        WATCHWORD_OUTBOX_RETRY_MAX_SECONDS: "30",
      },
    });
    admin = await signedInClient(server, "ada", "admin");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("refuses a scrape without the token, with a wrong one, or with a person's own bearer token", async () => {
    const attempts: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
      { authorization: `Bearer ${TOKEN}${TOKEN}` },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` },
      { authorization: TOKEN },
      { authorization: `Bearer ${admin.token}` },
      { authorization: `Bearer ${"A".repeat(8000)}` },
    ];
    for (const headers of attempts) {
      const reply = await fetch(`${server.url}/metrics`, headers === undefined ? {} : { headers });
      expect(reply.status).toBe(401);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = (await reply.json()) as { key: string; detail: string };
      expect(body.key).toBe("metrics_token_invalid");
      expect(body.detail).not.toContain(TOKEN);
    }
    // The refusals are logged, never with the token that was tried.
    expect(server.logs.join("")).toContain("metrics scrape refused");
    expect(server.logs.join("")).not.toContain(TOKEN);
  });

  it("counts codes by type and channel, audit group commits, and replies by route template and status", async () => {
    const before = await scrape();
    const totp = await admin.createEntry({ name: PLANTED_NAME, seed: { secret: PLANTED_SEED } });
    const hotp = await admin.createEntry({ name: `${PLANTED_NAME}-hotp`, seed: { uri: `otpauth://hotp/X?secret=${SEED_B32}&counter=0` } });
    const codes: string[] = [];
    for (let i = 0; i < 3; i += 1) codes.push((await admin.getCode(totp.entry.id)).code);
    for (let i = 0; i < 2; i += 1) codes.push((await admin.takeCode(hotp.entry.id)).code);
    // A 404 for an entry id that does not exist, and a path no route has, with a secret in it.
    expect((await fetch(`${server.url}/api/v1/entries/00000000-0000-4000-8000-000000000000/code`, { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/no-such-route/${PLANTED_SEED}`, { headers: { accept: "application/json" } })).status).toBe(404);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
    expect(delta("watchword_codes_issued_total", { type: "totp" })).toBe(3);
    expect(delta("watchword_codes_issued_total", { type: "hotp" })).toBe(2);
    for (const key of after.keys()) {
      if (key.startsWith("watchword_codes_issued_total")) expect(key).toMatch(/^watchword_codes_issued_total\{type="(totp|hotp|steam|other)",channel="(ui|api|cli|other)"\}$/);
    }
    // Every code and each entry's creation committed an audit batch.
    expect(delta("watchword_audit_commit_seconds_count", { result: "committed" })).toBeGreaterThanOrEqual(5);
    expect(delta("watchword_audit_batch_size_count")).toBeGreaterThanOrEqual(5);
    expect(delta("watchword_audit_events_total")).toBeGreaterThanOrEqual(7);
    const codeRoute = { method: "GET", route: "/api/v1/entries/:id/code" };
    expect(delta("watchword_http_request_duration_seconds_count", { ...codeRoute, status: "200" })).toBe(3);
    expect(delta("watchword_http_request_duration_seconds_count", { method: "POST", route: "/api/v1/entries/:id/code", status: "200" })).toBe(2);
    expect(delta("watchword_http_request_duration_seconds_count", { ...codeRoute, status: "404" })).toBe(1);
    expect(delta("watchword_http_request_duration_seconds_count", { route: "(unmatched)", status: "404" })).toBeGreaterThanOrEqual(1);
    // The first scrape itself is counted, under its template.
    expect(total(after, "watchword_http_request_duration_seconds_count", { route: "/metrics", status: "200" })).toBeGreaterThanOrEqual(1);

    const text = scrapes.join("\n");
    for (const secret of [PLANTED_NAME, PLANTED_SEED, SEED_B32, totp.entry.id, hotp.entry.id, admin.token, TOKEN, "ada", "no-such-route", ...codes]) {
      expect(text, `the metrics contain ${secret.slice(0, 12)}…`).not.toContain(secret);
    }
  });

  it("reports the database pool and the process", async () => {
    const series = await scrape();
    const pool = (state: string) => total(series, "watchword_database_pool_connections", { state });
    if (kind === "sqlite") {
      expect([pool("total"), pool("max")]).toEqual([1, 1]);
    } else {
      expect(pool("max")).toBe(10);
      expect(pool("total")).toBeGreaterThanOrEqual(1);
      expect(pool("idle")).toBeLessThanOrEqual(pool("total"));
    }
    expect(series.get("watchword_database_pool_waiting")).toBe(0);
    expect(series.get("watchword_process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(series.has("watchword_nodejs_eventloop_lag_seconds")).toBe(true);
  });

  it("shows the outbox backlog of a destination that takes nothing growing with each event", async () => {
    const entry = await admin.createEntry({ name: "Backlog", seed: { secret: SEED_B32 } });
    const before = total(await scrape(), "watchword_outbox_backlog", { destination: "siem:down" });
    for (let i = 0; i < 4; i += 1) await admin.getCode(entry.entry.id);
    const after = await scrape();
    expect(total(after, "watchword_outbox_backlog", { destination: "siem:down" }) - before).toBeGreaterThanOrEqual(4);
    expect(after.has('watchword_outbox_backlog{destination="alerts"}')).toBe(true);
  });
});

describe("/metrics on a listener of its own", () => {
  let db: TestDatabase;
  let server: RunningServer;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    const config = loadServerConfig(
      { dataDir: db.dataDir, host: "127.0.0.1", port: 0 },
      { WATCHWORD_LOG_LEVEL: "warn", WATCHWORD_METRICS_LISTEN: "127.0.0.1:0", WATCHWORD_METRICS_TOKEN: TOKEN },
    );
    server = await startServer({ config, say: (line) => lines.push(line), logStream: { write: () => true } as unknown as NodeJS.WritableStream });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it("serves the metrics there, asks for the token set, and leaves the main listener without them", async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(lines).toContain(`Metrics are served at ${server.metricsUrl}.`);
    const url = server.metricsUrl!;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const reply = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(reply.status).toBe(200);
    const series = parseExposition(await reply.text());
    expect(series.get("watchword_database_pool_waiting")).toBe(0);
    // Other paths and methods: a problem, never the metrics.
    const other = await fetch(url.replace("/metrics", "/metrics-and-more"), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { key: string }).key).toBe("route_not_found");
    expect((await fetch(url, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    // The main listener has no /metrics route when the metrics have a listener of their own.
    const main = await fetch(`${server.url}/metrics`, { headers: { accept: "application/json" } });
    expect(main.status).toBe(404);
    // A request to the main listener shows up in the separate listener's metrics.
    await fetch(`${server.url}/healthz`);
    const again = parseExposition(await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).text());
    expect(total(again, "watchword_http_request_duration_seconds_count", { route: "/healthz", status: "200" })).toBe(1);
  });
});

describe("metrics when nothing asks for them", () => {
  let db: TestDatabase;
  let server: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("serves no /metrics by default", async () => {
    expect(server.app.metrics).toBeUndefined();
    const reply = await fetch(`${server.url}/metrics`, { headers: { accept: "application/json" } });
    expect(reply.status).toBe(404);
    expect(await reply.text()).not.toContain("watchword_");
  });
});

describe("metrics configuration", () => {
  const keyOf = (env: Record<string, string>): string | undefined => {
    try {
      loadServerConfig({}, env);
      return undefined;
    } catch (error) {
      return isWatchwordError(error) ? error.problemText?.key : String(error);
    }
  };

  it("refuses a short or spaced token and an address without a host or port, never repeating the token", () => {
    expect(keyOf({ WATCHWORD_METRICS_TOKEN: "short" })).toBe("config_metrics_token_weak");
    expect(keyOf({ WATCHWORD_METRICS_TOKEN: `${TOKEN} ${TOKEN}` })).toBe("config_metrics_token_weak");
    expect(keyOf({ WATCHWORD_METRICS_TOKEN: "x".repeat(600) })).toBe("config_metrics_token_weak");
    for (const listen of [":9464", "9464", "127.0.0.1", "127.0.0.1:99999", "a:b:1", "[::1]9464", "host:port"]) {
      expect(keyOf({ WATCHWORD_METRICS_LISTEN: listen }), listen).toBe("config_listen_invalid");
    }
    expect(loadServerConfig({}, { WATCHWORD_METRICS_LISTEN: "[::1]:9464" }).metrics).toEqual({ listen: { host: "::1", port: 9464 }, token: undefined });
    expect(loadServerConfig({}, {}).metrics).toBeUndefined();
    try {
      loadServerConfig({}, { WATCHWORD_METRICS_TOKEN: "short-secret" });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("short-secret");
    }
  });

  it("compares the token whatever the header's shape", () => {
    expect(carriesMetricsToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(carriesMetricsToken(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(carriesMetricsToken([`Bearer ${TOKEN}`], TOKEN)).toBe(true);
    for (const header of [undefined, "", "Bearer", "Bearer ", `Bearer ${TOKEN} extra`, `Token ${TOKEN}`, `Bearer ${TOKEN.toUpperCase()}`, `Bearer ${"x".repeat(5000)}`]) {
      expect(carriesMetricsToken(header, TOKEN), String(header).slice(0, 20)).toBe(false);
    }
  });
});
