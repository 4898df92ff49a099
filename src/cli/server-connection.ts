// Finds the server and credential of a client verb — flags, then WATCHWORD_URL and WATCHWORD_TOKEN,
// then the config file — and builds the typed client. A saved token is only ever sent to the
// server it was issued by.
import type { Command } from "commander";
import { createClient, type WatchwordClient } from "../client/client.js";
import { loadClientEnvironment, type Environment } from "../config.js";
import { invalidInput, unauthenticated } from "../core/errors.js";
import { packageVersion } from "../version.js";
import { readConfigFile } from "./config-file.js";
import { nodeHttpFetch } from "./http-transport.js";

export interface ConnectionFlags {
  url?: string | undefined;
  token?: string | undefined;
}

export interface JsonFlag {
  json?: boolean | undefined;
}

export interface Connection {
  readonly client: WatchwordClient;
  readonly url: string;
  /** Where the token came from; "file" means the config file holds it. */
  readonly tokenSource: "flag" | "environment" | "file";
  readonly configFile: string;
}

export const NOT_SIGNED_IN = "Not signed in: run `watchword login --url …` or set WATCHWORD_URL and WATCHWORD_TOKEN.";

/** The --url, --token and --json options every client verb takes. */
export const addClientOptions = (command: Command): Command =>
  command
    .option("--url <url>", "the server, e.g. https://watchword.example.com (env WATCHWORD_URL, else the saved one)")
    .option("--token <token>", "a bearer token ww_… (env WATCHWORD_TOKEN, else the saved one; a flag shows up in shell history)")
    .option("--json", "print the API's own reply as JSON");

/** "https://host/" and "https://host" are the same server. */
export function normaliseServerUrl(raw: string, source: string): string {
  const trimmed = raw.trim().replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw invalidInput(`${source} must be an http:// or https:// address, not "${raw.slice(0, 60)}".`, "url");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalidInput(`${source} must be an http:// or https:// address, not "${raw.slice(0, 60)}".`, "url");
  }
  if (parsed.username !== "" || parsed.password !== "") throw invalidInput(`${source} must not contain a user name or password.`, "url");
  return trimmed;
}

/** True for addresses where plain http:// does not cross a network. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const userAgent = (): string => `watchword-cli/${packageVersion()}`;

export function clientFor(url: string, token?: string): WatchwordClient {
  return createClient({ baseUrl: url, userAgent: userAgent(), fetch: nodeHttpFetch, ...(token === undefined ? {} : { token }) });
}

export async function connect(flags: ConnectionFlags, env: Environment): Promise<Connection> {
  const environment = loadClientEnvironment(env);
  const flagUrl = flags.url === undefined ? undefined : normaliseServerUrl(flags.url, "--url");
  const envUrl = environment.url === undefined ? undefined : normaliseServerUrl(environment.url, "WATCHWORD_URL");
  let url = flagUrl ?? envUrl;
  let token = flags.token ?? environment.token;
  let tokenSource: Connection["tokenSource"] = flags.token !== undefined ? "flag" : "environment";
  if (url === undefined || token === undefined) {
    const saved = await readConfigFile(environment.configFile);
    const savedUrl = saved?.url === undefined ? undefined : normaliseServerUrl(saved.url, `"url" in ${environment.configFile}`);
    url ??= savedUrl;
    if (token === undefined && saved?.token !== undefined && savedUrl !== undefined && savedUrl === url) {
      token = saved.token;
      tokenSource = "file";
    }
  }
  if (url === undefined || token === undefined || token === "") throw unauthenticated(NOT_SIGNED_IN);
  return { client: clientFor(url, token), url, tokenSource, configFile: environment.configFile };
}

/** Prints a value as the API's JSON (two-space indented, one trailing newline). */
export const toJson = (value: unknown): string => JSON.stringify(value, null, 2);
