// The real Watchword app (compiled, from dist/node) on the data directory the parent prepared
// (BENCH_DATA_DIR): SQLite by default, PostgreSQL when BENCH_DATABASE_URL is set. It logs at
// BENCH_LOG_LEVEL (info, the default level of `watchword serve`, unless the bench says otherwise)
// to its standard output, which the parent points at a file.

import { loadServerConfig } from "../../dist/node/config.js";
import { systemClock } from "../../dist/node/core/clock.js";
import { buildApp as buildWatchword } from "../../dist/node/server/app.js";
import { openVault } from "../../dist/node/services/vault.js";

export async function buildApp() {
  const dataDir = process.env.BENCH_DATA_DIR;
  if (dataDir === undefined) throw new Error("BENCH_DATA_DIR is not set");
  const env = {
    WATCHWORD_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  };
  const config = loadServerConfig({ dataDir, port: 0 }, env);
  const vault = await openVault({ config, backgroundCheckpoints: true });
  const app = await buildWatchword({ config, store: vault.store, keyring: vault.keyring, clock: systemClock });
  app.addHook("onClose", () => vault.close());
  return app;
}
