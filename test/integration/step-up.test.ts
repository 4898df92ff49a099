// Step-up before codes, on both databases: an entry (or its folder) that asks for a fresh second
// factor answers its code 403 step_up_required until the session gives one, which then serves that
// session and that entry (or folder) for WATCHWORD_STEP_UP_MINUTES only; wrong, malformed and
// replayed codes are refused and audited and mark nothing; a service account's token and a user
// without a factor are told why; the code itself never reaches the audit log. Every way to a code
// asks: the code, a batch, an emergency (break-glass) code, a recovery code, all recovery codes.
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import { reauthenticateWithAuthenticator, signInWithAuthenticator } from "../support/admin-authenticator.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const STEP_MS = 30_000;

describe.each(databaseKinds)("step-up before codes, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  // The start of a time step plus 10 s, so that a test's few steps never straddle one by accident.
  const clock = new ManualClock(Math.floor(Date.now() / STEP_MS) * STEP_MS + 10_000);
  let admin: WatchwordClient;
  let mia: WatchwordClient;
  let noa: WatchwordClient;
  let miaSeed = "";
  const ids = { secret: "", folder: "", inFolderA: "", inFolderB: "", plain: "" };
  const miaCode = (offsetSteps = 0) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(miaSeed), digits: 6, period: 30 }).generate({ timestamp: clock.now() + offsetSteps * STEP_MS });

  const signIn = async (username: string) => {
    const client = server.newClient();
    // The administrator among others gets the test authenticator (admin-authenticator.ts).
    if (username === "ada") {
      await signInWithAuthenticator(server.url, client, { username, password: PASSWORD });
      return client;
    }
    const first = await client.startSignIn({ username, password: PASSWORD });
    if (first.status === "mfa_required") {
      // A step of its own, so that the sign-in's code is not the one a step-up uses next.
      clock.advance(STEP_MS);
      await client.finishSignIn({ method: "totp", code: miaCode() });
      clock.advance(STEP_MS);
    }
    return client;
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    for (const [username, role] of [["ada", "admin"], ["mia", "member"], ["noa", "member"]] as const) {
      await insertNewUser(server.vault.store.users, { username, role, password: Secret.fromUtf8(PASSWORD) }, clock.now());
    }
    admin = await signIn("ada");
    mia = await signIn("mia");
    noa = await signIn("noa");
    // Mia has an authenticator app; Noa has none.
    await mia.reauthenticate({ password: PASSWORD });
    const enrolment = await mia.startTotpEnrolment();
    miaSeed = enrolment.manualKey.replaceAll(" ", "");
    await mia.confirmTotpEnrolment(enrolment.factorId, { code: miaCode(), name: "Phone" });

    const folder = await admin.createFolder({ name: "Finance" });
    ids.folder = folder.id;
    ids.secret = (await admin.createEntry({ name: "AWS root", seed: { secret: SEED } })).entry.id;
    ids.plain = (await admin.createEntry({ name: "Wiki", seed: { secret: SEED } })).entry.id;
    ids.inFolderA = (await admin.createEntry({ name: "Bank", folderId: folder.id, seed: { secret: SEED } })).entry.id;
    ids.inFolderB = (await admin.createEntry({ name: "Broker", folderId: folder.id, seed: { secret: SEED } })).entry.id;
    const users = (await admin.listUsers()).users;
    for (const username of ["mia", "noa"]) {
      const id = users.find((u) => u.username === username)!.id;
      for (const entryId of [ids.secret, ids.plain]) await admin.createGrant({ principal: { kind: "user", id }, scope: { kind: "entry", id: entryId }, permission: "use" });
      await admin.createGrant({ principal: { kind: "user", id }, scope: { kind: "folder", id: folder.id }, permission: "use" });
    }
    await admin.setEntryPolicy(ids.secret, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    await admin.setFolderStepUp(folder.id, true);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("refuses the code with step_up_required until the session gives a second factor, then hands it out", async () => {
    expect(await admin.getEntryPolicy(ids.secret)).toMatchObject({ stepUpRequired: true, stepUpFromFolder: false });
    const refused = await rejection(mia.getCode(ids.secret));
    expect([refused.status, refused.key]).toEqual([403, "step_up_required"]);
    // Entries that do not ask are as before.
    expect((await mia.getCode(ids.plain)).code).toMatch(/^\d{6}$/);

    clock.advance(STEP_MS);
    const passed = await mia.stepUp(ids.secret, { method: "totp", code: miaCode() });
    expect(passed.scope).toBe("entry");
    expect(Date.parse(passed.stepUpUntil) - clock.now()).toBe(5 * 60 * 1000);
    const code = await mia.getCode(ids.secret);
    expect(code.code).toMatch(/^\d{6}$/);
    // Reusable within the window, by this session only.
    expect((await mia.getCode(ids.secret)).code).toBe(code.code);
    const otherSession = await signIn("mia");
    expect((await rejection(otherSession.getCode(ids.secret))).key).toBe("step_up_required");
  });

  it("refuses wrong, malformed and replayed codes, audits them, and marks nothing", async () => {
    const fresh = await signIn("mia");
    const wrong = await rejection(fresh.stepUp(ids.secret, { method: "totp", code: miaCode(10) }));
    expect([wrong.status, wrong.key]).toEqual([400, "second_factor_code_incorrect"]);
    const malformed = await rejection(fresh.stepUp(ids.secret, { method: "totp", code: "12ab56" }));
    expect([malformed.status, malformed.key]).toEqual([400, "second_factor_code_malformed"]);
    const unknownMethod = await rejection(fresh.stepUp(ids.secret, { method: "carrier-pigeon", code: "123456" }));
    expect([unknownMethod.status, unknownMethod.key]).toEqual([400, "second_factor_method_unavailable"]);
    // The code of the step this sign-in used (one step ago, within drift): already accepted once, so refused.
    const replayed = await rejection(fresh.stepUp(ids.secret, { method: "totp", code: miaCode(-1) }));
    expect([replayed.status, replayed.key]).toEqual([400, "second_factor_code_replayed"]);
    expect((await rejection(fresh.getCode(ids.secret))).key).toBe("step_up_required");

    const events = (await admin.listAuditEvents({ action: "user.step_up_failed" })).events;
    expect(events.map((e) => [e.outcome, e.reason])).toEqual(expect.arrayContaining([["failure", "wrong_code"], ["denied", "replayed_code"]]));
    const passedEvents = (await admin.listAuditEvents({ action: "user.step_up_passed" })).events;
    expect(passedEvents).toHaveLength(1);
    expect(passedEvents[0]).toMatchObject({ actor: { name: "mia" }, outcome: "success", entry: { id: ids.secret } });
    expect(JSON.stringify([...events, ...passedEvents])).not.toContain(miaCode(-1));
  });

  it("asks again once the window has passed (ManualClock)", async () => {
    clock.advance(5 * 60 * 1000);
    expect((await rejection(mia.getCode(ids.secret))).key).toBe("step_up_required");
    await mia.stepUp(ids.secret, { method: "totp", code: miaCode() });
    expect((await mia.getCode(ids.secret)).code).toMatch(/^\d{6}$/);
    clock.advance(5 * 60 * 1000 - 1);
    expect((await mia.getCode(ids.secret)).code).toMatch(/^\d{6}$/);
    clock.advance(1);
    expect((await rejection(mia.getCode(ids.secret))).key).toBe("step_up_required");
  });

  it("a folder's rule asks once for every entry of the folder", async () => {
    clock.advance(STEP_MS);
    expect(await admin.getEntryPolicy(ids.inFolderA)).toMatchObject({ stepUpRequired: false, stepUpFromFolder: true });
    expect((await rejection(mia.getCode(ids.inFolderA))).key).toBe("step_up_required");
    expect((await rejection(mia.getCode(ids.inFolderB))).key).toBe("step_up_required");
    expect((await mia.stepUp(ids.inFolderA, { method: "totp", code: miaCode() })).scope).toBe("folder");
    expect((await mia.getCode(ids.inFolderB)).code).toMatch(/^\d{6}$/);
    // The folder's step-up does not stand for an entry that asks on its own.
    expect((await rejection(mia.getCode(ids.secret))).key).toBe("step_up_required");
    // Only administrators change a folder's rule; it is audited.
    const notAdmin = await rejection(mia.setFolderStepUp(ids.folder, false));
    expect([notAdmin.status, notAdmin.key]).toEqual([403, "folder_step_up_forbidden"]);
    expect((await rejection(mia.getFolderStepUp(ids.folder))).key).toBe("folder_step_up_forbidden");
    expect(await admin.getFolderStepUp(ids.folder)).toEqual({ required: true });
    expect((await rejection(admin.setFolderStepUp("7e0c8f3a-1b2d-4c5e-9f6a-0b1c2d3e4f5a", true))).status).toBe(404);
    expect((await admin.listAuditEvents({ action: "folder.step_up_set" })).events[0]).toMatchObject({ actor: { name: "ada" }, target: { id: ids.folder } });
  });

  it("leaves entries that ask out of a batch, and says why", async () => {
    const fresh = await signIn("mia");
    const batch = await fresh.batchCodes();
    expect(batch.codes.map((c) => c.entryId)).toEqual([ids.plain]);
    expect(batch.problems.map((p) => [p.entryId, p.code, p.key]).sort()).toEqual(
      [ids.secret, ids.inFolderA, ids.inFolderB].map((id) => [id, "step_up_required", "step_up_required"]).sort(),
    );
  });

  it("tells a user without a second factor, and a service account's token, why they get no code", async () => {
    const none = await rejection(noa.getCode(ids.secret));
    expect([none.status, none.key]).toEqual([403, "step_up_factor_missing"]);
    const cannot = await rejection(noa.stepUp(ids.secret, { method: "totp", code: "123456" }));
    expect([cannot.status, cannot.key]).toEqual([403, "step_up_factor_missing"]);
    const notAsked = await rejection(mia.stepUp(ids.plain, { method: "totp", code: miaCode() }));
    expect([notAsked.status, notAsked.key]).toEqual([409, "step_up_not_required"]);

    await reauthenticateWithAuthenticator(server.url, admin, "ada", PASSWORD); // the clock has moved past the sign-in's sudo window
    const bot = await admin.createServiceAccount({ name: "deploy-bot" });
    await admin.createGrant({ principal: { kind: "service_account", id: bot.id }, scope: { kind: "entry", id: ids.secret }, permission: "use" });
    await admin.createGrant({ principal: { kind: "service_account", id: bot.id }, scope: { kind: "entry", id: ids.plain }, permission: "use" });
    const { token } = await admin.createApiToken(bot.id, { scope: { entryIds: [ids.secret, ids.plain], folderIds: [], permissions: ["use"] } });
    const script = server.newClient({ token });
    const refused = await rejection(script.getCode(ids.secret));
    expect([refused.status, refused.key]).toEqual([403, "step_up_not_for_tokens"]);
    expect((await script.getCode(ids.plain)).code).toMatch(/^\d{6}$/);
    const batch = await script.batchCodes();
    expect(batch.problems.map((p) => [p.entryId, p.key])).toEqual([[ids.secret, "step_up_not_for_tokens"]]);
    // A denied code is audited as one.
    const denied = (await admin.listAuditEvents({ action: "code.issued", outcome: "denied" })).events;
    expect(denied.some((e) => e.entry?.id === ids.secret && e.actor.name === "deploy-bot")).toBe(true);
  });

  it("asks before an emergency (break-glass) code, and records no emergency use it refused", async () => {
    const guarded = (await admin.createEntry({ name: "Payroll", seed: { secret: SEED } })).entry.id;
    await admin.setEntryPolicy(guarded, { approvalsRequired: 1, emergencyAccess: true, stepUpRequired: true });
    const users = (await admin.listUsers()).users;
    for (const username of ["mia", "noa"]) {
      await admin.createGrant({ principal: { kind: "user", id: users.find((u) => u.username === username)!.id }, scope: { kind: "entry", id: guarded }, permission: "use" });
    }
    const fresh = await signIn("mia");
    const refused = await rejection(fresh.emergencyCode(guarded, "Payroll run is stuck"));
    expect([refused.status, refused.key]).toEqual([403, "step_up_required"]);
    const none = await rejection(noa.emergencyCode(guarded, "Payroll run is stuck"));
    expect([none.status, none.key]).toEqual([403, "step_up_factor_missing"]);
    // A refused break glass is no emergency use: nothing waits for review.
    expect((await admin.listAccessRequests("to-review")).requests.filter((r) => r.target.id === guarded)).toEqual([]);

    // Mia may not use the entry without an approval, yet she may step up for it: breaking the glass is her way to its code.
    clock.advance(STEP_MS);
    expect((await fresh.stepUp(guarded, { method: "totp", code: miaCode() })).scope).toBe("entry");
    const issued = await fresh.emergencyCode(guarded, "Payroll run is stuck");
    expect(issued.code).toMatch(/^\d{6}$/);
    expect((await admin.listAccessRequests("to-review")).requests.filter((r) => r.target.id === guarded)).toHaveLength(1);
  });

  it("asks before each recovery code: one reveal, all of them, by a token too", async () => {
    const users = (await admin.listUsers()).users;
    const miaId = users.find((u) => u.username === "mia")!.id;
    // An entry Mia may only recover (no use grant): she steps up for it all the same.
    const mail = (await admin.createEntry({ name: "Root mail", seed: { secret: SEED }, recoveryCodes: ["alpha-1111", "bravo-2222", "charlie-3333"] })).entry.id;
    await admin.setEntryPolicy(mail, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    await admin.createGrant({ principal: { kind: "user", id: miaId }, scope: { kind: "entry", id: mail }, permission: "recover" });
    // One in the folder that asks: its rule covers recovery codes as well.
    const inFolder = (await admin.createEntry({ name: "Bank mail", folderId: ids.folder, seed: { secret: SEED }, recoveryCodes: ["delta-4444", "echo-5555"] })).entry.id;
    await admin.createGrant({ principal: { kind: "user", id: miaId }, scope: { kind: "entry", id: inFolder }, permission: "recover" });

    const fresh = await signIn("mia");
    for (const id of [mail, inFolder]) {
      const refused = await rejection(fresh.revealNextRecoveryCode(id, "Lost the phone"));
      expect([refused.status, refused.key]).toEqual([403, "step_up_required"]);
    }
    clock.advance(STEP_MS);
    await fresh.stepUp(mail, { method: "totp", code: miaCode() });
    expect(await fresh.revealNextRecoveryCode(mail, "Lost the phone")).toEqual({ code: "alpha-1111", remaining: 2 });
    // The entry's step-up does not stand for the folder's.
    expect((await rejection(fresh.revealNextRecoveryCode(inFolder, "Lost the phone"))).key).toBe("step_up_required");

    // Reveal all (the owner's, in sudo mode: the sign-in opened it) asks as well.
    const own = (await fresh.createEntry({ name: "Mia's mail", seed: { secret: SEED }, recoveryCodes: ["foxtrot-6666", "golf-7777"] })).entry.id;
    await fresh.setEntryPolicy(own, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    const all = await rejection(fresh.revealAllRecoveryCodes(own, "Printing a new sheet"));
    expect([all.status, all.key]).toEqual([403, "step_up_required"]);
    clock.advance(STEP_MS);
    await fresh.stepUp(own, { method: "totp", code: miaCode() });
    expect((await fresh.revealAllRecoveryCodes(own, "Printing a new sheet")).codes.map((c) => c.code)).toEqual(["foxtrot-6666", "golf-7777"]);

    // Nothing was claimed by the refusals: the refused reveal's code is still the next one.
    expect((await admin.getEntry(mail)).recoveryCodes).toEqual({ total: 3, remaining: 2 });
    const denied = (await admin.listAuditEvents({ action: "recovery_code.revealed", outcome: "denied" })).events;
    expect(denied.filter((e) => e.entry?.id === inFolder && e.actor.name === "mia")).toHaveLength(2);

    await reauthenticateWithAuthenticator(server.url, admin, "ada", PASSWORD);
    const bot = await admin.createServiceAccount({ name: "mail-bot" });
    await admin.createGrant({ principal: { kind: "service_account", id: bot.id }, scope: { kind: "entry", id: mail }, permission: "recover" });
    const { token } = await admin.createApiToken(bot.id, { scope: { entryIds: [mail], folderIds: [], permissions: ["recover"] } });
    const script = server.newClient({ token });
    const tokenRefused = await rejection(script.revealNextRecoveryCode(mail, "Nightly check"));
    expect([tokenRefused.status, tokenRefused.key]).toEqual([403, "step_up_not_for_tokens"]);
  });

  it("asks before a secret field of the entry's template, as before its code (the entry's rule and the folder's)", async () => {
    const users = (await admin.listUsers()).users;
    const miaId = users.find((u) => u.username === "mia")!.id;
    const noaId = users.find((u) => u.username === "noa")!.id;
    const PLANTED = "vault-password-planted-9931";
    const portal = (await admin.createEntry({ name: "Bank portal", templateId: "web-app-otp", seed: { secret: SEED }, fields: { password: PLANTED } })).entry.id;
    await admin.setEntryPolicy(portal, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    const inFolder = (await admin.createEntry({ name: "Broker portal", folderId: ids.folder, templateId: "web-app-otp", seed: { secret: SEED }, fields: { password: PLANTED } })).entry.id;
    for (const principal of [miaId, noaId]) await admin.createGrant({ principal: { kind: "user", id: principal }, scope: { kind: "entry", id: portal }, permission: "use" });

    const fresh = await signIn("mia");
    for (const id of [portal, inFolder]) {
      const refused = await rejection(fresh.revealField(id, "password", "Paying an invoice"));
      expect([refused.status, refused.key]).toEqual([403, "step_up_required"]);
      expect(JSON.stringify(refused)).not.toContain(PLANTED);
    }
    const none = await rejection(noa.revealField(portal, "password", "Paying an invoice"));
    expect([none.status, none.key]).toEqual([403, "step_up_factor_missing"]);

    clock.advance(STEP_MS);
    await fresh.stepUp(portal, { method: "totp", code: miaCode() });
    expect((await fresh.revealField(portal, "password", "Paying an invoice")).value).toBe(PLANTED);
    // The entry's step-up does not stand for the folder's; the folder's serves every entry of it.
    expect((await rejection(fresh.revealField(inFolder, "password", "Paying an invoice"))).key).toBe("step_up_required");
    clock.advance(STEP_MS);
    await fresh.stepUp(inFolder, { method: "totp", code: miaCode() });
    expect((await fresh.revealField(inFolder, "password", "Paying an invoice")).value).toBe(PLANTED);

    // Each refusal is audited as a denied reveal, and no event carries the value.
    const revealed = (await admin.listAuditEvents({ action: "field.revealed" })).events.filter((e) => e.entry?.id === portal || e.entry?.id === inFolder);
    expect(revealed.filter((e) => e.outcome === "denied").map((e) => [e.actor.name, e.entry?.id]).sort()).toEqual(
      [["mia", portal], ["mia", inFolder], ["mia", inFolder], ["noa", portal]].sort(),
    );
    expect(revealed.filter((e) => e.outcome === "success")).toHaveLength(2);
    expect(JSON.stringify(revealed)).not.toContain(PLANTED);
  });

  it("stops asking once the entry's policy no longer does", async () => {
    const fresh = await signIn("mia");
    await admin.setEntryPolicy(ids.secret, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: false });
    expect((await fresh.getCode(ids.secret)).code).toMatch(/^\d{6}$/);
    // Omitted, step-up stays as it was.
    await admin.setEntryPolicy(ids.secret, { approvalsRequired: 0, emergencyAccess: false });
    expect((await admin.getEntryPolicy(ids.secret)).stepUpRequired).toBe(false);
    const changed = (await admin.listAuditEvents({ action: "entry.policy_changed" })).events;
    expect(changed.some((e) => (e.details as { stepUpRequired?: boolean }).stepUpRequired === true)).toBe(true);
  });
});
