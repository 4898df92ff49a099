// Runs the server until SIGINT or SIGTERM: opens the vault, listens, prints the setup link while
// no administrator exists, and on a signal stops accepting, lets in-flight requests finish, closes.
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import { systemClock } from "../core/clock.js";
import { problem, unavailable } from "../core/errors.js";
import { createSetupService, setupLinkOf } from "../services/setup.js";
import { openVault, type Vault } from "../services/vault.js";
import { describeDatabaseUrl } from "../store/connect.js";
import { holdPostgresServeLock } from "../store/postgres-connection.js";
import { buildApp } from "./app.js";

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly vault: Vault;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly config: ServerConfig;
  /** Lines for the operator (the setup link, warnings); stdout by default. */
  readonly say?: (line: string) => void;
  readonly logStream?: NodeJS.WritableStream;
  readonly postgresSchema?: string;
  /** Create the database even though the key file exists (`serve --new-vault`). */
  readonly newVault?: boolean;
}

/** Why the server could not listen, in a sentence that says what to do; other errors unchanged. */
function listenProblem(error: unknown, host: string, port: number): unknown {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  if (code === "EADDRINUSE") return unavailable(problem("port_in_use", { port, host }));
  if (code === "EACCES") return unavailable(problem("port_not_allowed", { port, host }));
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return unavailable(problem("host_not_local", { host }));
  return error;
}

const hostForUrl = (host: string): string => (host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host);

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  // PostgreSQL: every node holds the serve lock shared, so `watchword restore` can tell that one runs
  // (SQLite needs none: a restore sees the server's open file, sqlite-backup.ts).
  const serveLock =
    config.databaseUrl === undefined
      ? undefined
      : await holdPostgresServeLock(config.databaseUrl, options.postgresSchema, `PostgreSQL ${describeDatabaseUrl(config.databaseUrl)}`, (reason) =>
          process.emitWarning(`The PostgreSQL serve lock was lost (${reason}); taking it again.`, "WatchwordWarning"),
        );
  const vault = await openVault({
    config,
    backgroundCheckpoints: true,
    newVault: options.newVault ?? false,
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
  }).catch(async (error: unknown) => {
    await serveLock?.release();
    throw error;
  });
  let app: FastifyInstance;
  try {
    app = await buildApp({ config, store: vault.store, keyring: vault.keyring, clock: systemClock, ...(options.logStream ? { logStream: options.logStream } : {}) });
    await app.listen({ host: config.host, port: config.port }).catch((error: unknown) => {
      throw listenProblem(error, config.host, config.port);
    });
  } catch (error) {
    await vault.close();
    await serveLock?.release();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const url = `http://${hostForUrl(config.host)}:${port}`;
  const setup = createSetupService({ repositories: vault.store, transaction: (work) => vault.store.transaction(work), clock: systemClock });
  const token = await setup.createSetupTokenIfNeeded();
  for (const warning of vault.warnings) say(`Warning: ${warning}`);
  say(`Watchword is listening on ${url} (${vault.store.description}).`);
  if (token !== undefined) {
    // Printed for the operator, never logged: the link is a one-time credential.
    say(`No administrator exists yet. Open this one-time link to create one (valid 24 hours):\n\n  ${setupLinkOf(config.publicUrl ?? url, token)}\n`);
  }
  say("Press Ctrl-C to stop.");

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await vault.close();
      await serveLock?.release();
    })());
  return { app, vault, url, stop };
}

/** Stops gracefully on the first SIGINT/SIGTERM; a second one exits at once. */
export function stopOnSignals(server: RunningServer, say: (line: string) => void): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(130);
    received = true;
    say(`Received ${signal}: finishing requests in flight, then stopping.`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
