// Administering users through the HTTP API on both databases: invitations and password resets
// by one-time link (hashed, expiring, single use), roles with the last-administrator rule,
// disabling that ends a real session, deleting a user whose entries pass on, a user's own
// account, administrators-only verbs, hostile input that changes nothing, and no token or
// password in the database, the logs or the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { INVITE_LINK_LIFETIME_MS, RESET_LINK_LIFETIME_MS } from "../../src/services/user-links.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { signedInApiClient } from "../support/admin-authenticator.js";
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

  // An administrator among others gets the test authenticator (admin-authenticator.ts).
  const signIn = (username: string, password: string) => signedInApiClient(server.url, username, password);
  /** Invites a user, accepts the invitation with `password`, and returns their id. */
  const join = async (username: string, role: "admin" | "member" | "auditor", password = BOB_PASSWORD): Promise<string> => {
    const invited = await admin.inviteUser({ username, role });
    planted.push(tokenOf(invited.link));
    await server.newClient().acceptInvite({ token: tokenOf(invited.link), password });
    return invited.user.id;
  };
  const usersNow = async () => (await admin.listUsers()).users;
  const actions = async () => (await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 })).filter((e) => e.outcome === "success").map((e) => ({ action: e.action, details: JSON.parse(e.details) as Record<string, unknown> }));

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

  it("issues a one-time password-reset link that ends every session of the user when used", async () => {
    const bobId = (await usersNow()).find((u) => u.username === "bob")!.id;
    const before = await signIn("bob", BOB_PASSWORD);
    const issued = await admin.issuePasswordReset(bobId);
    expect(issued.link).toMatch(new RegExp(`^${server.url}/reset-password#token=`));
    const token = tokenOf(issued.link);
    planted.push(token);
    expect((await before.getSession()).user.username).toBe("bob"); // issuing alone ends nothing
    expect((await server.newClient().checkPasswordReset(token)).username).toBe("bob");
    expect((await rejection(server.newClient().checkInvite(token))).key).toBe("invite_link_invalid"); // a reset link is no invitation
    const NEW_PASSWORD = "cobalt-meridian-tundra-6391";
    planted.push(NEW_PASSWORD);
    const reset = server.newClient();
    expect((await reset.completePasswordReset({ token, password: NEW_PASSWORD })).session.user.username).toBe("bob");
    expect((await rejection(before.getSession())).status).toBe(401);
    expect((await reset.getSession()).user.username).toBe("bob");
    expect((await rejection(server.newClient().signIn({ username: "bob", password: BOB_PASSWORD }))).key).toBe("sign_in_failed");
    const reused = await rejection(server.newClient().completePasswordReset({ token, password: "yet-another-password-77" }));
    expect([reused.status, reused.key]).toEqual([409, "reset_link_used"]);
    await signIn("bob", NEW_PASSWORD);
    // Back to the old password through the user's own account, for the tests that follow.
    const own = await signIn("bob", NEW_PASSWORD);
    await own.changePassword({ currentPassword: NEW_PASSWORD, newPassword: BOB_PASSWORD });
    expect((await actions()).map((a) => a.action)).toEqual(expect.arrayContaining(["user.password_reset_issued", "user.password_reset", "user.password_changed"]));
  });

  it("a reset link of a user disabled since it was issued does nothing, even once they are enabled again", async () => {
    const bobId = (await usersNow()).find((u) => u.username === "bob")!.id;
    const issued = await admin.issuePasswordReset(bobId);
    const token = tokenOf(issued.link);
    planted.push(token);
    await admin.disableUser(bobId);
    const refused = await rejection(server.newClient().completePasswordReset({ token, password: "orchid-lantern-basalt-3321" }));
    expect([refused.status, refused.key]).toEqual([404, "reset_link_invalid"]);
    await admin.enableUser(bobId);
    expect((await rejection(server.newClient().completePasswordReset({ token, password: "orchid-lantern-basalt-3321" }))).key).toBe("reset_link_invalid");
    await signIn("bob", BOB_PASSWORD); // the password did not change
  });

  it("lets every user change their own password (other sessions end), display name and language", async () => {
    const other = await signIn("bob", BOB_PASSWORD);
    const bob = await signIn("bob", BOB_PASSWORD);
    const wrong = await rejection(bob.changePassword({ currentPassword: "not-my-password-at-all", newPassword: "granite-willow-comet-2288" }));
    expect([wrong.status, wrong.key, wrong.field]).toEqual([400, "current_password_wrong", "currentPassword"]);
    const weak = await rejection(bob.changePassword({ currentPassword: BOB_PASSWORD, newPassword: "password1234" }));
    expect(weak.key).toBe("password_too_common");
    expect((await other.getSession()).user.username).toBe("bob"); // refusals end nothing
    await bob.changePassword({ currentPassword: BOB_PASSWORD, newPassword: "granite-willow-comet-2288" });
    planted.push("granite-willow-comet-2288");
    expect((await rejection(other.getSession())).status).toBe(401);
    expect((await bob.getSession()).user.username).toBe("bob");
    await bob.changePassword({ currentPassword: "granite-willow-comet-2288", newPassword: BOB_PASSWORD });

    expect((await bob.getSession()).language).toBeNull();
    const changed = await bob.updateAccount({ displayName: "  Robert Durand ", language: "fr" });
    expect(changed).toMatchObject({ username: "bob", displayName: "Robert Durand", language: "fr" });
    expect((await bob.getSession()).language).toBe("fr");
    expect((await bob.getAccount()).displayName).toBe("Robert Durand");
    expect((await bob.updateAccount({ language: null })).language).toBeNull();
    expect((await rejection(bob.updateAccount({ displayName: "   " }))).key).toBe("display_name_required");
  });

  it("deletes a user in one transaction, their entries passing to the owner chosen", async () => {
    const carolId = await join("carol", "member");
    const carol = await signIn("carol", BOB_PASSWORD);
    const entry = (await carol.createEntry({ name: "Registrar", seed: { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" } })).entry;
    const bobId = (await usersNow()).find((u) => u.username === "bob")!.id; // an auditor now
    const adaId = (await admin.getSession()).user.id;

    const missing = await rejection(admin.deleteUser(carolId));
    expect([missing.status, missing.key, missing.params]).toEqual([409, "user_owns_entries", { count: 1 }]);
    for (const to of [bobId, carolId, "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"]) expect((await rejection(admin.deleteUser(carolId, to))).key).toBe("entries_recipient_invalid");
    expect((await carol.getSession()).user.username).toBe("carol"); // nothing changed
    await admin.deleteUser(carolId, adaId);
    expect((await admin.getEntry(entry.id)).ownerId).toBe(adaId);
    expect((await usersNow()).map((u) => u.username)).not.toContain("carol");
    expect((await rejection(carol.getSession())).status).toBe(401);
    expect((await rejection(admin.deleteUser(carolId, adaId))).key).toBe("user_id_not_found");
    expect((await actions()).find((a) => a.action === "user.deleted")?.details).toMatchObject({ username: "carol", entriesMoved: 1, entriesTo: adaId });
  });

  it("answers 403 to members and auditors for every administrator's verb, and shows them no other user", async () => {
    const memberId = await join("mona", "member");
    const member = await signIn("mona", BOB_PASSWORD);
    const auditor = await signIn("bob", BOB_PASSWORD);
    const adaId = (await admin.getSession()).user.id;
    for (const client of [member, auditor]) {
      const verbs = [
        () => client.listUsers(),
        () => client.inviteUser({ username: "mallory", role: "admin" }),
        () => client.changeRole(memberId, "admin"),
        () => client.disableUser(adaId),
        () => client.enableUser(adaId),
        () => client.issuePasswordReset(adaId),
        () => client.reissueInvite(adaId),
        () => client.deleteUser(adaId),
        () => client.listGroups(),
        () => client.createGroup("Mallory's"),
      ];
      for (const verb of verbs) {
        const refused = await rejection(verb());
        expect([refused.status, refused.key]).toEqual([403, "people_forbidden"]);
      }
      expect(Object.keys(await client.getAccount()).sort()).toEqual(["createdAt", "disabledAt", "displayName", "email", "id", "language", "locked", "role", "status", "username"]);
    }
    expect((await usersNow()).map((u) => u.username)).not.toContain("mallory");
    expect((await admin.getSession()).user.role).toBe("admin");
  });

  it("refuses hostile input with a 4xx and a catalogued key, changing nothing", async () => {
    const before = JSON.stringify(await usersNow());
    const bobId = (await usersNow()).find((u) => u.username === "bob")!.id;
    const cases: [() => Promise<unknown>, number, string][] = [
      [() => admin.inviteUser({ username: "x".repeat(65), role: "member" }), 400, "field_too_long"],
      [() => admin.inviteUser({ username: "no spaces", role: "member" }), 400, "username_invalid"],
      [() => admin.inviteUser({ username: "eve", role: "root" as "admin" }), 400, "field_not_allowed"],
      [() => admin.inviteUser({ username: "eve", role: "member", displayName: "Eve\u0007" }), 400, "text_control_character_line"],
      [() => admin.inviteUser({ username: "eve", role: "member", displayName: "E".repeat(101) }), 400, "field_too_long"],
      [() => admin.inviteUser({ username: "eve", role: "member", email: "not an address" }), 400, "field_wrong_format"],
      [() => admin.changeRole(bobId, "superuser" as "admin"), 400, "field_not_allowed"],
      [() => admin.changeRole("not-a-uuid", "member"), 400, "field_wrong_format"],
      [() => admin.changeRole("0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e", "member"), 404, "user_id_not_found"],
      [() => admin.disableUser("0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"), 404, "user_id_not_found"],
      [() => admin.enableUser("0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"), 404, "user_id_not_found"],
      [() => admin.issuePasswordReset("0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"), 404, "user_id_not_found"],
      [() => admin.deleteUser("0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"), 404, "user_id_not_found"],
      [() => admin.deleteUser(bobId, "not-a-uuid"), 400, "field_wrong_format"],
      [() => admin.updateAccount({ displayName: "Ada\nLovelace" }), 400, "text_control_character_line"],
      [() => admin.updateAccount({ language: "de" as "en" }), 400, "field_not_allowed"],
      [() => server.newClient().acceptInvite({ token: "x".repeat(201), password: BOB_PASSWORD }), 400, "field_too_long"],
      [() => server.newClient().acceptInvite({ token: "forged-token", password: BOB_PASSWORD }), 404, "invite_link_invalid"],
      [() => server.newClient().completePasswordReset({ token: "forged-token", password: BOB_PASSWORD }), 404, "reset_link_invalid"],
    ];
    for (const [call, status, key] of cases) {
      const refused = await rejection(call());
      expect([refused.status, refused.key], key).toEqual([status, key]);
    }
    expect(JSON.stringify(await usersNow())).toBe(before);
  });

  it("keeps tokens and passwords out of the database, the logs and the audit log", async () => {
    expect(planted.length).toBeGreaterThan(5);
    const dump = await dumpDatabase(db);
    const events = JSON.stringify(await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 }));
    const logs = server.logs.join("");
    for (const secret of planted) {
      expect(dump.includes(secret), "database").toBe(false);
      expect(events.includes(secret), "audit").toBe(false);
      expect(logs.includes(secret), "logs").toBe(false);
    }
  });

  it("lets a reset link expire after a day and an invitation after seven", async () => {
    const invited = await admin.inviteUser({ username: "late", role: "member" });
    const reset = await admin.issuePasswordReset((await usersNow()).find((u) => u.username === "bob")!.id);
    clock.advance(RESET_LINK_LIFETIME_MS + 1);
    const resetExpired = await rejection(server.newClient().completePasswordReset({ token: tokenOf(reset.link), password: "orchid-lantern-basalt-3321" }));
    expect([resetExpired.status, resetExpired.key]).toEqual([404, "reset_link_invalid"]);
    expect((await server.newClient().checkInvite(tokenOf(invited.link))).username).toBe("late");
    clock.advance(INVITE_LINK_LIFETIME_MS - RESET_LINK_LIFETIME_MS);
    const expired = await rejection(server.newClient().acceptInvite({ token: tokenOf(invited.link), password: BOB_PASSWORD }));
    expect([expired.status, expired.key]).toEqual([404, "invite_link_invalid"]);
    expect((await server.vault.store.users.findUserByUsername("late"))?.passwordHash).toBe("");
  });
});
