// Malformed, hostile and oversized requests: each gets a clear 4xx problem and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBLEM_KEYS, renderProblem, type Problem } from "../../src/contract/problem.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

describe("bad input", () => {
  let db: TestDatabase;
  let server: TestApp;
  let setupToken: string;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    setupToken = await server.createSetupToken();
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  async function send(path: string, init: RequestInit): Promise<{ status: number; body: Problem; type: string }> {
    const response = await fetch(`${server.url}${path}`, init);
    return { status: response.status, type: response.headers.get("content-type") ?? "", body: (await response.json()) as Problem };
  }
  const post = (path: string, body: string, contentType = "application/json") =>
    send(path, { method: "POST", headers: { "content-type": contentType }, body });

  const cases: [string, () => ReturnType<typeof send>, number, RegExp][] = [
    ["malformed JSON", () => post("/api/v1/setup", '{"token": "x", '), 400, /not valid JSON/],
    ["an empty body", () => post("/api/v1/auth/sign-in", ""), 400, /empty|JSON/],
    ["a JSON array instead of an object", () => post("/api/v1/auth/sign-in", "[]"), 400, /must be object|not valid/],
    ["a missing field", () => post("/api/v1/auth/sign-in", '{"username":"a"}'), 400, /"password" is required/],
    ["an unexpected field", () => post("/api/v1/auth/sign-in", '{"username":"a","password":"b","admin":true}'), 400, /"admin" is not expected/],
    ["a number where a string belongs", () => post("/api/v1/auth/sign-in", '{"username":1,"password":"b"}'), 400, /username/],
    ["an oversized body", () => post("/api/v1/setup", JSON.stringify({ token: setupToken, username: "a", password: "x".repeat(200_000) })), 413, /too large/],
    ["an over-long password field", () => post("/api/v1/setup", JSON.stringify({ token: setupToken, username: "admin", password: "x".repeat(2000) })), 400, /password/],
    ["a form post", () => post("/api/v1/auth/sign-in", "username=a&password=b", "application/x-www-form-urlencoded"), 415, /application\/json/],
    ["plain text", () => post("/api/v1/auth/sign-in", "hello", "text/plain"), 415, /application\/json/],
    ["an unknown API route", () => send("/api/v1/nothing-here", { method: "GET" }), 404, /nothing at GET \/api\/v1\/nothing-here/],
    ["an unknown method", () => send("/api/v1/session", { method: "DELETE" }), 404, /nothing at DELETE/],
    ["a bad setup token", () => post("/api/v1/setup", JSON.stringify({ token: "forged", username: "admin", password: "violet-harbour-lantern-42" })), 404, /not valid/],
    ["a prototype-pollution body", () => post("/api/v1/auth/sign-in", '{"username":"a","password":"b","__proto__":{"role":"admin"}}'), 400, /not valid|not expected/],
    ["entries without signing in", () => send("/api/v1/entries", { method: "GET" }), 401, /Sign in/],
    ["a code for an id that is no UUID", () => send("/api/v1/entries/../../etc/passwd/code", { method: "GET" }), 404, /nothing at GET/],
    ["a code for a malformed id", () => send("/api/v1/entries/not-a-uuid/code", { method: "GET" }), 400, /"id" must be a valid uuid/],
    ["an import over the size limit", () => post("/api/v1/imports", JSON.stringify({ data: "A".repeat(30 * 1024 * 1024) })), 413, /too large/],
    ["a malformed bearer header", () => send("/api/v1/session", { headers: { authorization: "Basic abc" } }), 401, /Bearer/],
  ];

  it.each(cases)("answers %s with a problem document", async (_name, request, status, detail) => {
    const { status: actual, body, type } = await request();
    expect(actual).toBe(status);
    expect(type).toMatch(/^application\/problem\+json/);
    expect(body.status).toBe(status);
    expect(body.detail).toMatch(detail);
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Translatable: a stable key from the catalogue, and the English detail is its sentence.
    expect(PROBLEM_KEYS).toContain(body.key);
    expect(renderProblem({ key: body.key!, params: body.params ?? {} })).toBe(body.detail);
  });

  it("changed nothing: no user exists and the setup link still works", async () => {
    expect(await server.vault.store.users.countUsers()).toBe(0);
    expect(await server.newClient().checkSetup(setupToken)).toEqual({ state: "ready" });
  });
});

describe("server surface", () => {
  let db: TestDatabase;
  let server: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it("reports alive and ready", async () => {
    const client = server.newClient();
    expect(await client.health()).toEqual({ status: "ok" });
    expect(await client.readiness()).toEqual({ status: "ready", database: "ok", migrations: "current" });
  });

  it("reports not ready when the database is gone", async () => {
    const other = await createTestDatabase("sqlite");
    const doomed = await startTestApp(other);
    await doomed.vault.store.close();
    const response = await fetch(`${doomed.url}/readyz`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as Problem).detail).toMatch(/database cannot be reached/);
    await doomed.app.close();
    await other.drop();
  });

  it("sends pages a strict Content-Security-Policy and the usual security headers", async () => {
    const response = await fetch(`${server.url}/`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=31536000");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends API replies a CSP that allows nothing, no-store and no framing, on success and on error", async () => {
    for (const path of ["/api/v1/session", "/api/v1/entries", "/healthz", "/api/v1/no-such-thing"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("cache-control"), path).toBe("no-store");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(response.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("describes the API in OpenAPI 3.1 and serves interactive docs", async () => {
    const spec = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/auth/sign-in",
        "/api/v1/setup",
        "/api/v1/session",
        "/healthz",
        "/readyz",
        "/api/v1/entries",
        "/api/v1/entries/{id}/code",
        "/api/v1/codes",
        "/api/v1/imports",
        "/api/v1/imports/{id}/confirm",
        "/api/v1/entries/{id}/recovery-codes/next",
      ]),
    );
    // Request bodies and replies carry examples for people reading the docs.
    expect(JSON.stringify(spec.paths["/api/v1/entries"])).toContain("JBSWY3DPEHPK3PXP");
    expect(JSON.stringify(spec)).toContain("492039");
    const docs = await fetch(`${server.url}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("swagger-ui");
  });
});
