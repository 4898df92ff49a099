// A new session id at every privilege change, through the HTTP API on both databases: a role
// changed by an administrator renews each browser session of that user at its next request (the
// old id stops working, the CSRF token follows) and leaves bearer tokens (the CLI's) with the new
// role; a user's own password change gives this browser session a new id in its reply and ends
// the others.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { rejection } from "../support/api-rejection.js";
import { withRawDatabase } from "../support/raw-database.js";
import { databaseKinds } from "../support/databases.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import type { TestApp } from "../support/test-app.js";

const COOKIE = "__Host-ww_session";
const PASSWORD = "juniper-quarry-lantern-8841";
const hashOf = (token: string): string => createHash("sha256").update(token).digest("hex");

describe.each(databaseKinds)("session renewal on %s", (kind) => {
  const suite = useSignedInAdmin(kind);

  const addUser = async (username: string): Promise<string> =>
    (await insertNewUser(suite.server.vault.store.users, { username, role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now())).id;
  const browserOf = async (username: string, password = PASSWORD) => {
    const browser = suite.server.newClient();
    await browser.signIn({ username, password });
    await browser.getSession(); // the client learns the CSRF token as the web app does
    return browser;
  };
  const cookieOf = (browser: ReturnType<TestApp["newClient"]>): string => browser.jar.cookies.get(COOKIE)!;
  /** What a request presenting only `cookie` gets from GET /api/v1/session. */
  const statusWith = async (cookie: string): Promise<number> => (await fetch(`${suite.server.url}/api/v1/session`, { headers: { cookie: `${COOKIE}=${cookie}` } })).status;
  const storedIdHashes = (): Promise<string[]> => withRawDatabase(suite.db, async (raw) => (await raw.selectFrom("sessions").select("id_hash").execute()).map((r) => r.id_hash));

  it("a role change renews each browser session of the user at its next request; the old id no longer works", async () => {
    const bobId = await addUser("bob");
    const laptop = await browserOf("bob");
    const phone = await browserOf("bob");
    const [laptopBefore, phoneBefore] = [cookieOf(laptop), cookieOf(phone)];

    expect((await suite.admin.changeRole(bobId, "auditor")).role).toBe("auditor");
    // Until they come back, neither old id is stored as a session any more.
    expect(await storedIdHashes()).not.toEqual(expect.arrayContaining([hashOf(laptopBefore)]));
    expect(await storedIdHashes()).not.toEqual(expect.arrayContaining([hashOf(phoneBefore)]));

    // The next request is a state change carrying the old cookie and the old CSRF token: it is
    // served with the new role, and its reply brings the new id and the new CSRF token.
    expect((await laptop.updateAccount({ displayName: "Bob on the laptop" })).displayName).toBe("Bob on the laptop");
    const laptopAfter = cookieOf(laptop);
    expect(laptopAfter).not.toBe(laptopBefore);
    expect(await statusWith(laptopBefore)).toBe(401);
    expect((await laptop.getSession()).user.role).toBe("auditor");
    expect((await laptop.updateAccount({ displayName: "Bob" })).displayName).toBe("Bob"); // the new CSRF token works
    expect(cookieOf(laptop)).toBe(laptopAfter); // renewed once, not at every request

    expect((await phone.getSession()).user.role).toBe("auditor");
    expect(cookieOf(phone)).not.toBe(phoneBefore);
    expect(await statusWith(phoneBefore)).toBe(401);
    expect(await statusWith(cookieOf(phone))).toBe(200);
    expect(await storedIdHashes()).not.toEqual(expect.arrayContaining([expect.stringMatching(/^renew:/)]));
  });

  it("a role change leaves the user's bearer session working with the new role, and other users' sessions alone", async () => {
    const carolId = await addUser("carol");
    const cli = suite.server.newClient({ token: (await suite.server.newClient().signIn({ username: "carol", password: PASSWORD, client: "cli" })).token! });
    await addUser("dave");
    const dave = await browserOf("dave");
    const daveBefore = cookieOf(dave);
    await suite.admin.changeRole(carolId, "admin");
    expect((await cli.getSession()).user.role).toBe("admin");
    await dave.getSession();
    expect(cookieOf(dave)).toBe(daveBefore);
  });

  it("a role set to the one the user has already is no privilege change: nothing is renewed", async () => {
    const erinId = await addUser("erin");
    const erin = await browserOf("erin");
    const before = cookieOf(erin);
    await suite.admin.changeRole(erinId, "member");
    await erin.getSession();
    expect(cookieOf(erin)).toBe(before);
  });

  it("two requests racing with the old id: exactly one gets the new id", async () => {
    const frankId = await addUser("frank");
    const frank = await browserOf("frank");
    const before = cookieOf(frank);
    await suite.admin.changeRole(frankId, "auditor");
    const replies = await Promise.all([statusWith(before), statusWith(before), statusWith(before)]);
    expect(replies.filter((status) => status === 200)).toHaveLength(1);
    expect(await statusWith(before)).toBe(401);
  });

  it("the user's own password change gives this browser session a new id in its reply and ends the others", async () => {
    await addUser("gina");
    const gina = await browserOf("gina");
    const other = await browserOf("gina");
    const [before, otherBefore] = [cookieOf(gina), cookieOf(other)];
    const NEW_PASSWORD = "meadow-copper-violet-5150";
    await gina.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    const after = cookieOf(gina);
    expect(after).not.toBe(before);
    expect(await statusWith(before)).toBe(401);
    expect(await statusWith(otherBefore)).toBe(401);
    expect((await gina.getSession()).user.username).toBe("gina");
    expect((await gina.updateAccount({ displayName: "Gina" })).displayName).toBe("Gina"); // the new CSRF token works
    // A refused change (wrong current password) renews nothing.
    expect((await rejection(gina.changePassword({ currentPassword: PASSWORD, newPassword: "another-meadow-4242" }))).key).toBe("current_password_wrong");
    expect(cookieOf(gina)).toBe(after);
    expect(await storedIdHashes()).toEqual(expect.arrayContaining([hashOf(after)]));
    expect(await storedIdHashes()).not.toEqual(expect.arrayContaining([hashOf(before)]));
  });
});
