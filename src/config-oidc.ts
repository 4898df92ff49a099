// Single sign-on through an OpenID Connect provider, read by config.ts (the one module that reads
// configuration) from WATCHWORD_OIDC_* variables and checked once at start. The client secret is
// kept as a Secret and never repeated in an error.
import { invalidInput, problem } from "./core/errors.js";
import { Secret } from "./core/secret.js";
import type { Role } from "./store/schema.js";

export const SSO_CALLBACK_PATH = "/api/v1/auth/sso/callback";

export interface OidcConfig {
  /** The provider's issuer identifier; its discovery document is read from it. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  /** Where the provider sends people back: WATCHWORD_OIDC_REDIRECT_URL, else the public address + the callback path. */
  readonly redirectUrl: string;
  readonly scopes: string;
  /** The claim (ID token or userinfo) that lists the person's groups at the provider. */
  readonly groupsClaim: string;
  /** Provider group → Watchword group names; only these Watchword groups are kept in step. */
  readonly groupMap: ReadonlyMap<string, readonly string[]>;
  /** Provider group → the role a new user gets (admin before auditor before member). */
  readonly roleMap: ReadonlyMap<string, Role>;
  /** Lower-cased e-mail domains whose users may not sign in with a password. */
  readonly ssoOnlyDomains: readonly string[];
  /** The button's words: "Sign in with <label>". */
  readonly label: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

const text = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value.trim());

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https everywhere; http only to this machine (a provider started beside the server, or a test's). */
export const isAllowedIssuerUrl = (url: URL): boolean => url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** "a=b,c=d" → [["a","b"], ["c","d"]]; provider group names keep their case (claims are compared exactly). */
function parsePairs(raw: string | undefined, name: string): [string, string][] {
  if (raw === undefined) return [];
  const pairs: [string, string][] = [];
  for (const item of raw.split(",")) {
    if (item.trim() === "") continue;
    const eq = item.indexOf("=");
    const key = eq < 0 ? "" : item.slice(0, eq).trim();
    const value = eq < 0 ? "" : item.slice(eq + 1).trim();
    if (key === "" || value === "" || key.length > 200 || value.length > 100) throw invalidInput(problem("config_oidc_map_invalid", { name, item: item.trim().slice(0, 60) }), name);
    pairs.push([key, value]);
  }
  return pairs;
}

const ROLES: readonly Role[] = ["admin", "member", "auditor"];
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function parseOidcConfig(env: Environment, publicUrl: string | undefined): OidcConfig | undefined {
  const issuerRaw = text(env.WATCHWORD_OIDC_ISSUER);
  const clientId = text(env.WATCHWORD_OIDC_CLIENT_ID);
  const clientSecret = env.WATCHWORD_OIDC_CLIENT_SECRET;
  const domainsRaw = text(env.WATCHWORD_OIDC_SSO_ONLY_DOMAINS);
  if (issuerRaw === undefined && clientId === undefined && (clientSecret ?? "") === "") {
    if (domainsRaw !== undefined) throw invalidInput(problem("config_oidc_domains_without_issuer"), "WATCHWORD_OIDC_SSO_ONLY_DOMAINS");
    return undefined;
  }
  const missing = [
    ["WATCHWORD_OIDC_ISSUER", issuerRaw],
    ["WATCHWORD_OIDC_CLIENT_ID", clientId],
    ["WATCHWORD_OIDC_CLIENT_SECRET", clientSecret === "" ? undefined : clientSecret],
  ].find(([, value]) => value === undefined)?.[0];
  if (missing !== undefined) throw invalidInput(problem("config_oidc_incomplete", { missing }), missing);

  const issuerUrl = parseUrl(issuerRaw!);
  if (issuerUrl === undefined || !isAllowedIssuerUrl(issuerUrl) || issuerUrl.search !== "" || issuerUrl.hash !== "") {
    throw invalidInput(problem("config_oidc_issuer_invalid"), "WATCHWORD_OIDC_ISSUER");
  }

  const redirectRaw = text(env.WATCHWORD_OIDC_REDIRECT_URL) ?? (publicUrl === undefined ? undefined : `${publicUrl.replace(/\/+$/, "")}${SSO_CALLBACK_PATH}`);
  if (redirectRaw === undefined) throw invalidInput(problem("config_oidc_redirect_missing"), "WATCHWORD_OIDC_REDIRECT_URL");
  const redirect = parseUrl(redirectRaw);
  if (redirect === undefined || !/^https?:$/.test(redirect.protocol) || redirect.pathname !== SSO_CALLBACK_PATH || redirect.search !== "" || redirect.hash !== "") {
    throw invalidInput(problem("config_oidc_redirect_invalid"), "WATCHWORD_OIDC_REDIRECT_URL");
  }

  const scopes = (text(env.WATCHWORD_OIDC_SCOPES) ?? "openid email profile groups").split(/\s+/);
  if (!scopes.includes("openid") || scopes.some((scope) => !/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/.test(scope))) {
    throw invalidInput(problem("config_oidc_scopes_invalid"), "WATCHWORD_OIDC_SCOPES");
  }
  const groupsClaim = text(env.WATCHWORD_OIDC_GROUPS_CLAIM) ?? "groups";
  if (!/^[\w:./-]{1,100}$/.test(groupsClaim)) throw invalidInput(problem("config_oidc_claim_invalid"), "WATCHWORD_OIDC_GROUPS_CLAIM");

  const groupMap = new Map<string, string[]>();
  for (const [from, to] of parsePairs(env.WATCHWORD_OIDC_GROUP_MAP, "WATCHWORD_OIDC_GROUP_MAP")) groupMap.set(from, [...(groupMap.get(from) ?? []), to]);
  const roleMap = new Map<string, Role>();
  for (const [from, to] of parsePairs(env.WATCHWORD_OIDC_ROLE_MAP, "WATCHWORD_OIDC_ROLE_MAP")) {
    const role = to.toLowerCase() as Role;
    if (!ROLES.includes(role)) throw invalidInput(problem("config_oidc_role_invalid", { role: to.slice(0, 20) }), "WATCHWORD_OIDC_ROLE_MAP");
    roleMap.set(from, role);
  }

  const ssoOnlyDomains = (domainsRaw ?? "")
    .split(",")
    .map((domain) => domain.trim().toLowerCase())
    .filter((domain) => domain !== "");
  const badDomain = ssoOnlyDomains.find((domain) => !DOMAIN.test(domain));
  if (badDomain !== undefined) throw invalidInput(problem("config_oidc_domains_invalid", { item: badDomain.slice(0, 60) }), "WATCHWORD_OIDC_SSO_ONLY_DOMAINS");

  const label = text(env.WATCHWORD_OIDC_LABEL) ?? "SSO";
  if ([...label].length > 40 || /[\p{Cc}]/u.test(label)) throw invalidInput(problem("config_oidc_label_invalid"), "WATCHWORD_OIDC_LABEL");

  return Object.freeze({
    issuer: issuerRaw!,
    clientId: clientId!,
    clientSecret: Secret.fromUtf8(clientSecret!),
    redirectUrl: redirect.href,
    scopes: scopes.join(" "),
    groupsClaim,
    groupMap,
    roleMap,
    ssoOnlyDomains: Object.freeze(ssoOnlyDomains),
    label,
  });
}
