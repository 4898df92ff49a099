// A real Watchword server for the benchmarks: a fresh data directory with one administrator, the
// compiled app (dist/node) served from a child process, a bearer token, one TOTP entry named
// "Bench" and as many more as asked for. The server logs at the level asked for (the default
// level, info, unless told otherwise) into a file in its data directory, as `serve > file` would.

import { closeSync, mkdtempSync, openSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServerProcess } from "./server-process.mjs";

export const BENCH_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PASSWORD = "quiet-harbour-lantern-5521";

/**
 * @param {{ extraEntries?: number, logLevel?: string, isIdle?: boolean }} [options]
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
  const vault = await openVault({ config: loadServerConfig({ dataDir }, {}) });
  await insertNewUser(vault.store.users, { username: "bench", role: "admin", password: Secret.fromUtf8(PASSWORD) }, Date.now());
  await vault.close();

  const logFile = join(dataDir, "server.log");
  const logFd = openSync(logFile, "a");
  const server = await startServerProcess(new URL("../servers/watchword.mjs", import.meta.url), {
    stdout: logFd,
    env: { BENCH_DATA_DIR: dataDir, BENCH_LOG_LEVEL: options.logLevel ?? "info" },
  }).finally(() => closeSync(logFd));
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
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
