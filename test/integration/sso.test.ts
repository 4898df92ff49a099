// Single sign-on against a real OpenID Connect provider (oidc-provider on loopback), on both
// databases: just-in-time users, mapped groups kept in step, SSO-only domains, and every way a
// sign-in through the provider can go wrong — refused, audited, nothing created, no secret kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable, readSqliteFiles } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { freePort, signInThroughProvider, startTestProvider, type TestProvider } from "../support/oidc-provider.js";
import { withRawDatabase } from "../support/raw-database.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "quartz-meadow-lantern-913";

describe.each(databaseKinds)("single sign-on through a real OpenID Connect provider on %s", (kind) => {
  let db: TestDatabase;
  let provider: TestProvider;
  let server: TestApp;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    provider = await startTestProvider([`${url}/api/v1/auth/sso/callback`]);
    server = await startTestApp(db, {
      port,
      clock,
      env: provider.env(url, {
        WATCHWORD_OIDC_GROUP_MAP: "idp-admins=Administrators,idp-ops=Ops,idp-ops=On call",
        WATCHWORD_OIDC_ROLE_MAP: "idp-admins=admin",
        WATCHWORD_OIDC_SSO_ONLY_DOMAINS: "corp.example",
        WATCHWORD_OIDC_LABEL: "Corp ID",
      }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
    await db?.drop();
  });

  const signIn = (login: string, options: Parameters<typeof signInThroughProvider>[3] = {}) => {
    const browser = server.newClient();
    return signInThroughProvider(server.url, browser.jar, login, options).then((trip) => ({ ...trip, browser }));
  };
  const countUsers = () => server.vault.store.users.countUsers();
  const groupsOf = async (username: string) => {
    const user = await server.vault.store.users.findUserByUsername(username);
    const ids = await server.vault.store.groups.listGroupIdsOfUser(user!.id);
    const all = await server.vault.store.groups.listGroups();
    return all.filter((g) => ids.includes(g.id)).map((g) => g.name).sort();
  };
  const signInEvents = () =>
    withRawDatabase(db, (raw) => raw.selectFrom("audit_events").select(["actor_name", "outcome", "reason", "details", "channel"]).where("action", "=", "user.signed_in").orderBy("seq").execute());

  it("tells the sign-in page that single sign-on is set up, and its label", async () => {
    const reply = await fetch(`${server.url}/api/v1/auth/sso`);
    expect(await reply.json()).toEqual({ configured: true, label: "Corp ID" });
  });

  it("creates the user at the first sign-in, with the mapped groups and no password, and starts a session", async () => {
    provider.setPerson("sub-alice", { email: "Alice@Corp.example", preferredUsername: "Alice.Smith", name: "Alice Smith", groups: ["idp-ops", "unmapped"] });
    const { landing, browser } = await signIn("sub-alice");
    expect(landing).toBe("/");
    const session = await browser.getSession();
    expect(session.user).toMatchObject({ username: "alice.smith", displayName: "Alice Smith", role: "member" });
    expect(await groupsOf("alice.smith")).toEqual(["On call", "Ops"]);
    const user = await server.vault.store.users.findUserByUsername("alice.smith");
    expect(user).toMatchObject({ passwordHash: "", email: "alice@corp.example" });
    expect(await server.vault.store.userIdentities.findIdentity(provider.issuer, "sub-alice")).toMatchObject({ userId: user!.id });
    expect((await signInEvents()).at(-1)).toMatchObject({ actor_name: "alice.smith", outcome: "success", reason: null });
    expect(JSON.parse((await signInEvents()).at(-1)!.details)).toMatchObject({ method: "sso", isNewUser: true, groupsAdded: ["Ops", "On call"] });
  });

  it("keeps the mapped groups in step at later sign-ins and leaves the others alone", async () => {
    const alice = (await server.vault.store.users.findUserByUsername("alice.smith"))!;
    await server.vault.store.groups.insertGroup({ id: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a" as never, name: "Finance" }, clock.now());
    const finance = (await server.vault.store.groups.findGroupByName("Finance"))!;
    await server.vault.store.groups.addMember(finance.id, alice.id, clock.now());

    provider.setPerson("sub-alice", { email: "alice@corp.example", preferredUsername: "alice.smith", groups: ["idp-admins"] });
    expect((await signIn("sub-alice")).landing).toBe("/");
    expect(await groupsOf("alice.smith")).toEqual(["Administrators", "Finance"]);
    // The role is decided when the user is created; later changes are an administrator's.
    expect((await server.vault.store.users.findUserByUsername("alice.smith"))!.role).toBe("member");
    expect(JSON.parse((await signInEvents()).at(-1)!.details)).toMatchObject({ isNewUser: false, groupsAdded: ["Administrators"], groupsRemoved: ["Ops", "On call"] });

    provider.setPerson("sub-alice", { email: "alice@corp.example", groups: [] });
    await signIn("sub-alice");
    expect(await groupsOf("alice.smith")).toEqual(["Finance"]);
  });

  it("gives a mapped role to a new user, and a free username when the one asked for is taken", async () => {
    provider.setPerson("sub-other-alice", { email: "alice.smith@elsewhere.example", preferredUsername: "alice.smith", groups: ["idp-admins"] });
    const { browser } = await signIn("sub-other-alice");
    expect((await browser.getSession()).user).toMatchObject({ username: "alice.smith-2", role: "admin" });
  });

  it("refuses a password sign-in for a user of an SSO-only domain, once the password is right, and audits it", async () => {
    await insertNewUser(server.vault.store.users, { username: "bob", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const bob = (await server.vault.store.users.findUserByUsername("bob"))!;
    await server.vault.store.users.updateUser(bob.id, { email: "bob@eu.corp.example" }, clock.now());
    const refused = await rejection(server.newClient().signIn({ username: "bob", password: PASSWORD }));
    expect(refused).toMatchObject({ status: 403, key: "sso_required", params: { domain: "corp.example", label: "Corp ID" } });
    expect((await signInEvents()).at(-1)).toMatchObject({ actor_name: "bob", outcome: "denied", reason: "sso_required" });
    // A wrong password hears the usual sentence: the refusal tells nothing to someone guessing.
    expect(await rejection(server.newClient().signIn({ username: "bob", password: "wrong-password-123" }))).toMatchObject({ status: 401, key: "sign_in_failed" });

    await server.vault.store.users.updateUser(bob.id, { email: "bob@other.example" }, clock.now());
    expect((await server.newClient().signIn({ username: "bob", password: PASSWORD })).status).toBe("signed_in");
  });

  it("refuses a replayed callback, in the same browser and in another, and creates nothing", async () => {
    provider.setPerson("sub-carol", { email: "carol@corp.example", groups: ["idp-ops"] });
    const first = await signIn("sub-carol");
    expect(first.landing).toBe("/");
    const users = await countUsers();
    for (const jar of [first.browser.jar, server.newClient().jar]) {
      const replay = await jar.fetch(first.callbackUrl, { redirect: "manual" });
      expect(replay.headers.get("location")).toBe("/sign-in?sso_problem=sso_flow_invalid");
    }
    expect(await countUsers()).toBe(users);
    expect((await signInEvents()).at(-1)).toMatchObject({ outcome: "failure", reason: "sso_flow_invalid" });
  });

  it("refuses a tampered state, a wrong issuer and an oversized callback, and creates nothing", async () => {
    provider.setPerson("sub-dave", { email: "dave@corp.example" });
    const users = await countUsers();
    const tamper = (name: string, value: string) => (url: URL) => (url.searchParams.set(name, value), url);
    expect((await signIn("sub-dave", { beforeCallback: tamper("state", "forged-state") })).landing).toBe("/sign-in?sso_problem=sso_flow_invalid");
    expect((await signIn("sub-dave", { beforeCallback: tamper("iss", "https://evil.example") })).landing).toBe("/sign-in?sso_problem=sso_response_invalid");
    expect((await signIn("sub-dave", { beforeCallback: tamper("padding", "x".repeat(9000)) })).landing).toBe("/sign-in?sso_problem=sso_flow_invalid");
    expect(await countUsers()).toBe(users);
    expect(await server.vault.store.users.findUserByUsername("dave")).toBeUndefined();
  });

  it("refuses an ID token whose nonce is not the flow's", async () => {
    provider.setPerson("sub-erin", { email: "erin@corp.example" });
    const users = await countUsers();
    const trip = await signIn("sub-erin", {
      beforeCallback: async (url) => {
        await withRawDatabase(db, (raw) => raw.updateTable("sso_flows").set({ nonce: "another-nonce" }).execute());
        return url;
      },
    });
    expect(trip.landing).toBe("/sign-in?sso_problem=sso_response_invalid");
    expect(await countUsers()).toBe(users);
  });

  it("says the provider refused when the person cancels there (access_denied), and audits it", async () => {
    provider.setPerson("sub-frank", { email: "frank@corp.example" });
    const users = await countUsers();
    expect((await signIn("sub-frank", { abort: true })).landing).toBe("/sign-in?sso_problem=sso_access_denied");
    expect(await countUsers()).toBe(users);
    expect((await signInEvents()).at(-1)).toMatchObject({ outcome: "denied", reason: "sso_access_denied" });
  });

  it("refuses a flow finished after ten minutes", async () => {
    provider.setPerson("sub-gina", { email: "gina@corp.example" });
    const trip = await signIn("sub-gina", { beforeCallback: (url) => (clock.advance(10 * 60 * 1000 + 1), url) });
    expect(trip.landing).toBe("/sign-in?sso_problem=sso_flow_expired");
    expect(await server.vault.store.users.findUserByUsername("gina")).toBeUndefined();
  });

  it("refuses a disabled user, audited as denied", async () => {
    const alice = (await server.vault.store.users.findUserByUsername("alice.smith"))!;
    await server.vault.store.users.updateUser(alice.id, { disabledAt: clock.now() }, clock.now());
    const groupsBefore = await groupsOf("alice.smith");
    provider.setPerson("sub-alice", { email: "alice@corp.example", groups: ["idp-ops"] });
    expect((await signIn("sub-alice")).landing).toBe("/sign-in?sso_problem=sso_user_disabled");
    expect(await groupsOf("alice.smith")).toEqual(groupsBefore);
    expect((await signInEvents()).at(-1)).toMatchObject({ actor_name: "alice.smith", outcome: "denied", reason: "sso_user_disabled" });
    await server.vault.store.users.updateUser(alice.id, { disabledAt: null }, clock.now());
  });

  it("says the provider cannot be reached when it goes down during the sign-in", async () => {
    provider.setPerson("sub-hana", { email: "hana@corp.example" });
    try {
      const trip = await signIn("sub-hana", { beforeCallback: async (url) => (await provider.pause(), url) });
      expect(trip.landing).toBe("/sign-in?sso_problem=sso_provider_unreachable");
    } finally {
      await provider.resume();
    }
    expect(await server.vault.store.users.findUserByUsername("hana")).toBeUndefined();
  });

  it("never keeps or shows the client secret, the authorization code or the state's verifier", async () => {
    const trip = await signIn("sub-carol");
    const code = new URL(trip.callbackUrl).searchParams.get("code")!;
    const stored = `${await dumpEveryTable(db)}\n${await readSqliteFiles(db)}`;
    const logs = server.logs.join("\n");
    for (const secret of [provider.clientSecret, code]) {
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // Flows are deleted once used: none is left behind by the sign-ins above.
    expect(await withRawDatabase(db, (raw) => raw.selectFrom("sso_flows").selectAll().execute())).toEqual([]);
  });

  it("lands where the person was going, but never on another site", async () => {
    const browser = server.newClient();
    for (const [next, expected] of [["/entries?q=aws", "/entries?q=aws"], ["//evil.example/x", "/"], ["https://evil.example", "/"], ["/api/v1/session", "/"], ["/\\evil.example", "/"]] as const) {
      await withRawDatabase(db, (raw) => raw.deleteFrom("sso_flows").execute());
      const start = await browser.jar.fetch(`${server.url}/api/v1/auth/sso/start?next=${encodeURIComponent(next)}`, { redirect: "manual" });
      expect(start.status).toBe(303);
      const flows = await withRawDatabase(db, (raw) => raw.selectFrom("sso_flows").select("next_path").execute());
      expect(flows[0]!.next_path).toBe(expected);
    }
  });
});

describe("single sign-on with a provider that cannot be reached", () => {
  let db: TestDatabase;
  let server: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    const deadPort = await freePort();
    server = await startTestApp(db, {
      env: { WATCHWORD_PUBLIC_URL: "http://127.0.0.1:9", WATCHWORD_OIDC_ISSUER: `http://127.0.0.1:${deadPort}`, WATCHWORD_OIDC_CLIENT_ID: "watchword", WATCHWORD_OIDC_CLIENT_SECRET: "planted-secret-Zk3" },
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("sends the browser back to the sign-in page with the reason, and stores no flow", async () => {
    const start = await fetch(`${server.url}/api/v1/auth/sso/start`, { redirect: "manual" });
    expect(start.status).toBe(303);
    expect(start.headers.get("location")).toBe("/sign-in?sso_problem=sso_provider_unreachable");
    expect(await withRawDatabase(db, (raw) => raw.selectFrom("sso_flows").selectAll().execute())).toEqual([]);
    expect(server.logs.join("\n")).not.toContain("planted-secret-Zk3");
  });

  it("refuses a callback without a flow", async () => {
    const callback = await fetch(`${server.url}/api/v1/auth/sso/callback?code=abc&state=def`, { redirect: "manual" });
    expect(callback.headers.get("location")).toBe("/sign-in?sso_problem=sso_flow_invalid");
  });
});
