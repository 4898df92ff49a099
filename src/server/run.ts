// Runs the server until SIGINT or SIGTERM: opens the vault, listens (HTTPS when given a certificate,
// re-read on SIGHUP), prints the setup link while no administrator exists, and on a signal stops
// accepting, lets in-flight requests finish, closes.
import fs from "node:fs";
import tls from "node:tls";
import type { FastifyInstance } from "fastify";
import type { ServerConfig, TlsFiles } from "../config.js";
import { systemClock } from "../core/clock.js";
import { invalidInput, problem, unavailable } from "../core/errors.js";
import { createSetupService, setupLinkOf } from "../services/setup.js";
import { openVault, type Vault } from "../services/vault.js";
import { describeDatabaseUrl } from "../store/connect.js";
import { holdPostgresServeLock } from "../store/postgres-connection.js";
import { buildApp } from "./app.js";
import { startMetricsListener, type MetricsListener } from "./metrics-endpoint.js";

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly vault: Vault;
  /** The address the server listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** Where the metrics listener answers (WATCHWORD_METRICS_LISTEN), e.g. http://127.0.0.1:9464/metrics. */
  readonly metricsUrl: string | undefined;
  /** Re-reads the TLS certificate and key; on failure the old pair stays in use and the error is thrown. */
  reloadTls(): void;
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

/** The certificate and key, read and checked as a pair (a key that does not match its certificate is refused here, not at the first handshake). */
export function readTlsPair(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const refuse = (reason: string) => invalidInput(problem("tls_files_invalid", { cert: files.certFile, key: files.keyFile, reason }), "--tls-cert");
  let pair: { cert: Buffer; key: Buffer };
  try {
    pair = { cert: fs.readFileSync(files.certFile), key: fs.readFileSync(files.keyFile) };
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "unreadable";
    throw refuse(`a file cannot be read (${code})`);
  }
  try {
    tls.createSecureContext(pair);
  } catch (error) {
    // OpenSSL's reason ("key values mismatch", "no start line"): it names no key material.
    const reason = error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/i, "").slice(0, 120) : "not PEM";
    throw refuse(reason === "" ? "not a PEM certificate and key" : reason);
  }
  return pair;
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
  // Before the vault opens: a certificate that cannot be used stops the start with nothing changed.
  const tlsPair = config.tls === undefined ? undefined : readTlsPair(config.tls);
  const vault = await openVault({
    config,
    backgroundCheckpoints: true,
    newVault: options.newVault ?? false,
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
  }).catch(async (error: unknown) => {
    await serveLock?.release();
    throw error;
  });
  let app: FastifyInstance | undefined;
  let metricsListener: MetricsListener | undefined;
  try {
    app = await buildApp({
      config,
      store: vault.store,
      keyring: vault.keyring,
      clock: systemClock,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(tlsPair === undefined ? {} : { tls: tlsPair }),
    });
    await app.listen({ host: config.host, port: config.port }).catch((error: unknown) => {
      throw listenProblem(error, config.host, config.port);
    });
    const listen = config.metrics?.listen;
    if (app.metrics !== undefined && listen !== undefined) {
      const log = app.log;
      metricsListener = await startMetricsListener(app.metrics, listen, config.metrics?.token, (message) => log.warn(message)).catch((error: unknown) => {
        throw listenProblem(error, listen.host, listen.port);
      });
    }
  } catch (error) {
    await app?.close();
    await vault.close();
    await serveLock?.release();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const url = `${tlsPair === undefined ? "http" : "https"}://${hostForUrl(config.host)}:${port}`;
  const setup = createSetupService({ repositories: vault.store, transaction: (work) => vault.store.transaction(work), clock: systemClock });
  const token = await setup.createSetupTokenIfNeeded();
  for (const warning of vault.warnings) say(`Warning: ${warning}`);
  say(`Watchword is listening on ${url} (${vault.store.description}).`);
  if (metricsListener !== undefined) say(`Metrics are served at ${metricsListener.url}.`);
  if (token !== undefined) {
    // Printed for the operator, never logged: the link is a one-time credential.
    say(`No administrator exists yet. Open this one-time link to create one (valid 24 hours):\n\n  ${setupLinkOf(config.publicUrl ?? url, token)}\n`);
  }
  say("Press Ctrl-C to stop.");

  const running = app;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await metricsListener?.close();
      await running.close();
      await vault.close();
      await serveLock?.release();
    })());
  const reloadTls = () => {
    if (config.tls === undefined) return;
    // Connections already open keep the context they began with; new handshakes get the new pair.
    (running.server as unknown as tls.Server).setSecureContext(readTlsPair(config.tls));
  };
  return { app: running, vault, url, metricsUrl: metricsListener?.url, reloadTls, stop };
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
  // SIGHUP re-reads the TLS certificate and key (after a renewal); without TLS it does nothing,
  // rather than end the process as Node's default would.
  process.on("SIGHUP", () => {
    if (server.url.startsWith("http:")) return say("Received SIGHUP: no TLS certificate to reload.");
    try {
      server.reloadTls();
      say("Received SIGHUP: TLS certificate and key reloaded.");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      server.app.log.error({ msg: message }, "TLS reload failed; the previous certificate stays in use");
      process.stderr.write(`TLS reload failed; still serving the previous certificate. ${message}\n`);
    }
  });
}
