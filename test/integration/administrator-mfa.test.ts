// Administrators must have a second factor once any other enabled user exists (issue 10), on both
// databases, whatever the administrators' rule says: alone (first-run setup) an administrator signs
// in as before; once someone else is enabled, an administrator with no second factor signs in to a
// session that may only enrol (reason "administrator"), which becomes a full one once they enrol.
// Members without a factor and service accounts' API tokens are not affected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { newGrantId, type EntryId, type ServiceAccountId, type UserId } from "../../src/core/ids.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { enrolAuthenticator, nextAuthenticatorCode } from "../support/admin-authenticator.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const ALL_METHODS = ["totp", "passkey", "push"];

describe.each(databaseKinds)("administrators must have a second factor once others use the vault, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Math.floor(Date.now() / 30_000) * 30_000 + 5_000);
  const signIn = async (username: string) => {
    const client = server.newClient();
    const reply = await client.startSignIn({ username, password: PASSWORD });
    return { client, reply };
  };
  const addUser = async (username: string, role: "admin" | "member") =>
    (await insertNewUser(server.vault.store.users, { username, role, password: Secret.fromUtf8(PASSWORD) }, clock.now())).id as UserId;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("leaves the first administrator alone: setup, and signing in while nobody else is enabled", async () => {
    const setup = server.newClient();
    const completed = await setup.completeSetup({ token: await server.createSetupToken(), username: "ada", displayName: "Ada", password: PASSWORD });
    expect(completed.session.secondFactorEnrolment).toBeUndefined();
    expect((await setup.listEntries()).entries).toEqual([]);
    const ada = await server.vault.store.users.findUserByUsername("ada");
    expect(await server.vault.store.users.hasOtherEnabledUser(ada!.id)).toBe(false);

    // Another user who is disabled does not count.
    const bo = await addUser("bo", "member");
    await server.vault.store.users.updateUser(bo, { disabledAt: clock.now() }, clock.now());
    expect(await server.vault.store.users.hasOtherEnabledUser(ada!.id)).toBe(false);
    const { client, reply } = await signIn("ada");
    expect(reply.status === "signed_in" && reply.session.secondFactorEnrolment).toBeUndefined();
    expect((await client.listEntries()).entries).toEqual([]);
  });

  it("gives an administrator without a second factor a session that may only enrol once another user is enabled", async () => {
    const bo = (await server.vault.store.users.findUserByUsername("bo"))!.id;
    await server.vault.store.users.updateUser(bo, { disabledAt: null }, clock.now());
    const ada = (await server.vault.store.users.findUserByUsername("ada"))!.id;
    expect(await server.vault.store.users.hasOtherEnabledUser(ada)).toBe(true);
    expect(await server.vault.store.users.hasOtherEnabledUser(bo)).toBe(true);

    const { client, reply } = await signIn("ada");
    expect(reply.status).toBe("signed_in");
    expect(reply.status === "signed_in" && reply.session.secondFactorEnrolment).toEqual({ methods: ALL_METHODS, reason: "administrator" });
    expect((await client.getSession()).secondFactorEnrolment).toEqual({ methods: ALL_METHODS, reason: "administrator" });
    // Everything but enrolling is refused, people management and the rule included.
    for (const call of [() => client.listEntries(), () => client.listUsers(), () => client.getMfaEnforcement()]) {
      const refused = await rejection(call());
      expect([refused.status, refused.key]).toEqual([403, "second_factor_enrolment_required"]);
    }
    expect((await client.listFactors()).factors).toEqual([]);

    // Once an authenticator app is enrolled, the same session opens up, and the next sign-in asks for it.
    await enrolAuthenticator(server.url, client, "ada", PASSWORD);
    expect((await client.getSession()).secondFactorEnrolment).toBeUndefined();
    expect((await client.listUsers()).users.map((u) => u.username)).toEqual(["ada", "bo"]);
    const next = await signIn("ada");
    expect(next.reply.status).toBe("mfa_required");
    clock.advance(30_000);
    const finished = await next.client.finishSignIn({ method: "totp", code: await nextAuthenticatorCode(server.url, "ada") });
    expect(finished.session.secondFactorEnrolment).toBeUndefined();
  });

  it("does not ask it of a member without a second factor while the rule is off", async () => {
    const { client, reply } = await signIn("bo");
    expect(reply.status === "signed_in" && reply.session.secondFactorEnrolment).toBeUndefined();
    expect((await client.listEntries()).entries).toEqual([]);
  });

  it("applies to a second administrator too, and says so whatever the rule's methods", async () => {
    await addUser("cy", "admin");
    const { reply } = await signIn("cy");
    expect(reply.status === "signed_in" && reply.session.secondFactorEnrolment).toEqual({ methods: ALL_METHODS, reason: "administrator" });
    // With a rule on (everyone, authenticator app), the rule's methods are the ones offered.
    const ada = server.newClient();
    const first = await ada.startSignIn({ username: "ada", password: PASSWORD });
    expect(first.status).toBe("mfa_required");
    clock.advance(30_000);
    await ada.finishSignIn({ method: "totp", code: await nextAuthenticatorCode(server.url, "ada") });
    await ada.setMfaEnforcement({ scope: "everyone", methods: ["totp"] });
    const again = await signIn("cy");
    expect(again.reply.status === "signed_in" && again.reply.session.secondFactorEnrolment).toEqual({ methods: ["totp"], reason: "administrator" });
    const member = await signIn("bo");
    expect(member.reply.status === "signed_in" && member.reply.session.secondFactorEnrolment).toEqual({ methods: ["totp"], reason: "rule" });
    await ada.setMfaEnforcement({ scope: "off", methods: [] });
  });

  it("does not touch service accounts' API tokens", async () => {
    const ada = server.newClient();
    await ada.startSignIn({ username: "ada", password: PASSWORD });
    clock.advance(30_000);
    await ada.finishSignIn({ method: "totp", code: await nextAuthenticatorCode(server.url, "ada") });
    const { entry } = await ada.createEntry({ name: "AWS root", seed: { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" } });
    const account = await ada.createServiceAccount({ name: "deploy-bot" });
    const adaId = (await server.vault.store.users.findUserByUsername("ada"))!.id;
    const principal = { kind: "service_account", id: account.id as ServiceAccountId } as const;
    await server.vault.store.grants.insertGrant({ id: newGrantId(), principal, scope: { kind: "entry", id: entry.id as EntryId }, permission: "use", expiresAt: null, accessRequestId: null, createdBy: adaId, createdAt: clock.now() });
    const created = await ada.createApiToken(account.id, { label: "CI", scope: { entryIds: [entry.id], folderIds: [], permissions: ["use"] } });
    // A script's token gets its code: no enrolment is asked of a service account.
    const script = createClient({ baseUrl: server.url, token: created.token });
    expect((await script.getCode(entry.id)).code).toMatch(/^\d{6}$/);
  });
});
