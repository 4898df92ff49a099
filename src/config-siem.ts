// SIEM destinations, read by config.ts (the one module that reads configuration) from
// WATCHWORD_SIEM_<NAME>_* variables and the optional JSON file WATCHWORD_SIEM_FILE, and checked
// once at start: a destination Watchword could never deliver to stops the server with a sentence
// naming it. Webhook secrets are kept as Secrets and never repeated in an error.
import { readFileSync } from "node:fs";
import path from "node:path";
import { invalidInput, problem } from "./core/errors.js";
import { Secret } from "./core/secret.js";

export type SiemTransport = "webhook" | "syslog-tcp" | "syslog-tls" | "syslog-udp";

interface SiemCommon {
  readonly name: string;
  /** Where a new destination begins: every stored event, or the events after its first start. */
  readonly start: "beginning" | "now";
  readonly host: string;
  readonly port: number;
}

export interface WebhookDestinationConfig extends SiemCommon {
  readonly transport: "webhook";
  /** The full address, which may hold a token in its path: never shown, only its origin. */
  readonly url: string;
  readonly secret: Secret;
}

export interface SyslogDestinationConfig extends SiemCommon {
  readonly transport: "syslog-tcp" | "syslog-tls" | "syslog-udp";
  /** PEM of the certificate authorities trusted for syslog over TLS; the system's when absent. */
  readonly ca: string | undefined;
}

export type SiemDestinationConfig = WebhookDestinationConfig | SyslogDestinationConfig;

type Environment = Readonly<Record<string, string | undefined>>;

interface RawDestination {
  readonly name: string;
  /** How the README tells a person to set it: the variable's middle part, or the file's name. */
  readonly variable: string;
  readonly url?: string | undefined;
  readonly secret?: string | undefined;
  readonly caFile?: string | undefined;
  readonly start?: string | undefined;
}

const VARIABLE = /^WATCHWORD_SIEM_([A-Z0-9]+(?:_[A-Z0-9]+)*)_(URL|SECRET|CA_FILE|START)$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MIN_SECRET_LENGTH = 32;
const SCHEMES: Readonly<Record<string, { transport: SiemTransport; defaultPort: number }>> = {
  "https:": { transport: "webhook", defaultPort: 443 },
  "http:": { transport: "webhook", defaultPort: 80 },
  // RFC 6587 names no port for plain TCP; 514 is what receivers listen on in practice.
  "syslog+tcp:": { transport: "syslog-tcp", defaultPort: 514 },
  "syslog+tls:": { transport: "syslog-tls", defaultPort: 6514 }, // RFC 5425 §4.1
  "syslog+udp:": { transport: "syslog-udp", defaultPort: 514 }, // RFC 5426 §3.3
};

function destinationsFromEnvironment(env: Environment): RawDestination[] {
  const byName = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("WATCHWORD_SIEM_") || key === "WATCHWORD_SIEM_FILE" || value === undefined || value === "") continue;
    const match = VARIABLE.exec(key);
    if (match === null) throw invalidInput(problem("config_siem_variable_unknown", { variable: key.slice(0, 80) }), key);
    const [, variable, option] = match as unknown as [string, string, string];
    const fields = byName.get(variable) ?? {};
    fields[option] = value;
    byName.set(variable, fields);
  }
  return [...byName.entries()].map(([variable, fields]) => ({
    name: variable.toLowerCase().replaceAll("_", "-"),
    variable,
    url: fields.URL,
    secret: fields.SECRET,
    caFile: fields.CA_FILE,
    start: fields.START,
  }));
}

function destinationsFromFile(file: string): RawDestination[] {
  const invalid = () => invalidInput(problem("config_siem_file_invalid", { file }), "WATCHWORD_SIEM_FILE");
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw invalid();
  }
  if (typeof value !== "object" || value === null || !Array.isArray((value as { destinations?: unknown }).destinations)) throw invalid();
  const optional = (item: Record<string, unknown>, key: string): string | undefined => {
    const field = item[key];
    if (field === undefined) return undefined;
    if (typeof field !== "string") throw invalid();
    return field;
  };
  return ((value as { destinations: unknown[] }).destinations).map((item) => {
    if (typeof item !== "object" || item === null) throw invalid();
    const fields = item as Record<string, unknown>;
    const known = new Set(["name", "url", "secret", "caFile", "start"]);
    if (Object.keys(fields).some((key) => !known.has(key)) || typeof fields.name !== "string") throw invalid();
    const caFile = optional(fields, "caFile");
    return {
      name: fields.name,
      variable: fields.name.toUpperCase().replaceAll("-", "_"),
      url: optional(fields, "url"),
      secret: optional(fields, "secret"),
      // A CA file named in the destinations file is found beside it.
      caFile: caFile === undefined ? undefined : path.resolve(path.dirname(file), caFile),
      start: optional(fields, "start"),
    };
  });
}

function readCa(name: string, file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch {
    pem = "";
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw invalidInput(problem("config_siem_ca_unreadable", { name, file }), "caFile");
  return pem;
}

function checkDestination(raw: RawDestination): SiemDestinationConfig {
  const { name, variable } = raw;
  if (!NAME.test(name)) throw invalidInput(problem("config_siem_name_invalid", { name: name.slice(0, 60) }), "name");
  if (raw.url === undefined) throw invalidInput(problem("config_siem_url_missing", { name, variable }), "url");
  let url: URL | undefined;
  try {
    url = new URL(raw.url);
  } catch {
    // An out-of-range port makes the address itself invalid to the URL parser: say which.
    if (/^[a-z+]+:\/\/[^/:]+:\d+/i.test(raw.url)) throw invalidInput(problem("config_siem_port_invalid", { name }), "url");
    url = undefined;
  }
  // The address is never repeated: a webhook's may carry a token.
  const scheme = url === undefined ? undefined : SCHEMES[url.protocol];
  if (url === undefined || scheme === undefined || url.hostname === "") throw invalidInput(problem("config_siem_url_invalid", { name }), "url");
  const isWebhook = scheme.transport === "webhook";
  if (!isWebhook && ((url.pathname !== "" && url.pathname !== "/") || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "")) {
    throw invalidInput(problem("config_siem_url_invalid", { name }), "url");
  }
  if (url.port === "0") throw invalidInput(problem("config_siem_port_invalid", { name }), "url");
  const port = url.port === "" ? scheme.defaultPort : Number(url.port);
  const start = raw.start ?? "beginning";
  if (start !== "beginning" && start !== "now") throw invalidInput(problem("config_siem_start_invalid", { name }), "start");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isWebhook) {
    if (raw.caFile !== undefined) throw invalidInput(problem("config_siem_option_misplaced", { name, option: "CA_FILE" }), "caFile");
    if (raw.secret === undefined) throw invalidInput(problem("config_siem_secret_missing", { name, variable }), "secret");
    if (raw.secret.length < MIN_SECRET_LENGTH) throw invalidInput(problem("config_siem_secret_short", { name }), "secret");
    return Object.freeze({ name, transport: "webhook", start, host, port, url: url.href, secret: Secret.fromUtf8(raw.secret) });
  }
  if (raw.secret !== undefined) throw invalidInput(problem("config_siem_option_misplaced", { name, option: "SECRET" }), "secret");
  if (raw.caFile !== undefined && scheme.transport !== "syslog-tls") throw invalidInput(problem("config_siem_option_misplaced", { name, option: "CA_FILE" }), "caFile");
  const ca = raw.caFile === undefined ? undefined : readCa(name, raw.caFile);
  return Object.freeze({ name, transport: scheme.transport as SyslogDestinationConfig["transport"], start, host, port, ca });
}

/** Every SIEM destination from the environment and the destinations file, checked; none is an empty list. */
export function parseSiemDestinations(env: Environment): readonly SiemDestinationConfig[] {
  const file = env.WATCHWORD_SIEM_FILE;
  const raws = [...destinationsFromEnvironment(env), ...(file === undefined || file === "" ? [] : destinationsFromFile(path.resolve(file)))];
  const names = new Set<string>();
  const destinations = raws.map((raw) => {
    const destination = checkDestination(raw);
    if (names.has(destination.name)) throw invalidInput(problem("config_siem_name_taken", { name: destination.name }), "name");
    names.add(destination.name);
    return destination;
  });
  return Object.freeze(destinations);
}
