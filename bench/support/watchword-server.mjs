// A real Watchword server for the benchmarks: a fresh data directory with one administrator, the
// compiled app (dist/node) served from a child process, a bearer token, one TOTP entry named
// "Bench" and as many more as asked for. The server logs at the level asked for (the default
// level, info, unless told otherwise) into a file in its data directory, as `serve > file` would.
// With `postgres: true` the vault lives in a fresh schema of TEST_DATABASE_URL's database (dropped
// at stop) instead of a SQLite file; the data directory still holds what a node keeps outside.

import { closeSync, mkdtempSync, openSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServerProcess } from "./server-process.mjs";

export const BENCH_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PASSWORD = "quiet-harbour-lantern-5521";

export const BENCH_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://127.0.0.1:5432/test";
let schemas = 0;

/**
 * A new, empty schema for one server; resolves with the URL that selects it (the URL's own
 * options, which the server keeps) and a function that drops it.
 * @returns {Promise<{ url: string, drop: () => Promise<void> }>}
 */
export async function createBenchSchema(prefix = "bench_node") {
  const { default: pg } = await import("pg");
  const { withDefaultUser } = await import("../../dist/node/store/postgres-connection.js");
  const base = withDefaultUser(BENCH_DATABASE_URL);
  const schema = `${prefix}_${process.pid}_${(schemas += 1)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/**
 * @param {{ extraEntries?: number, logLevel?: string, isIdle?: boolean, postgres?: boolean }} [options]
 *   isIdle: start the server and send it nothing (no sign-in, no entry), to read its idle memory
 */
export async function startWatchword(options = {}) {
  const extraEntries = options.extraEntries ?? 0;
  const { loadServerConfig } = await import("../../dist/node/config.js");
  const { openVault } = await import("../../dist/node/services/vault.js");
  const { insertNewUser } = await import("../../dist/node/services/accounts.js");
  const { Secret } = await import("../../dist/node/core/secret.js");
  const { createClient } = await import("../../dist/node/client/client.js");
  const dataDir = mkdtempSync(join(tmpdir(), "watchword-bench-"));
  const schema = options.postgres === true ? await createBenchSchema() : undefined;
  const vault = await openVault({ config: loadServerConfig(schema === undefined ? { dataDir } : { dataDir, databaseUrl: schema.url }, {}) });
  await insertNewUser(vault.store.users, { username: "bench", role: "admin", password: Secret.fromUtf8(PASSWORD) }, Date.now());
  await vault.close();

  const logFile = join(dataDir, "server.log");
  const logFd = openSync(logFile, "a");
  const server = await startServerProcess(new URL("../servers/watchword.mjs", import.meta.url), {
    stdout: logFd,
    env: { BENCH_DATA_DIR: dataDir, BENCH_LOG_LEVEL: options.logLevel ?? "info", ...(schema === undefined ? {} : { BENCH_DATABASE_URL: schema.url }) },
  }).finally(() => closeSync(logFd));
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await schema?.drop();
  };
  if (options.isIdle === true) return { origin: server.origin, pid: server.pid, token: "", entryId: "", logBytes: () => statSync(logFile).size, stop };
  const signIn = await createClient({ baseUrl: server.origin }).signIn({ username: "bench", password: PASSWORD, client: "cli" });
  const client = createClient({ baseUrl: server.origin, token: signIn.token });
  const { entry } = await client.createEntry({ name: "Bench", seed: { secret: BENCH_SEED } });
  if (extraEntries > 0) {
    const lines = Array.from({ length: extraEntries }, (_, i) => `otpauth://totp/Bulk:user${i}?secret=${BENCH_SEED}&issuer=Bulk`);
    const preview = await client.createImport({ data: Buffer.from(lines.join("\n")).toString("base64"), format: "uris" });
    await client.confirmImport(preview.importId);
  }
  return {
    origin: server.origin,
    pid: server.pid,
    token: /** @type {string} */ (signIn.token),
    entryId: entry.id,
    /** Bytes the server has logged so far. */
    logBytes: () => statSync(logFile).size,
    stop,
  };
}

/** @typedef {Awaited<ReturnType<typeof startWatchword>>} Watchword */
