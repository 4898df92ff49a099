// Sudo mode on both databases: every sensitive change (the password, API tokens, a seed's
// overwrite, revealing all recovery codes of an entry, managing users, sign-in recovery codes,
// passkey registration) answers 403 reauthentication_required once the sudo window of the sign-in
// or re-authentication has passed, changes nothing then, and works again after POST
// /auth/reauthenticate, until the window (WATCHWORD_SUDO_MINUTES) ends. Time runs on a ManualClock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { nextAuthenticatorCode, reauthenticateWithAuthenticator, signInWithAuthenticator } from "../support/admin-authenticator.js";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";

const PASSWORD = "plum-orbit-lantern-4417";
const MINUTE = 60 * 1000;

describe.each(databaseKinds)("sudo mode on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  let admin: WatchwordClient;
  let cli: WatchwordClient;
  let entryId = "";
  let serviceAccountId = "";
  let bobId = "";

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock, env: { WATCHWORD_PUBLIC_URL: "https://vault.example.test" } });
    await insertNewUser(server.vault.store.users, { username: "ada", role: "admin", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    bobId = (await insertNewUser(server.vault.store.users, { username: "bob", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now())).id;
    admin = server.newClient();
    // An administrator once others exist has a second factor: the test authenticator enrols one.
    await signInWithAuthenticator(server.url, admin, { username: "ada", password: PASSWORD });
    // A fresh sign-in proved the password and the second factor: it starts in sudo mode.
    entryId = (await admin.createEntry({ name: "Registrar", seed: { secret: "JBSWY3DPEHPK3PXP" }, recoveryCodes: ["alpha-1111", "bravo-2222"] })).entry.id;
    serviceAccountId = (await admin.createServiceAccount({ name: "deploy-bot" })).id;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  /** Each sensitive change, as a person would make it; run several times, so each must be repeatable. The password change ends the other sessions. */
  const actions: readonly [string, (client: WatchwordClient) => Promise<unknown>][] = [
    ["change the password", (c) => c.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD })],
    ["create an API token", (c) => c.createApiToken(serviceAccountId, { label: "CI", scope: { entryIds: [entryId], folderIds: [], permissions: ["use"] } })],
    ["overwrite a seed", (c) => c.overwriteSeed(entryId, { secret: "GEZDGNBVGY3TQOJQ" })],
    ["reveal all recovery codes", (c) => c.revealAllRecoveryCodes(entryId, "audit of the registrar account")],
    ["invite a user", (c) => c.inviteUser({ username: `carol${Math.round(Math.random() * 1e9)}`, role: "member" })],
    ["issue a password-reset link", (c) => c.issuePasswordReset(bobId)],
    ["change a role", (c) => c.changeRole(bobId, "member")],
    ["disable a user", (c) => c.disableUser(bobId)],
    ["enable a user", (c) => c.enableUser(bobId)],
    ["make sign-in recovery codes", (c) => c.generateRecoveryCodes()],
    ["begin registering a passkey", (c) => c.passkeyRegistrationOptions()],
  ];

  it("allows every sensitive change in the window a sign-in opens", async () => {
    for (const [, act] of actions) await act(admin);
  });

  it("refuses each with 403 reauthentication_required once the window passed, changing nothing", async () => {
    const { token } = await signInWithAuthenticator(server.url, server.newClient(), { username: "ada", password: PASSWORD, client: "cli" });
    cli = server.newClient({ token: token! });
    clock.advance(10 * MINUTE);
    const entryBefore = await server.vault.store.entries.findEntry(entryId as never);
    const usersBefore = await admin.listUsers();
    const tokensBefore = await admin.listApiTokens();
    for (const [name, act] of actions) {
      for (const client of [admin, cli]) {
        const refused = await rejection(act(client));
        expect([refused.status, refused.key], name).toEqual([403, "reauthentication_required"]);
      }
    }
    const doomed = await rejection(admin.deleteUser(bobId));
    expect([doomed.status, doomed.key]).toEqual([403, "reauthentication_required"]);
    expect(await server.vault.store.entries.findEntry(entryId as never)).toEqual(entryBefore);
    expect(await admin.listUsers()).toEqual(usersBefore);
    expect(await admin.listApiTokens()).toEqual(tokensBefore);
    // The old password still passes the first step: the change was refused.
    expect((await server.newClient().startSignIn({ username: "ada", password: PASSWORD })).status).toBe("mfa_required");
  });

  it("allows them again after re-authenticating, until the window ends; a bearer token re-authenticates on its own", async () => {
    // Without the second factor the answer says only that it is missing; with it, that the password is wrong.
    const bare = await rejection(admin.reauthenticate({ password: "not-the-password-at-all" }));
    expect([bare.status, bare.key]).toEqual([400, "second_factor_required"]);
    const wrong = await rejection(admin.reauthenticate({ password: "not-the-password-at-all", method: "totp", code: await nextAuthenticatorCode(server.url, "ada") }));
    expect([wrong.status, wrong.key]).toEqual([400, "current_password_wrong"]);
    await rejection(actions[1]![1](admin)).then((r) => expect(r.key).toBe("reauthentication_required"));

    const sudo = await admin.reauthenticate({ password: PASSWORD, method: "totp", code: await nextAuthenticatorCode(server.url, "ada") });
    expect(Date.parse(sudo.reauthenticatedUntil)).toBe(clock.now() + 10 * MINUTE);
    // The CLI's session is its own: still refused until it re-authenticates too.
    expect((await rejection(cli.changeRole(bobId, "member"))).key).toBe("reauthentication_required");
    await reauthenticateWithAuthenticator(server.url, cli, "ada", PASSWORD);
    expect((await cli.changeRole(bobId, "member")).role).toBe("member");
    for (const [, act] of actions) await act(admin);

    clock.advance(10 * MINUTE - 1000);
    await expect(admin.changeRole(bobId, "member")).resolves.toMatchObject({ role: "member" });
    clock.advance(1000);
    expect((await rejection(admin.changeRole(bobId, "member"))).key).toBe("reauthentication_required");
    await reauthenticateWithAuthenticator(server.url, admin, "ada", PASSWORD);
    await admin.deleteUser(bobId);
    expect((await admin.listUsers()).users.map((u) => u.username)).not.toContain("bob");
  });

  it("keeps a one-time link's session out of sudo mode: it proved an address, not a password", async () => {
    await reauthenticateWithAuthenticator(server.url, admin, "ada", PASSWORD);
    const invited = await admin.inviteUser({ username: "dora", role: "member" });
    const dora = server.newClient();
    const token = new URL(invited.link).hash.replace(/^#token=/, "");
    expect((await dora.acceptInvite({ token, password: "quartz-meadow-harbor-7781" })).status).toBe("signed_in");
    expect((await rejection(dora.generateRecoveryCodes())).key).toBe("reauthentication_required");
    await dora.reauthenticate({ password: "quartz-meadow-harbor-7781" });
    expect((await dora.generateRecoveryCodes()).codes).toHaveLength(10);
  });
});
