// The authenticated code endpoint against the bare Fastify route, and "My entries"' batch of
// 1,000 codes. Each code is a real one: bearer-token session looked up, seed unsealed (AES-256-GCM),
// TOTP computed, and its audit event durably committed (WAL, synchronous=FULL) before the reply;
// concurrent requests share a commit (group commit). Needs `npm run build` first.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServerProcess } from "./support/server-process.mjs";
import { runLoadRound } from "./support/http-load.mjs";
import { summarize } from "./support/stats.mjs";

const durationSeconds = 3;
const batchSize = 1000;
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PASSWORD = "quiet-harbour-lantern-5521";

/**
 * A data directory with one administrator, a server process on it, a bearer token, one TOTP
 * entry and `extraEntries` more.
 * @param {number} extraEntries
 */
async function startWatchword(extraEntries) {
  const { loadServerConfig } = await import("../dist/node/config.js");
  const { openVault } = await import("../dist/node/services/vault.js");
  const { insertNewUser } = await import("../dist/node/services/accounts.js");
  const { Secret } = await import("../dist/node/core/secret.js");
  const { createClient } = await import("../dist/node/client/client.js");
  const dataDir = mkdtempSync(join(tmpdir(), "watchword-bench-"));
  const vault = await openVault({ config: loadServerConfig({ dataDir }, {}) });
  await insertNewUser(vault.store.users, { username: "bench", role: "admin", password: Secret.fromUtf8(PASSWORD) }, Date.now());
  await vault.close();

  process.env.BENCH_DATA_DIR = dataDir;
  const server = await startServerProcess(new URL("./servers/watchword.mjs", import.meta.url));
  const signIn = await createClient({ baseUrl: server.origin }).signIn({ username: "bench", password: PASSWORD, client: "cli" });
  const client = createClient({ baseUrl: server.origin, token: signIn.token });
  const { entry } = await client.createEntry({ name: "Bench", seed: { secret: SEED } });
  if (extraEntries > 0) {
    const lines = Array.from({ length: extraEntries }, (_, i) => `otpauth://totp/Bulk:user${i}?secret=${SEED}&issuer=Bulk`);
    const preview = await client.createImport({ data: Buffer.from(lines.join("\n")).toString("base64"), format: "uris" });
    await client.confirmImport(preview.importId);
  }
  return {
    origin: server.origin,
    token: /** @type {string} */ (signIn.token),
    entryId: entry.id,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startWatchword>>} Watchword */

/** @type {import("./run.mjs").Bench<Watchword>[]} */
export default [
  ...[10, 64].map(
    /** @returns {import("./run.mjs").Bench<Watchword>} */
    (connections) => ({
      name: connections === 10 ? "http.code" : `http.code@${connections}`,
      title: `GET /api/v1/entries/:id/code (bearer token, durable audit event), SQLite, ${connections} connections, ${durationSeconds} s rounds`,
      unit: "req/s",
      extras: { p99: "ms" },
      baseline: connections === 10 ? "http.bare" : `http.bare@${connections}`,
      rounds: 5,
      warmup: 1,
      setup: () => startWatchword(0),
      run: (w) => runLoadRound(`${w.origin}/api/v1/entries/${w.entryId}/code`, { connections, durationSeconds, headers: { authorization: `Bearer ${w.token}` } }),
      teardown: (w) => w.stop(),
    }),
  ),
  {
    name: "codes.batch1000",
    title: `GET /api/v1/codes for ${batchSize} TOTP entries (each code audited), one request at a time, median of 15 per round`,
    unit: "ms",
    rounds: 5,
    warmup: 1,
    setup: () => startWatchword(batchSize - 1),
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
