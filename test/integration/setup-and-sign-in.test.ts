// First-run setup, sign-in, sessions and CSRF over real HTTP, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiError, type WatchwordClient } from "../../src/client/client.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "violet-harbour-lantern-42";


describe.each(databaseKinds)("setup and sign-in on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let setupToken: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    setupToken = await server.createSetupToken();
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it("answers a setup link that was never issued with 404 and a sentence", async () => {
    const error = await rejection(server.newClient().checkSetup("not-a-real-token"));
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/setup link is not valid/);
  });

  it("refuses a weak or common password at setup and keeps the link usable", async () => {
    const client = server.newClient();
    const short = await rejection(client.completeSetup({ token: setupToken, username: "admin", password: "short" }));
    expect([short.status, short.field]).toEqual([400, "password"]);
    const common = await rejection(client.completeSetup({ token: setupToken, username: "admin", password: "qwertyuiop123" }));
    expect(common.message).toMatch(/too common/);
    const badName = await rejection(client.completeSetup({ token: setupToken, username: "no spaces please", password: PASSWORD }));
    expect(badName.field).toBe("username");
    expect(await client.checkSetup(setupToken)).toEqual({ state: "ready" });
    expect(await server.vault.store.users.countUsers()).toBe(0);
  });

  it("creates the first administrator from the link and signs them in", async () => {
    const client = server.newClient();
    const reply = await client.completeSetup({ token: setupToken, username: "Admin", displayName: "Ada Admin", password: PASSWORD });
    expect(reply.status).toBe("signed_in");
    expect(reply.session.user).toMatchObject({ username: "admin", displayName: "Ada Admin", role: "admin" });
    expect(reply).not.toHaveProperty("token");
    expect([...client.jar.cookies.keys()].sort()).toEqual(["__Host-ww_device", "__Host-ww_session"]);
    expect((await client.getSession()).user.username).toBe("admin");
  });

  it("answers a used link with 'already set up' and creates no second administrator", async () => {
    const client = server.newClient();
    const check = await rejection(client.checkSetup(setupToken));
    expect([check.status, check.code]).toEqual([409, "conflict"]);
    expect(check.message).toMatch(/already set up/);
    const again = await rejection(client.completeSetup({ token: setupToken, username: "mallory", password: PASSWORD }));
    expect(again.status).toBe(409);
    expect(await server.vault.store.users.countUsers()).toBe(1);
    await expect(server.createSetupToken()).rejects.toThrow(/exists already/);
  });

  it("signs out, refuses the old session, and signs in again with the password", async () => {
    const client = server.newClient();
    await client.signIn({ username: "admin", password: PASSWORD });
    const cookie = client.jar.cookies.get("__Host-ww_session");
    await client.signOut();
    // The session cookie goes; the device cookie stays, so this browser remains a known device.
    expect([...client.jar.cookies.keys()]).toEqual(["__Host-ww_device"]);
    const replay = server.newClient();
    replay.jar.cookies.set("__Host-ww_session", cookie ?? "");
    expect((await rejection(replay.getSession())).status).toBe(401);
    const again = await client.signIn({ username: "ADMIN ", password: PASSWORD });
    expect(again.session.user.role).toBe("admin");
  });

  it("gives a new session id at every sign-in", async () => {
    const client = server.newClient();
    await client.signIn({ username: "admin", password: PASSWORD });
    const first = client.jar.cookies.get("__Host-ww_session");
    await client.signIn({ username: "admin", password: PASSWORD });
    expect(client.jar.cookies.get("__Host-ww_session")).not.toBe(first);
  });

  it("says the same sentence for a wrong password and an unknown user", async () => {
    const client = server.newClient();
    const wrong = await rejection(client.signIn({ username: "admin", password: "not the password at all" }));
    const unknown = await rejection(client.signIn({ username: "nobody", password: "not the password at all" }));
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.message).toBe("The username or password is incorrect.");
    expect(unknown.message).toBe(wrong.message);
    await client.signIn({ username: "admin", password: PASSWORD }); // clears the account's count
  });

  it("refuses a state change from a cookie session without its CSRF token", async () => {
    const client = server.newClient();
    await client.signIn({ username: "admin", password: PASSWORD });
    const response = await client.jar.fetch(`${server.url}/api/v1/auth/sign-out`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/CSRF/);
    expect((await client.getSession()).user.username).toBe("admin");
  });

  it("refuses cross-site requests by Fetch Metadata and by Origin", async () => {
    const crossSite = server.newClient({ headers: { "sec-fetch-site": "cross-site" } });
    expect((await rejection(crossSite.signIn({ username: "admin", password: PASSWORD }))).status).toBe(403);
    const otherOrigin = server.newClient({ headers: { origin: "https://evil.example" } });
    expect((await rejection(otherOrigin.signIn({ username: "admin", password: PASSWORD }))).status).toBe(403);
    const sameOrigin = server.newClient({ headers: { origin: server.url, "sec-fetch-site": "same-origin" } });
    expect((await sameOrigin.signIn({ username: "admin", password: PASSWORD })).status).toBe("signed_in");
  });

  it("hands the CLI a bearer token that works without cookies or CSRF, and refuses a bad one", async () => {
    const reply = await server.newClient().signIn({ username: "admin", password: PASSWORD, client: "cli" });
    expect(reply.token).toMatch(/^ww_s_[A-Za-z0-9_-]{43}$/);
    const cli = server.newClient({ token: reply.token! });
    expect((await cli.getSession()).user.username).toBe("admin");
    await cli.signOut();
    expect((await rejection(cli.getSession())).status).toBe(401);
    const forged = server.newClient({ token: "ww_s_forged" });
    expect((await rejection(forged.getSession())).message).toMatch(/not valid or has expired/);
  });

  it("slows an account down after repeated failures, whoever asks and from which node", async () => {
    // A second node on the same database and key: the counts live in the database, so both see them.
    const second = await startTestApp(db);
    const nodes: WatchwordClient[] = [server.newClient(), second.newClient()];
    const failures: ApiError[] = [];
    for (let i = 0; i < 7; i += 1) failures.push(await rejection(nodes[i % 2]!.signIn({ username: "admin", password: `wrong password ${i}` })));
    expect(failures.slice(0, 5).map((e) => e.status)).toEqual([401, 401, 401, 401, 401]);
    expect(failures[6]!.status).toBe(429);
    // The wait travels as a number, so each language says it in its own plural form.
    const wait = failures[6]!.params.count;
    expect(failures[6]!.key).toBe("sign_in_throttled");
    expect(typeof wait === "number" && wait >= 1).toBe(true);
    expect(failures[6]!.message).toBe(`Too many failed sign-ins. Try again in ${wait} ${wait === 1 ? "second" : "seconds"}.`);
    // Even the right password waits: the delay is per account, not per guess.
    expect((await rejection(nodes[0]!.signIn({ username: "admin", password: PASSWORD }))).status).toBe(429);
    await second.close();
    await server.vault.store.signInFailures.clearFailures("account", "admin");
  });

  it("never stores or logs the password, the session token or the setup token", async () => {
    const client = server.newClient();
    const reply = await server.newClient().signIn({ username: "admin", password: PASSWORD, client: "cli" });
    await client.signIn({ username: "admin", password: PASSWORD });
    const cookie = client.jar.cookies.get("__Host-ww_session")!;
    const haystacks = [server.logs.join("\n"), await dumpDatabase(db)];
    for (const haystack of haystacks) {
      expect(haystack).not.toContain(PASSWORD);
      expect(haystack).not.toContain(reply.token!);
      expect(haystack).not.toContain(cookie);
      expect(haystack).not.toContain(setupToken);
    }
    expect(server.logs.length).toBeGreaterThan(10);
  });
});
