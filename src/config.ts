// The one module that reads configuration: command-line flags, then WATCHWORD_* environment
// variables, then defaults. It validates once and hands out a frozen, typed object.
// Nothing else in the project reads process.env.
import path from "node:path";
import os from "node:os";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { invalidInput, problem } from "./core/errors.js";
import { Secret } from "./core/secret.js";
import { parseSiemDestinations, type SiemDestinationConfig } from "./config-siem.js";
import { parseOidcConfig, type OidcConfig } from "./config-oidc.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** postgres://… for PostgreSQL; undefined means the embedded SQLite file in dataDir. */
  readonly databaseUrl: string | undefined;
  /** base64 of 32 bytes from WATCHWORD_MASTER_KEY; undefined means the key file in dataDir. */
  readonly masterKey: string | undefined;
  /**
   * Where the key-encryption key lives (WATCHWORD_KEY_PROVIDER): "file" (the key files in dataDir,
   * or WATCHWORD_MASTER_KEY) or "pkcs11" (an HSM: WATCHWORD_PKCS11_*).
   */
  readonly keyProvider: KeyProviderConfig;
  /** The address people use to reach the server, for links such as the setup link. */
  readonly publicUrl: string | undefined;
  readonly logLevel: LogLevel;
  readonly trustProxy: boolean;
  /** Where the built web app lives. */
  readonly webDir: string;
  /**
   * Memory, in MiB, that reading uploaded import files may use on this node (WATCHWORD_IMPORT_MEMORY_MB,
   * default 3072): it decides how many files are read at once (services/import-pool.ts).
   */
  readonly importMemoryMb: number;
  /** Where invitation and password-reset links are mailed from; undefined: no mail is sent. */
  readonly smtp: SmtpConfig | undefined;
  /**
   * When this node writes a checkpoint of the audit chain to its data directory: after this many
   * events (WATCHWORD_AUDIT_CHECKPOINT_EVENTS, default 1000) or seconds (WATCHWORD_AUDIT_CHECKPOINT_SECONDS,
   * default 60) since the last one, whichever comes first, and on shutdown.
   */
  readonly auditCheckpoint: { readonly everyEvents: number; readonly everySeconds: number };
  /**
   * Whether alerts may be posted to private, loopback and link-local addresses
   * (WATCHWORD_ALERT_PRIVATE_TARGETS, default false): off, a member who may subscribe cannot make
   * the server post into its own network.
   */
  readonly alertTargets: { readonly allowPrivate: boolean };
  /** Where the audit stream is delivered (config-siem.ts: WATCHWORD_SIEM_<NAME>_URL…, WATCHWORD_SIEM_FILE); none by default. */
  readonly siem: readonly SiemDestinationConfig[];
  /**
   * How deliverers share the work across nodes: a lease lasts WATCHWORD_OUTBOX_LEASE_SECONDS (default 15)
   * before another node takes over; an idle deliverer looks for other nodes' events every
   * WATCHWORD_OUTBOX_POLL_MS (default 1000); retries wait at most WATCHWORD_OUTBOX_RETRY_MAX_SECONDS (default 60).
   */
  readonly outbox: { readonly leaseSeconds: number; readonly pollMs: number; readonly retryMaxSeconds: number };
  /**
   * How old audit events must be for `watchword audit archive` to archive them when it is given no
   * --before (WATCHWORD_AUDIT_RETENTION: an age such as 365d or 12h); undefined: no default.
   */
  readonly auditRetention: string | undefined;
  /**
   * How long, in minutes, a re-authentication ("sudo mode": password and second factor again)
   * lets a session make sensitive changes such as its second factors (WATCHWORD_SUDO_MINUTES, default 10).
   */
  readonly sudoMinutes: number;
  /**
   * How long, in minutes, a step-up (a fresh second factor before a code of an entry or folder that
   * asks for one) serves that session and that entry or folder (WATCHWORD_STEP_UP_MINUTES, default 5).
   */
  readonly stepUpMinutes: number;
  /**
   * The server's own archiving (services/audit-retention.ts), on when auditRetention is set: a new
   * file in WATCHWORD_AUDIT_ARCHIVE_DIR (default <data dir>/audit-archive) every
   * WATCHWORD_AUDIT_ARCHIVE_INTERVAL_MINUTES (default 1440, a day), the first a minute after start.
   */
  readonly auditArchive: { readonly directory: string; readonly intervalMinutes: number };
  /** Single sign-on through an OpenID Connect provider (config-oidc.ts: WATCHWORD_OIDC_*); undefined: off. */
  readonly oidc: OidcConfig | undefined;
  /**
   * The WebAuthn relying party passkeys are bound to: its id (WATCHWORD_WEBAUTHN_RP_ID, default the
   * host of WATCHWORD_PUBLIC_URL) and the one origin assertions must come from (that URL's).
   * Undefined without WATCHWORD_PUBLIC_URL: a passkey bound to a guessed origin would break later.
   */
  readonly webauthn: WebAuthnConfig | undefined;
  /**
   * Where /metrics (Prometheus text) is served: on its own listener (WATCHWORD_METRICS_LISTEN,
   * host:port) or on the main one behind a bearer token (WATCHWORD_METRICS_TOKEN); undefined: nowhere.
   * With both, only the own listener serves it, and asks for the token too.
   */
  readonly metrics: MetricsConfig | undefined;
  /** HTTPS on the main listener (--tls-cert/--tls-key, WATCHWORD_TLS_CERT/_KEY): PEM files re-read on SIGHUP. */
  readonly tls: TlsFiles | undefined;
  /** The HTTP gateway recovery codes are texted through (WATCHWORD_SMS_URL, _TOKEN, _SENDER); undefined: no SMS. */
  readonly sms: SmsGatewayConfig | undefined;
  /**
   * How long an account recovery waits, in hours, before the user may finish it without an
   * administrator's approval (WATCHWORD_RECOVERY_WAIT_HOURS, default 72).
   */
  readonly recoveryWaitHours: number;
}

export interface SmsGatewayConfig {
  /** Where each text is POSTed as JSON (services/sms-gateway.ts); http: only for loopback. */
  readonly url: string;
  /** Sent as `Authorization: Bearer …`; never logged. */
  readonly token: Secret;
  /** The sender name or number the gateway shows, if it takes one. */
  readonly sender: string | undefined;
}

export interface WebAuthnConfig {
  readonly rpId: string;
  readonly rpName: string;
  /** The exact origin (scheme, host, port) clientDataJSON must name. */
  readonly origin: string;
}

export interface MetricsConfig {
  readonly listen: { readonly host: string; readonly port: number } | undefined;
  /** Never logged: compared in constant time with the bearer token a scraper sends. */
  readonly token: string | undefined;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface SmtpConfig {
  /** smtp://[user:password@]host[:port] or smtps://…: may hold a password, so never logged. */
  readonly url: string;
  /** The sender, "watchword@example.com" or "Watchword <watchword@example.com>". */
  readonly from: string;
}

export interface ServerFlags {
  host?: string | undefined;
  port?: string | number | undefined;
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** The directory the package was installed in: the nearest one above this file with a package.json. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const firstDefined = (...values: (string | undefined)[]): string | undefined =>
  values.find((value) => value !== undefined && value !== "");

function parsePort(raw: string, source: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw invalidInput(problem("config_port_invalid", { source, value: raw.slice(0, 20) }), "port");
  }
  return Number(raw);
}

function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw invalidInput(problem("config_database_url_invalid"), "databaseUrl");
  }
  return raw;
}

function parsePositiveInteger(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw invalidInput(problem("config_number_invalid", { name, value: raw.slice(0, 20) }), name);
  return Number(raw);
}

function parseBoolean(raw: string | undefined, name: string): boolean {
  if (raw === undefined) return false;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw invalidInput(problem("config_boolean_invalid", { name }), name);
}

const MAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const NAMED_MAIL_ADDRESS = /^[^<>\r\n]*<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>$/;

/** WATCHWORD_SMTP_URL and WATCHWORD_SMTP_FROM together, or neither; mail links need the public address. */
function parseSmtp(env: Environment, publicUrl: string | undefined): SmtpConfig | undefined {
  const url = firstDefined(env.WATCHWORD_SMTP_URL);
  const from = firstDefined(env.WATCHWORD_SMTP_FROM)?.trim();
  if (url === undefined) {
    if (from !== undefined) throw invalidInput(problem("config_smtp_without_url"), "WATCHWORD_SMTP_FROM");
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // The value is never repeated in the error: it may hold the mail server's password.
  if (parsed === undefined || (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") || parsed.hostname === "") {
    throw invalidInput(problem("config_smtp_url_invalid"), "WATCHWORD_SMTP_URL");
  }
  if (from === undefined) throw invalidInput(problem("config_smtp_from_missing"), "WATCHWORD_SMTP_FROM");
  if (from.length > 254 || !(MAIL_ADDRESS.test(from) || NAMED_MAIL_ADDRESS.test(from))) throw invalidInput(problem("config_smtp_from_invalid"), "WATCHWORD_SMTP_FROM");
  if (publicUrl === undefined) throw invalidInput(problem("config_smtp_needs_public_url"), "WATCHWORD_PUBLIC_URL");
  return Object.freeze({ url, from });
}

/** An age of whole days or hours (365d, 12h): events older than it may be archived. */
function parseRetention(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,6}[dh]$/.test(text.trim())) throw invalidInput(problem("config_audit_retention_invalid"), "WATCHWORD_AUDIT_RETENTION");
  return text.trim();
}

export type KeyProviderConfig =
  | { readonly kind: "file" }
  | {
      readonly kind: "pkcs11";
      readonly module: string;
      readonly slot: number | undefined;
      readonly tokenLabel: string | undefined;
      /** WATCHWORD_PKCS11_PIN, kept as a Secret so that no log line or error can print it. */
      readonly pin: Secret | undefined;
      readonly pinFile: string | undefined;
      readonly keyLabel: string;
    };

/** WATCHWORD_KEY_PROVIDER and its WATCHWORD_PKCS11_* settings; the PIN file is read when the HSM is opened. */
function parseKeyProvider(env: Environment): KeyProviderConfig {
  const kind = firstDefined(env.WATCHWORD_KEY_PROVIDER)?.trim().toLowerCase() ?? "file";
  if (kind === "file") return Object.freeze({ kind });
  if (kind !== "pkcs11") throw invalidInput(problem("config_key_provider_invalid"), "WATCHWORD_KEY_PROVIDER");
  if (firstDefined(env.WATCHWORD_MASTER_KEY) !== undefined) throw invalidInput(problem("config_pkcs11_with_master_key"), "WATCHWORD_MASTER_KEY");
  const required = (variable: string): string => {
    const value = firstDefined(env[variable]);
    if (value === undefined || value.trim() === "") throw invalidInput(problem("config_pkcs11_missing", { variable }), variable);
    return value;
  };
  const slotText = firstDefined(env.WATCHWORD_PKCS11_SLOT);
  const tokenLabel = firstDefined(env.WATCHWORD_PKCS11_TOKEN_LABEL);
  if (slotText === undefined && tokenLabel === undefined) {
    throw invalidInput(problem("config_pkcs11_missing", { variable: "WATCHWORD_PKCS11_SLOT or WATCHWORD_PKCS11_TOKEN_LABEL" }), "WATCHWORD_PKCS11_SLOT");
  }
  if (slotText !== undefined && !/^\d{1,15}$/.test(slotText.trim())) throw invalidInput(problem("config_pkcs11_slot_invalid"), "WATCHWORD_PKCS11_SLOT");
  const pin = firstDefined(env.WATCHWORD_PKCS11_PIN);
  const pinFile = firstDefined(env.WATCHWORD_PKCS11_PIN_FILE);
  if (pin === undefined && pinFile === undefined) {
    throw invalidInput(problem("config_pkcs11_missing", { variable: "WATCHWORD_PKCS11_PIN or WATCHWORD_PKCS11_PIN_FILE" }), "WATCHWORD_PKCS11_PIN");
  }
  return Object.freeze({
    kind,
    module: path.resolve(required("WATCHWORD_PKCS11_MODULE")),
    slot: slotText === undefined ? undefined : Number(slotText.trim()),
    tokenLabel: tokenLabel?.trim(),
    pin: pin === undefined ? undefined : Secret.fromUtf8(pin),
    pinFile: pinFile === undefined ? undefined : path.resolve(pinFile),
    keyLabel: required("WATCHWORD_PKCS11_KEY_LABEL").trim(),
  });
}

/**
 * WebAuthn §5.1.4.1: the RP id is the origin's host or a registrable suffix of it, never an IP
 * address (browsers refuse one), so a suffix that does not fit the public URL is refused at start.
 */
function parseWebAuthn(env: Environment, publicUrl: string | undefined): WebAuthnConfig | undefined {
  const rpIdRaw = firstDefined(env.WATCHWORD_WEBAUTHN_RP_ID)?.trim().toLowerCase();
  if (publicUrl === undefined) {
    if (rpIdRaw !== undefined) throw invalidInput(problem("config_webauthn_needs_public_url"), "WATCHWORD_WEBAUTHN_RP_ID");
    return undefined;
  }
  const url = new URL(publicUrl);
  const host = url.hostname.toLowerCase();
  const rpId = rpIdRaw ?? host;
  const isIpAddress = /^[\d.]+$/.test(rpId) || rpId.includes(":") || rpId.startsWith("[");
  if (isIpAddress || !/^[a-z0-9.-]{1,253}$/.test(rpId) || !(host === rpId || host.endsWith(`.${rpId}`))) {
    if (rpIdRaw === undefined) return undefined;
    throw invalidInput(problem("config_webauthn_rp_id_invalid", { host }), "WATCHWORD_WEBAUTHN_RP_ID");
  }
  return Object.freeze({ rpId, rpName: "Watchword", origin: url.origin });
}

/** host:port, [v6]:port; the host is required, so that exposing metrics beyond the machine is a choice. */
function parseListenAddress(raw: string, name: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(raw.trim());
  if (match === null || Number(match[3]) > 65535) throw invalidInput(problem("config_listen_invalid", { name, value: raw.slice(0, 60) }), name);
  return { host: match[1] ?? match[2]!, port: Number(match[3]) };
}

/** A token a scraper cannot guess: 24 characters at least (the value is never repeated in errors). */
const METRICS_TOKEN_MIN = 24;

function parseMetrics(env: Environment): MetricsConfig | undefined {
  const listen = firstDefined(env.WATCHWORD_METRICS_LISTEN);
  const token = firstDefined(env.WATCHWORD_METRICS_TOKEN);
  if (listen === undefined && token === undefined) return undefined;
  if (token !== undefined && (token.length < METRICS_TOKEN_MIN || token.length > 512 || /\s/.test(token))) {
    throw invalidInput(problem("config_metrics_token_weak", { length: METRICS_TOKEN_MIN }), "WATCHWORD_METRICS_TOKEN");
  }
  return Object.freeze({ listen: listen === undefined ? undefined : Object.freeze(parseListenAddress(listen, "WATCHWORD_METRICS_LISTEN")), token });
}

function parseTls(flags: ServerFlags, env: Environment): TlsFiles | undefined {
  const cert = firstDefined(flags.tlsCert, env.WATCHWORD_TLS_CERT);
  const key = firstDefined(flags.tlsKey, env.WATCHWORD_TLS_KEY);
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw invalidInput(problem("config_tls_incomplete"), cert === undefined ? "--tls-cert" : "--tls-key");
  return Object.freeze({ certFile: path.resolve(cert), keyFile: path.resolve(key) });
}

/** WATCHWORD_SMS_URL and WATCHWORD_SMS_TOKEN together, or neither: the gateway of services/sms-gateway.ts. */
function parseSms(env: Environment): SmsGatewayConfig | undefined {
  const url = firstDefined(env.WATCHWORD_SMS_URL)?.trim();
  const token = firstDefined(env.WATCHWORD_SMS_TOKEN)?.trim();
  const sender = firstDefined(env.WATCHWORD_SMS_SENDER)?.trim();
  if (url === undefined) {
    if (token !== undefined || sender !== undefined) throw invalidInput(problem("config_sms_without_url"), "WATCHWORD_SMS_URL");
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // A code in clear text over the network only to this machine; the URL is never repeated (it may hold a key).
  const isLoopback = parsed !== undefined && (parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost" || parsed.hostname === "[::1]");
  if (parsed === undefined || !(parsed.protocol === "https:" || (parsed.protocol === "http:" && isLoopback))) throw invalidInput(problem("config_sms_url_invalid"), "WATCHWORD_SMS_URL");
  if (token === undefined || token.length < 8 || token.length > 4096 || /\s/.test(token)) throw invalidInput(problem("config_sms_token_missing"), "WATCHWORD_SMS_TOKEN");
  if (sender !== undefined && !/^[\p{L}\p{N} +]{1,20}$/u.test(sender)) throw invalidInput(problem("config_sms_sender_invalid"), "WATCHWORD_SMS_SENDER");
  return Object.freeze({ url, token: Secret.fromUtf8(token), sender });
}

export function loadServerConfig(flags: ServerFlags, env: Environment): ServerConfig {
  const portRaw = flags.port !== undefined ? String(flags.port) : env.WATCHWORD_PORT;
  const logLevel = (env.WATCHWORD_LOG_LEVEL ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw invalidInput(problem("config_log_level_invalid", { levels: LOG_LEVELS.join(", ") }), "WATCHWORD_LOG_LEVEL");
  }
  const publicUrl = env.WATCHWORD_PUBLIC_URL;
  if (publicUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(publicUrl)) {
    throw invalidInput(problem("config_public_url_invalid"), "WATCHWORD_PUBLIC_URL");
  }
  const dataDir = path.resolve(firstDefined(flags.dataDir, env.WATCHWORD_DATA_DIR) ?? "data");
  return Object.freeze({
    host: firstDefined(flags.host, env.WATCHWORD_HOST) ?? "127.0.0.1",
    port: portRaw === undefined ? 8080 : parsePort(portRaw, flags.port !== undefined ? "--port" : "WATCHWORD_PORT"),
    dataDir,
    databaseUrl: parseDatabaseUrl(firstDefined(flags.databaseUrl, env.WATCHWORD_DATABASE_URL, env.DATABASE_URL)),
    masterKey: firstDefined(env.WATCHWORD_MASTER_KEY),
    keyProvider: parseKeyProvider(env),
    publicUrl: publicUrl?.replace(/\/+$/, ""),
    smtp: parseSmtp(env, publicUrl),
    logLevel,
    trustProxy: parseBoolean(env.WATCHWORD_TRUST_PROXY, "WATCHWORD_TRUST_PROXY"),
    webDir: path.resolve(firstDefined(env.WATCHWORD_WEB_DIR) ?? path.join(packageRoot(), "dist", "web")),
    importMemoryMb: parsePositiveInteger(env.WATCHWORD_IMPORT_MEMORY_MB, "WATCHWORD_IMPORT_MEMORY_MB", 3072),
    auditCheckpoint: Object.freeze({
      everyEvents: parsePositiveInteger(env.WATCHWORD_AUDIT_CHECKPOINT_EVENTS, "WATCHWORD_AUDIT_CHECKPOINT_EVENTS", 1000),
      everySeconds: parsePositiveInteger(env.WATCHWORD_AUDIT_CHECKPOINT_SECONDS, "WATCHWORD_AUDIT_CHECKPOINT_SECONDS", 60),
    }),
    alertTargets: Object.freeze({ allowPrivate: parseBoolean(env.WATCHWORD_ALERT_PRIVATE_TARGETS, "WATCHWORD_ALERT_PRIVATE_TARGETS") }),
    siem: parseSiemDestinations(env),
    outbox: Object.freeze({
      leaseSeconds: parsePositiveInteger(env.WATCHWORD_OUTBOX_LEASE_SECONDS, "WATCHWORD_OUTBOX_LEASE_SECONDS", 15),
      pollMs: parsePositiveInteger(env.WATCHWORD_OUTBOX_POLL_MS, "WATCHWORD_OUTBOX_POLL_MS", 1000),
      retryMaxSeconds: parsePositiveInteger(env.WATCHWORD_OUTBOX_RETRY_MAX_SECONDS, "WATCHWORD_OUTBOX_RETRY_MAX_SECONDS", 60),
    }),
    auditRetention: parseRetention(firstDefined(env.WATCHWORD_AUDIT_RETENTION)),
    sudoMinutes: parsePositiveInteger(env.WATCHWORD_SUDO_MINUTES, "WATCHWORD_SUDO_MINUTES", 10),
    stepUpMinutes: parsePositiveInteger(env.WATCHWORD_STEP_UP_MINUTES, "WATCHWORD_STEP_UP_MINUTES", 5),
    auditArchive: Object.freeze({
      directory: path.resolve(firstDefined(env.WATCHWORD_AUDIT_ARCHIVE_DIR) ?? path.join(dataDir, "audit-archive")),
      intervalMinutes: parsePositiveInteger(env.WATCHWORD_AUDIT_ARCHIVE_INTERVAL_MINUTES, "WATCHWORD_AUDIT_ARCHIVE_INTERVAL_MINUTES", 1440),
    }),
    oidc: parseOidcConfig(env, publicUrl),
    webauthn: parseWebAuthn(env, publicUrl?.replace(/\/+$/, "")),
    metrics: parseMetrics(env),
    tls: parseTls(flags, env),
    sms: parseSms(env),
    recoveryWaitHours: parsePositiveInteger(env.WATCHWORD_RECOVERY_WAIT_HOURS, "WATCHWORD_RECOVERY_WAIT_HOURS", 72),
  });
}

export interface ClientConfigSources {
  url?: string | undefined;
  token?: string | undefined;
}

export interface ClientEnvironment {
  readonly url: string | undefined;
  readonly token: string | undefined;
  readonly configFile: string;
}

/** Where the CLI's client verbs look for the server and credential (flags are applied by the caller). */
export function loadClientEnvironment(env: Environment): ClientEnvironment {
  return Object.freeze({
    url: firstDefined(env.WATCHWORD_URL),
    token: firstDefined(env.WATCHWORD_TOKEN),
    configFile: path.resolve(
      firstDefined(env.WATCHWORD_CONFIG) ?? path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "watchword", "config.json"),
    ),
  });
}
