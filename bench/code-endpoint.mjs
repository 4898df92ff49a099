// The authenticated code endpoint against the bare Fastify route, /healthz, "My entries"' batch
// of 1,000 codes, and the server's idle memory. Each code is a real one: bearer-token session
// looked up, seed unsealed (AES-256-GCM), TOTP computed, and its audit event durably committed
// (WAL, synchronous=FULL) before the reply; concurrent requests share a commit (group commit).
// The server logs at its default level (info) to a file unless a bench says "silent".
// Each load round also reports the server's CPU µs per request (from /proc) and its memory after
// the round. Needs `npm run build` first.

import { idleSettleMs } from "./baselines/http-bare.mjs";
import { runLoadRound } from "./support/http-load.mjs";
import { residentMegabytes } from "./support/process-stats.mjs";
import { summarize } from "./support/stats.mjs";
import { startWatchword } from "./support/watchword-server.mjs";

const durationSeconds = 3;
const batchSize = 1000;

/** @typedef {import("./support/watchword-server.mjs").Watchword} Watchword */

/**
 * One load bench against a Watchword route, quoted against the bare route at as many connections.
 * @param {{ name: string, title: string, connections: number, logLevel: string, path: (w: Watchword) => string, isAuthenticated: boolean, postgres?: boolean, seconds?: number }} spec
 * @returns {import("./run.mjs").Bench<Watchword>}
 */
const loadBench = (spec) => ({
  name: spec.name,
  title: `${spec.title}, log level ${spec.logLevel}, ${spec.connections} connections, ${spec.seconds ?? durationSeconds} s rounds`,
  unit: "req/s",
  extras: { p99: "ms", cpuUs: "µs/req", rss: "MB" },
  baseline: spec.connections === 10 ? "http.bare" : `http.bare@${spec.connections}`,
  rounds: 5,
  warmup: 1,
  async setup() {
    const w = await startWatchword({ logLevel: spec.logLevel, postgres: spec.postgres === true });
    // A few requests one at a time first: a PostgreSQL node opens its pool's connections on demand,
    // and 64 cold requests at once on a busy machine can outlast a whole round before the first answer.
    if (spec.postgres === true) {
      const headers = spec.isAuthenticated ? { authorization: `Bearer ${w.token}` } : {};
      for (let i = 0; i < 20; i += 1) await (await fetch(`${w.origin}${spec.path(w)}`, { headers })).arrayBuffer();
    }
    return w;
  },
  run: async (w) => ({
    ...(await runLoadRound(`${w.origin}${spec.path(w)}`, {
      connections: spec.connections,
      durationSeconds: spec.seconds ?? durationSeconds,
      serverPid: w.pid,
      ...(spec.isAuthenticated ? { headers: { authorization: `Bearer ${w.token}` } } : {}),
    })),
    rss: residentMegabytes(w.pid),
  }),
  teardown: (w) => w.stop(),
});

const CODE_TITLE = "GET /api/v1/entries/:id/code (bearer token, durable audit event), SQLite";
const PG_CODE_TITLE = "GET /api/v1/entries/:id/code (bearer token, audit event group-committed), PostgreSQL (TEST_DATABASE_URL), one node";
const codePath = (/** @type {Watchword} */ w) => `/api/v1/entries/${w.entryId}/code`;

/** @type {import("./run.mjs").Bench<any>[]} */
export default [
  // Targets (issue 7): at 10 connections p99 ≤ 5 ms; at 64, ≥ 0.4 × http.bare@64 and p99 ≤ 20 ms.
  loadBench({ name: "http.code", title: CODE_TITLE, connections: 10, logLevel: "info", path: codePath, isAuthenticated: true }),
  loadBench({ name: "http.code@64", title: CODE_TITLE, connections: 64, logLevel: "info", path: codePath, isAuthenticated: true }),
  // The same with logging off: the difference is what the request log costs.
  loadBench({ name: "http.code.silent@64", title: CODE_TITLE, connections: 64, logLevel: "silent", path: codePath, isAuthenticated: true }),
  // Target (issue 11): on PostgreSQL, one node, ≥ 0.25 × http.bare@64.
  loadBench({ name: "http.code.postgres@64", title: PG_CODE_TITLE, connections: 64, logLevel: "info", path: codePath, isAuthenticated: true, postgres: true, seconds: 6 }),
  loadBench({ name: "http.healthz@64", title: "GET /healthz (what a load balancer polls)", connections: 64, logLevel: "info", path: () => "/healthz", isAuthenticated: false }),
  {
    name: "rss.watchword",
    title: "resident memory of the Watchword server, idle after start, before any request (a fresh process each round)",
    unit: "MB",
    baseline: "rss.bare",
    rounds: 3,
    warmup: 0,
    async run() {
      const w = await startWatchword({ isIdle: true });
      try {
        await new Promise((resolve) => setTimeout(resolve, idleSettleMs));
        return residentMegabytes(w.pid);
      } finally {
        await w.stop();
      }
    },
  },
  {
    name: "codes.batch1000",
    title: `GET /api/v1/codes for ${batchSize} TOTP entries (each code audited), one request at a time, median of 15 per round`,
    unit: "ms",
    rounds: 5,
    warmup: 1,
    setup: () => startWatchword({ extraEntries: batchSize - 1 }),
    async run(w) {
      /** @type {number[]} */
      const times = [];
      for (let i = 0; i < 15; i += 1) {
        const started = performance.now();
        const reply = await fetch(`${w.origin}/api/v1/codes`, { headers: { authorization: `Bearer ${w.token}` } });
        const body = /** @type {{ codes: unknown[] }} */ (await reply.json());
        times.push(performance.now() - started);
        if (body.codes.length !== batchSize) throw new Error(`expected ${batchSize} codes, got ${body.codes.length}`);
      }
      return summarize(times).median;
    },
    teardown: (w) => w.stop(),
  },
];
