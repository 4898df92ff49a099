// Administering users through the HTTP API on both databases: invitations and password resets
// by one-time link (hashed, expiring, single use), roles with the last-administrator rule,
// disabling that ends a real session, deleting a user whose entries pass on, a user's own
// account, administrators-only verbs, hostile input that changes nothing, and no token or
// password in the database, the logs or the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { INVITE_LINK_LIFETIME_MS } from "../../src/services/user-links.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const BOB_PASSWORD = "saffron-harbour-kettle-5820";
const tokenOf = (link: string): string => new URL(link).hash.replace(/^#token=/, "");

describe.each(databaseKinds)("administering users on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  const clock = new ManualClock(Date.now());
  const planted: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    admin = await signedInClient(server, "ada", "admin");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const signIn = async (username: string, password: string) => {
    const reply = await server.newClient().signIn({ username, password, client: "cli" });
    return server.newClient({ token: reply.token! });
  };
  /** Invites a user, accepts the invitation with `password`, and returns their id. */
  const join = async (username: string, role: "admin" | "member" | "auditor", password = BOB_PASSWORD): Promise<string> => {
    const invited = await admin.inviteUser({ username, role });
    planted.push(tokenOf(invited.link));
    await server.newClient().acceptInvite({ token: tokenOf(invited.link), password });
    return invited.user.id;
  };
  const usersNow = async () => (await admin.listUsers()).users;
  const actions = async () => (await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 })).map((e) => ({ action: e.action, details: JSON.parse(e.details) as Record<string, unknown> }));

  it("invites a user by a one-time link that sets their password and signs them in", async () => {
    const invited = await admin.inviteUser({ username: "Bob", displayName: "Bob Durand", role: "member", email: "bob@example.com" });
    expect(invited).toMatchObject({ user: { username: "bob", displayName: "Bob Durand", role: "member", email: "bob@example.com", status: "invited" }, mailed: false, warnings: [] });
    expect(invited.link).toMatch(new RegExp(`^${server.url}/join#token=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(invited.expiresAt) - clock.now()).toBe(INVITE_LINK_LIFETIME_MS);
    const token = tokenOf(invited.link);
    planted.push(token);
    // Before accepting, no password works, not even an empty one.
    expect((await rejection(server.newClient().signIn({ username: "bob", password: "x" }))).key).toBe("sign_in_failed");

    const visitor = server.newClient();
    expect(await visitor.checkInvite(token)).toEqual({ username: "bob", displayName: "Bob Durand", expiresAt: invited.expiresAt });
    const weak = await rejection(visitor.acceptInvite({ token, password: "short" }));
    expect([weak.status, weak.key]).toEqual([400, "password_too_short"]);
    const joined = await visitor.acceptInvite({ token, password: BOB_PASSWORD });
    planted.push(BOB_PASSWORD);
    expect(joined.session.user).toMatchObject({ username: "bob", role: "member" });
    expect((await visitor.getSession()).user.username).toBe("bob");

    const reused = await rejection(server.newClient().acceptInvite({ token, password: "another-long-password-123" }));
    expect([reused.status, reused.key]).toEqual([409, "invite_link_used"]);
    expect((await rejection(server.newClient().checkInvite(token))).status).toBe(409);
    expect((await rejection(server.newClient().checkInvite("not-a-token"))).key).toBe("invite_link_invalid");
    expect((await signIn("bob", BOB_PASSWORD)).getSession).toBeDefined();
    expect((await usersNow()).find((u) => u.username === "bob")?.status).toBe("active");
    expect(await actions()).toEqual(expect.arrayContaining([
      { action: "user.invited", details: expect.objectContaining({ username: "bob", role: "member", hasEmail: true }) as unknown },
      { action: "user.invite_accepted", details: expect.objectContaining({ username: "bob" }) as unknown },
    ]));
  });

  it("refuses a second invitation for a taken name and a new link for a user who has joined", async () => {
    const taken = await rejection(admin.inviteUser({ username: "BOB", role: "member" }));
    expect([taken.status, taken.key]).toEqual([409, "username_taken"]);
    const bob = (await usersNow()).find((u) => u.username === "bob")!;
    expect((await rejection(admin.reissueInvite(bob.id))).key).toBe("user_not_invited");
  });

  it("reissues an invitation: the old link stops working", async () => {
    const first = await admin.inviteUser({ username: "erin", role: "member" });
    const second = await admin.reissueInvite(first.user.id);
    planted.push(tokenOf(first.link), tokenOf(second.link));
    expect((await rejection(server.newClient().checkInvite(tokenOf(first.link)))).key).toBe("invite_link_invalid");
    expect((await server.newClient().checkInvite(tokenOf(second.link))).username).toBe("erin");
    expect((await rejection(admin.issuePasswordReset(first.user.id))).key).toBe("user_still_invited");
  });

  it("disabling a user ends their session at the next request; enabling lets them sign in again", async () => {
    const bob = await signIn("bob", BOB_PASSWORD);
    const bobId = (await bob.getSession()).user.id;
    expect((await admin.disableUser(bobId)).status).toBe("disabled");
    expect((await rejection(bob.getSession())).status).toBe(401);
    expect((await rejection(server.newClient().signIn({ username: "bob", password: BOB_PASSWORD }))).key).toBe("sign_in_failed");
    expect((await admin.enableUser(bobId)).status).toBe("active");
    expect((await rejection(bob.getSession())).status).toBe(401); // the old session stays ended
    expect((await (await signIn("bob", BOB_PASSWORD)).getSession()).user.username).toBe("bob");
    expect((await actions()).map((a) => a.action)).toEqual(expect.arrayContaining(["user.disabled", "user.enabled"]));
  });

  it("changes roles, but never so that no enabled administrator is left (409 last_admin), even when two act at once", async () => {
    const adaId = (await admin.getSession()).user.id;
    const bobId = (await usersNow()).find((u) => u.username === "bob")!.id;
    expect((await admin.changeRole(bobId, "auditor")).role).toBe("auditor");
    expect((await (await signIn("bob", BOB_PASSWORD)).getSession()).user.role).toBe("auditor");

    // ada is the only administrator: she may not demote, disable or delete herself.
    for (const attempt of [() => admin.changeRole(adaId, "member"), () => admin.disableUser(adaId), () => admin.deleteUser(adaId)]) {
      const refused = await rejection(attempt());
      expect([refused.status, refused.key]).toEqual([409, "last_admin"]);
    }
    const zoeId = await join("zoe", "admin");
    const zoe = await signIn("zoe", BOB_PASSWORD);
    expect((await zoe.changeRole(adaId, "member")).role).toBe("member");
    expect((await rejection(admin.listUsers())).key).toBe("people_forbidden");
    expect((await rejection(zoe.changeRole(zoeId, "auditor"))).key).toBe("last_admin");
    expect((await zoe.changeRole(adaId, "admin")).role).toBe("admin");

    // Two administrators demoting each other at the same moment: exactly one succeeds.
    const outcomes = await Promise.allSettled([admin.changeRole(zoeId, "member"), zoe.changeRole(adaId, "member")]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const admins = (await server.vault.store.users.listUsers()).filter((u) => u.role === "admin" && u.disabledAt === null);
    expect(admins).toHaveLength(1);
    // Put ada back as the one administrator for the tests that follow.
    if (admins[0]!.username === "zoe") {
      await zoe.changeRole(adaId, "admin");
      await admin.changeRole(zoeId, "member");
    }
    expect((await actions()).filter((a) => a.action === "user.role_changed").at(-1)?.details).toMatchObject({ from: "admin", to: "member" });
  });
});
