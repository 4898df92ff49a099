// A real OpenID Connect provider for tests (the oidc-provider package) on loopback: one confidential
// client, PKCE required, test people whose claims (e-mail, groups) a test changes between sign-ins,
// and the package's own login and consent pages, which signInThroughProvider answers over HTTP.
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import Provider from "oidc-provider";
import { SSO_CALLBACK_PATH } from "../../src/config-oidc.js";
import { createCookieFetch, type CookieFetch } from "./cookie-fetch.js";

export interface TestPerson {
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly preferredUsername?: string;
  readonly name?: string;
  readonly groups?: readonly string[];
}

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Adds or replaces the person who signs in with this login (their subject is the login). */
  setPerson(login: string, person: TestPerson): void;
  /** The WATCHWORD_OIDC_* settings for a Watchword whose public address is `watchwordUrl`. */
  env(watchwordUrl: string, more?: Record<string, string>): Record<string, string>;
  /** Stops answering (the provider is down) until resume(); connections are refused meanwhile. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** A port free on loopback now, for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts the provider. Its client accepts `redirectUris` (Watchword's callback, which the test
 * knows once it chose Watchword's port); its secret is a planted value tests search for.
 */
export async function startTestProvider(redirectUris: readonly string[], secret = "planted-client-secret-7Yq2Lw9Vx4"): Promise<TestProvider> {
  const people = new Map<string, TestPerson>();
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "watchword-test";
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: secret, redirect_uris: [...redirectUris], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" }],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    cookies: { keys: ["test-provider-cookie-key-which-is-long-enough"] },
    features: { devInteractions: { enabled: true } },
    // Lifetimes set, so that the package does not print a notice for each default it uses.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx, id) => {
      const person = people.get(id);
      if (person === undefined) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          ...(person.email === undefined ? {} : { email: person.email, email_verified: person.emailVerified ?? true }),
          ...(person.preferredUsername === undefined ? {} : { preferred_username: person.preferredUsername }),
          ...(person.name === undefined ? {} : { name: person.name }),
          groups: [...(person.groups ?? [])],
        }),
      };
    },
  });
  // The package warns of its development keys and interactions on stdout; a test does not need to hear it.
  const handler = provider.callback();
  const server = http.createServer((request, response) => void handler(request, response));
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await listen();
  return {
    issuer,
    clientId,
    clientSecret: secret,
    setPerson: (login, person) => void people.set(login, person),
    env: (watchwordUrl, more = {}) => ({
      WATCHWORD_PUBLIC_URL: watchwordUrl,
      WATCHWORD_OIDC_ISSUER: issuer,
      WATCHWORD_OIDC_CLIENT_ID: clientId,
      WATCHWORD_OIDC_CLIENT_SECRET: secret,
      ...more,
    }),
    pause: stop,
    resume: listen,
    close: stop,
  };
}

export interface ProviderRoundTrip {
  /** Where Watchword's callback sent the browser (a path), and the callback URL the provider gave. */
  readonly landing: string;
  readonly callbackUrl: string;
}

/**
 * Does what a browser does: follows /start to the provider, answers its login page (and consent,
 * the first time) as `login`, or cancels with `abort`, then calls Watchword's callback with the
 * jar that started the flow. `beforeCallback` may change the callback URL (a tampered state).
 */
export async function signInThroughProvider(
  watchwordUrl: string,
  watchword: CookieFetch,
  login: string,
  options: { readonly abort?: boolean; readonly providerJar?: CookieFetch; readonly beforeCallback?: (url: URL) => URL | Promise<URL> } = {},
): Promise<ProviderRoundTrip> {
  const start = await watchword.fetch(`${watchwordUrl}/api/v1/auth/sso/start`, { redirect: "manual" });
  let location = start.headers.get("location") ?? "";
  if (start.status !== 303) throw new Error(`start answered ${start.status}`);
  if (location.startsWith("/")) return { landing: location, callbackUrl: "" };
  const jar = options.providerJar ?? createCookieFetch();
  for (let hop = 0; hop < 12; hop++) {
    const url = new URL(location);
    if (url.pathname === SSO_CALLBACK_PATH) {
      const callback = options.beforeCallback === undefined ? url : await options.beforeCallback(url);
      const reply = await watchword.fetch(callback.href, { redirect: "manual" });
      return { landing: reply.headers.get("location") ?? `status ${reply.status}`, callbackUrl: url.href };
    }
    const reply = await jar.fetch(url.href, { redirect: "manual" });
    if (reply.status >= 300 && reply.status < 400) {
      location = new URL(reply.headers.get("location")!, url).href;
      continue;
    }
    const page = await reply.text();
    if (reply.status !== 200 || !url.pathname.startsWith("/interaction/")) throw new Error(`provider answered ${reply.status} at ${url.pathname}: ${page.slice(0, 300)}`);
    if (options.abort === true) {
      location = new URL(`${url.pathname}/abort`, url).href;
      continue;
    }
    const prompt = page.includes('name="prompt" value="login"') ? "login" : "consent";
    const body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
    const submitted = await jar.fetch(url.href, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    location = new URL(submitted.headers.get("location") ?? "", url).href;
  }
  throw new Error("too many redirects at the provider");
}
