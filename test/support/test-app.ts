// A real Watchword server for integration tests: real store (SQLite file or PostgreSQL schema),
// real keyring, listening on an ephemeral port, with its log lines captured for leak checks.
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { loadServerConfig } from "../../src/config.js";
import { systemClock, type Clock } from "../../src/core/clock.js";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { buildApp } from "../../src/server/app.js";
import { createImportPool, type ImportPoolStats } from "../../src/services/import-pool.js";
import type { DeliveryTiming } from "../../src/services/alert-delivery.js";
import { createSetupService } from "../../src/services/setup.js";
import { openVault, type Vault } from "../../src/services/vault.js";
import { registerServerClock, signInWithAuthenticator } from "./admin-authenticator.js";
import { createCookieFetch, type CookieFetch } from "./cookie-fetch.js";
import type { TestDatabase } from "./databases.js";

export interface TestApp {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly vault: Vault;
  /** Every log line the server wrote. */
  readonly logs: string[];
  /** A fresh client with its own cookie jar (a new "browser"). */
  newClient(options?: { token?: string; headers?: Record<string, string> }): WatchwordClient & { jar: CookieFetch };
  /** Import jobs this node is running and holding in its queue. */
  importStats(): ImportPoolStats;
  /** A new setup token, as `watchword serve` would print it. */
  createSetupToken(): Promise<string>;
  close(): Promise<void>;
}

const IMPORT_WORKER_FROM_SOURCES = new URL("./import-worker.mjs", import.meta.url).href;

export interface TestAppOptions {
  readonly masterKey?: string;
  readonly clock?: Clock;
  /** Bounds of the import worker pool (by default sized from the machine, as in production). */
  readonly imports?: { readonly maxRunning?: number; readonly maxWaiting?: number };
  /** More WATCHWORD_* settings, as the environment would give them (SMTP, the public address). */
  readonly env?: Readonly<Record<string, string>>;
  /** How alert deliveries are polled and retried (shorter waits than in production). */
  readonly alertDelivery?: Partial<DeliveryTiming>;
  /** The wait before the first automatic archive run, with WATCHWORD_AUDIT_RETENTION set (a minute in production). */
  readonly auditRetentionFirstRunMs?: number;
  /** The port to listen on (a test that must know the address before the server starts); a free one by default. */
  readonly port?: number;
  /** Let Web Push subscriptions point at an http receiver on loopback (push-approval tests). */
  readonly allowHttpPushEndpoints?: boolean;
}

export async function startTestApp(db: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadServerConfig(
    { dataDir: db.dataDir, databaseUrl: db.databaseUrl, host: "127.0.0.1", port: 0 },
    { WATCHWORD_LOG_LEVEL: "info", ...options.env, ...(options.masterKey === undefined ? {} : { WATCHWORD_MASTER_KEY: options.masterKey }) },
  );
  const clock = options.clock ?? systemClock;
  const vault = await openVault({ config, clock, backgroundCheckpoints: true, ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const importPool = createImportPool({ memoryBudgetBytes: config.importMemoryMb * 1024 * 1024, workerModule: IMPORT_WORKER_FROM_SOURCES, ...options.imports });
  const app = await buildApp({ config, store: vault.store, keyring: vault.keyring, clock, logStream, importPool, ...(options.alertDelivery === undefined ? {} : { alertDelivery: options.alertDelivery }),
    ...(options.auditRetentionFirstRunMs === undefined ? {} : { auditRetentionFirstRunMs: options.auditRetentionFirstRunMs }),
    ...(options.allowHttpPushEndpoints === true ? { allowHttpPushEndpoints: true } : {}),
  });
  await app.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  // Test authenticators compute their codes from this server's clock (admin-authenticator.ts).
  registerServerClock(url, clock);
  const setup = createSetupService({ repositories: vault.store, transaction: (work) => vault.store.transaction(work), clock });
  return {
    url,
    app,
    vault,
    logs,
    newClient(clientOptions = {}) {
      const jar = createCookieFetch(clientOptions.headers);
      const client = createClient({ baseUrl: url, fetch: jar.fetch, ...(clientOptions.token === undefined ? {} : { token: clientOptions.token }) });
      return Object.assign(client, { jar });
    },
    importStats: () => importPool.stats(),
    async createSetupToken() {
      const token = await setup.createSetupTokenIfNeeded();
      if (token === undefined) throw new Error("An administrator exists already.");
      return token;
    },
    async close() {
      await app.close();
      await vault.close();
    },
  };
}

/**
 * Adds a user directly in the store and returns a client signed in as them, with its bearer token.
 * An administrator signed in once others exist gets a test authenticator (admin-authenticator.ts).
 */
export async function signedInClient(server: TestApp, username: string, role: "admin" | "member" | "auditor" = "admin") {
  const { insertNewUser } = await import("../../src/services/accounts.js");
  const { Secret } = await import("../../src/core/secret.js");
  const password = "plum-orbit-lantern-4417";
  if ((await server.vault.store.users.findUserByUsername(username)) === undefined) {
    await insertNewUser(server.vault.store.users, { username, role, password: Secret.fromUtf8(password) }, Date.now());
  }
  const reply = await signInWithAuthenticator(server.url, server.newClient(), { username, password, client: "cli" });
  return Object.assign(server.newClient({ token: reply.token! }), { token: reply.token! });
}
