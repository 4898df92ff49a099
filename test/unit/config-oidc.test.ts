// WATCHWORD_OIDC_* read and checked once at start: a complete setting gives a frozen, typed
// configuration; a missing, malformed or hostile one stops the start with a sentence that never
// repeats the client secret.
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config.js";
import { isWatchwordError } from "../../src/core/errors.js";

const BASE = { WATCHWORD_PUBLIC_URL: "https://vault.example.com", WATCHWORD_OIDC_ISSUER: "https://login.example.com/realms/staff", WATCHWORD_OIDC_CLIENT_ID: "watchword", WATCHWORD_OIDC_CLIENT_SECRET: "planted-secret-Qx81" };
const load = (env: Record<string, string>) => loadServerConfig({}, env);
const refusal = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    if (isWatchwordError(error)) return { key: error.key, params: error.params, message: error.message };
    throw error;
  }
  throw new Error("the configuration was accepted");
};

describe("single sign-on configuration", () => {
  it("is off when no WATCHWORD_OIDC_* variable is set", () => {
    expect(load({}).oidc).toBeUndefined();
  });

  it("reads a complete setting, with the defaults and the redirect derived from the public address", () => {
    const oidc = load({ ...BASE, WATCHWORD_OIDC_GROUP_MAP: "idp-admins=Administrators, idp-ops=Ops,idp-ops=On call", WATCHWORD_OIDC_ROLE_MAP: "idp-admins=Admin", WATCHWORD_OIDC_SSO_ONLY_DOMAINS: "Corp.Example, eu.corp.example" }).oidc!;
    expect(oidc).toMatchObject({ issuer: BASE.WATCHWORD_OIDC_ISSUER, clientId: "watchword", redirectUrl: "https://vault.example.com/api/v1/auth/sso/callback", scopes: "openid email profile groups", groupsClaim: "groups", label: "SSO", ssoOnlyDomains: ["corp.example", "eu.corp.example"] });
    expect([...oidc.groupMap]).toEqual([["idp-admins", ["Administrators"]], ["idp-ops", ["Ops", "On call"]]]);
    expect([...oidc.roleMap]).toEqual([["idp-admins", "admin"]]);
    expect(String(oidc.clientSecret)).toBe("[redacted]");
    expect(JSON.stringify(oidc)).not.toContain("planted-secret-Qx81");
    expect(Object.isFrozen(oidc)).toBe(true);
  });

  it("names the variable that is missing, never the secret", () => {
    const { WATCHWORD_OIDC_CLIENT_ID: _id, ...withoutId } = BASE;
    expect(refusal(withoutId)).toMatchObject({ key: "config_oidc_incomplete", params: { missing: "WATCHWORD_OIDC_CLIENT_ID" } });
    const { WATCHWORD_OIDC_CLIENT_SECRET: _secret, ...withoutSecret } = BASE;
    expect(refusal(withoutSecret)).toMatchObject({ key: "config_oidc_incomplete", params: { missing: "WATCHWORD_OIDC_CLIENT_SECRET" } });
    const { WATCHWORD_PUBLIC_URL: _url, ...withoutAddress } = BASE;
    expect(refusal(withoutAddress).key).toBe("config_oidc_redirect_missing");
  });

  it.each([
    ["an http issuer off this machine", { WATCHWORD_OIDC_ISSUER: "http://login.example.com" }, "config_oidc_issuer_invalid"],
    ["an issuer that is no URL", { WATCHWORD_OIDC_ISSUER: "login.example.com" }, "config_oidc_issuer_invalid"],
    ["an issuer with a query", { WATCHWORD_OIDC_ISSUER: "https://login.example.com/?x=1" }, "config_oidc_issuer_invalid"],
    ["a redirect elsewhere than the callback", { WATCHWORD_OIDC_REDIRECT_URL: "https://vault.example.com/other" }, "config_oidc_redirect_invalid"],
    ["a redirect with javascript:", { WATCHWORD_OIDC_REDIRECT_URL: "javascript:alert(1)" }, "config_oidc_redirect_invalid"],
    ["scopes without openid", { WATCHWORD_OIDC_SCOPES: "email profile" }, "config_oidc_scopes_invalid"],
    ["a scope with a quote", { WATCHWORD_OIDC_SCOPES: 'openid "x' }, "config_oidc_scopes_invalid"],
    ["a claim name with spaces", { WATCHWORD_OIDC_GROUPS_CLAIM: "my groups" }, "config_oidc_claim_invalid"],
    ["a group map item without =", { WATCHWORD_OIDC_GROUP_MAP: "idp-admins" }, "config_oidc_map_invalid"],
    ["an oversized group name", { WATCHWORD_OIDC_GROUP_MAP: `a=${"x".repeat(101)}` }, "config_oidc_map_invalid"],
    ["an unknown role", { WATCHWORD_OIDC_ROLE_MAP: "idp-admins=root" }, "config_oidc_role_invalid"],
    ["a domain with a slash", { WATCHWORD_OIDC_SSO_ONLY_DOMAINS: "corp.example/x" }, "config_oidc_domains_invalid"],
    ["a label too long", { WATCHWORD_OIDC_LABEL: "x".repeat(41) }, "config_oidc_label_invalid"],
    ["a label with a control character", { WATCHWORD_OIDC_LABEL: "Corp\u0007ID" }, "config_oidc_label_invalid"],
  ])("refuses %s", (_what, change, key) => {
    const refused = refusal({ ...BASE, ...change });
    expect(refused.key).toBe(key);
    expect(refused.message).not.toContain("planted-secret-Qx81");
  });

  it("accepts an http issuer on loopback, and refuses SSO-only domains without single sign-on", () => {
    expect(load({ ...BASE, WATCHWORD_OIDC_ISSUER: "http://127.0.0.1:9000" }).oidc?.issuer).toBe("http://127.0.0.1:9000");
    expect(refusal({ WATCHWORD_OIDC_SSO_ONLY_DOMAINS: "corp.example" }).key).toBe("config_oidc_domains_without_issuer");
  });
});
