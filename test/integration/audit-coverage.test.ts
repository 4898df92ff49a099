// Every security-relevant action through the HTTP API, on both databases, succeeding and refused,
// and the audit event each leaves: its action, outcome, actor, target (type, id, name, folder) and
// channel. Refusals are events too ("denied"), also where the reply is a 404 that hides whether the
// entry exists. Secrets planted along the way (passwords, seeds, tokens, recovery codes, a secret
// field, a name typed at sign-in that may be a password) appear in no event, table or file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import type { StoredAuditEvent } from "../../src/store/audit-events.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable, readSqliteFiles } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NEW_SEED = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
const PASSWORD = "plum-orbit-lantern-4417";
const FIELD_SECRET = "field-secret-Zq81-planted";
const RECOVERY = ["recovery-alpha-7731", "recovery-bravo-8842"];
const WRONG_PASSWORD = "wrong-password-Kx03-planted";
const NAME_THAT_IS_A_PASSWORD = "typed-in-the-name-box-Vu55";

type Expected = Partial<Pick<StoredAuditEvent, "action" | "outcome" | "actorType" | "actorName" | "targetType" | "targetId" | "targetName" | "folderId" | "entryId" | "channel" | "reason">>;

describe.each(databaseKinds)("what the audit log records, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let member: WatchwordClient;
  let other: WatchwordClient;
  let memberId: string;
  let folderId: string;
  let entryId: string;
  let guardedId: string;
  const planted: string[] = [PASSWORD, SEED, NEW_SEED, FIELD_SECRET, ...RECOVERY, WRONG_PASSWORD];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    member = await signedInClient(server, "mo", "member");
    other = await signedInClient(server, "oz", "member");
    memberId = (await server.vault.store.users.findUserByUsername("mo"))!.id;
    folderId = (await admin.createFolder({ name: "Finance" })).id;
    const entry = await admin.createEntry({ name: "Bank", folderId, templateId: "web-app-otp", seed: { secret: SEED }, fields: { password: FIELD_SECRET }, recoveryCodes: RECOVERY });
    entryId = entry.entry.id;
    guardedId = (await admin.createEntry({ name: "Root account", folderId, seed: { secret: SEED } })).entry.id;
    await admin.setEntryPolicy(guardedId, { approvalsRequired: 1, emergencyAccess: true });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const headSeq = async () => (await server.vault.store.auditEvents.readAuditChainState()).head.seq;
  /** Runs `act` and returns the events it wrote. */
  async function eventsOf(act: () => Promise<unknown>): Promise<StoredAuditEvent[]> {
    const before = await headSeq();
    await act();
    return server.vault.store.auditEvents.listAuditEvents({ afterSeq: before, limit: 10_000 });
  }
  /** `act` wrote exactly one event matching `expected` (and maybe others). */
  async function expectEvent(act: () => Promise<unknown>, expected: Expected): Promise<StoredAuditEvent> {
    const events = await eventsOf(act);
    const matching = events.filter((e) => Object.entries(expected).every(([key, value]) => e[key as keyof StoredAuditEvent] === value));
    expect(matching, `${JSON.stringify(expected)} among ${JSON.stringify(events.map((e) => [e.action, e.outcome, e.targetType, e.targetId]))}`).toHaveLength(1);
    return matching[0]!;
  }
  // The call starts only once expectEvent has read the head: a refusal written before would be missed.
  const refused = (call: () => Promise<unknown>) => async () => {
    await rejection(call());
  };
  const byAdmin = { actorType: "user", actorName: "ada", channel: "api" } as const;
  const byMember = { actorType: "user", actorName: "mo", channel: "api" } as const;

  it("sign-in: success, wrong password, unknown name (not recorded), throttled and locked; sign-out; the browser's channel is the web", async () => {
    const browser = server.newClient();
    const signedIn = await expectEvent(() => browser.signIn({ username: "mo", password: PASSWORD }), { action: "user.signed_in", outcome: "success", actorName: "mo", targetType: "user", targetId: memberId, targetName: "mo", channel: "ui" });
    expect(signedIn.actorId).toBe(memberId);
    await expectEvent(refused(() => server.newClient().signIn({ username: "mo", password: WRONG_PASSWORD, client: "cli" })), { action: "user.signed_in", outcome: "failure", reason: "wrong_password", actorName: "mo", targetId: memberId });
    const unknown = await expectEvent(refused(() => server.newClient().signIn({ username: NAME_THAT_IS_A_PASSWORD, password: WRONG_PASSWORD, client: "cli" })), { action: "user.signed_in", outcome: "failure", reason: "unknown_user", actorType: "anonymous", actorName: "" });
    expect(unknown.targetType).toBeNull();
    await signedInClient(server, "thea", "member");
    // Ten recent failures: the next try waits half a minute.
    for (let i = 0; i < 10; i += 1) await server.vault.store.signInFailures.recordFailure("account", "thea", Date.now());
    await expectEvent(refused(() => server.newClient().signIn({ username: "thea", password: PASSWORD, client: "cli" })), { action: "user.signed_in", outcome: "denied", reason: "sign_in_throttled", actorName: "thea" });
    await signedInClient(server, "lou", "member");
    const now = Date.now();
    for (let i = 0; i < 100; i += 1) await server.vault.store.signInFailures.recordFailure("account", "lou", now);
    await expectEvent(refused(() => server.newClient().signIn({ username: "lou", password: PASSWORD, client: "cli" })), { action: "user.signed_in", outcome: "denied", reason: "account_locked", actorName: "lou" });
    // The command line says so in its user agent.
    await expectEvent(() => server.newClient({ headers: { "user-agent": "watchword-cli/1.0" } }).signIn({ username: "mo", password: PASSWORD, client: "cli" }), { action: "user.signed_in", outcome: "success", actorName: "mo", channel: "cli" });
    await expectEvent(() => browser.signOut(), { action: "user.signed_out", outcome: "success", actorName: "mo", targetType: "user", targetId: memberId, channel: "ui" });
  });

  it("entries: create, update, delete, seed overwrite; a member's attempt on an entry they may not see is denied though the reply is 404", async () => {
    const created = await eventsOf(() => admin.createEntry({ name: "Scratch", folderId, seed: { secret: SEED } }));
    const scratch = created.find((e) => e.action === "entry.created")!;
    expect(scratch).toMatchObject({ ...byAdmin, outcome: "success", targetType: "entry", targetName: "Scratch", folderId });
    const id = scratch.targetId!;
    expect(scratch.entryId).toBe(id);
    await expectEvent(() => admin.updateEntry(id, { notes: "n" }), { ...byAdmin, action: "entry.updated", outcome: "success", targetId: id, folderId });
    await expectEvent(() => admin.overwriteSeed(id, { secret: NEW_SEED }), { ...byAdmin, action: "seed.overwritten", outcome: "success", targetId: id, folderId });
    const hidden = await rejection(member.getCode(id));
    expect([hidden.status, hidden.key]).toEqual([404, "entry_not_found"]);
    await expectEvent(refused(() => member.getCode(id)), { ...byMember, action: "code.issued", outcome: "denied", reason: "entry_not_found", targetType: "entry", targetId: id, targetName: "Scratch", entryId: id, folderId });
    await expectEvent(refused(() => member.updateEntry(id, { notes: "x" })), { ...byMember, action: "entry.updated", outcome: "denied", targetId: id });
    await expectEvent(refused(() => member.overwriteSeed(id, { secret: NEW_SEED })), { ...byMember, action: "seed.overwritten", outcome: "denied", targetId: id });
    await expectEvent(refused(() => member.deleteEntry(id)), { ...byMember, action: "entry.deleted", outcome: "denied", targetId: id });
    await expectEvent(() => admin.deleteEntry(id), { ...byAdmin, action: "entry.deleted", outcome: "success", targetId: id, targetName: "Scratch", folderId });
    // An entry that does not exist: refused alike, and named only by the id asked for.
    await expectEvent(refused(() => member.getCode("00000000-0000-4000-8000-00000000dead")), { ...byMember, action: "code.issued", outcome: "denied", targetId: "00000000-0000-4000-8000-00000000dead", targetName: null, entryId: null });
  });

  it("codes, recovery codes and secret fields: handed out and revealed, or refused", async () => {
    await expectEvent(() => admin.getCode(entryId), { ...byAdmin, action: "code.issued", outcome: "success", targetId: entryId, targetName: "Bank", folderId });
    await expectEvent(() => admin.revealNextRecoveryCode(entryId, "locked out of the bank"), { ...byAdmin, action: "recovery_code.revealed", outcome: "success", targetId: entryId });
    await expectEvent(() => admin.revealAllRecoveryCodes(entryId, "moving the bank"), { ...byAdmin, action: "recovery_codes.revealed_all", outcome: "success", targetId: entryId });
    await expectEvent(() => admin.revealField(entryId, "password", "paying an invoice"), { ...byAdmin, action: "field.revealed", outcome: "success", targetId: entryId });
    await expectEvent(refused(() => member.revealNextRecoveryCode(entryId, "just looking")), { ...byMember, action: "recovery_code.revealed", outcome: "denied", targetId: entryId });
    await expectEvent(refused(() => member.revealField(entryId, "password", "just looking")), { ...byMember, action: "field.revealed", outcome: "denied", targetId: entryId });
  });

  it("grants: created and revoked, and refused to a member who does not manage the entry", async () => {
    const grant = await admin.createGrant({ principal: { kind: "user", id: memberId }, scope: { kind: "entry", id: entryId }, permission: "use" });
    const [created] = (await server.vault.store.auditEvents.listAuditEvents({ afterSeq: (await headSeq()) - 1, limit: 1 })).filter((e) => e.action === "grant.created");
    expect(created).toMatchObject({ ...byAdmin, outcome: "success", targetType: "grant", targetId: grant.id, entryId, folderId });
    // With the grant the member gets codes; revoking is still the manager's.
    await expectEvent(() => member.getCode(entryId), { ...byMember, action: "code.issued", outcome: "success", targetId: entryId });
    await expectEvent(refused(() => member.revokeGrant(grant.id)), { ...byMember, action: "grant.revoked", outcome: "denied", targetType: "grant", targetId: grant.id });
    await expectEvent(refused(() => other.createGrant({ principal: { kind: "user", id: memberId }, scope: { kind: "entry", id: entryId }, permission: "manage" })), { actorName: "oz", action: "grant.created", outcome: "denied", targetType: "entry", targetId: entryId });
    await expectEvent(() => admin.revokeGrant(grant.id), { ...byAdmin, action: "grant.revoked", outcome: "success", targetType: "grant", targetId: grant.id, folderId });
  });

  it("access requests: made, approved (the code then names the approver and the request), denied, own approval refused; emergency use and its review", async () => {
    await expectEvent(refused(() => member.getCode(guardedId)), { ...byMember, action: "code.issued", outcome: "denied", targetId: guardedId });
    const admins = { ...byAdmin };
    await admin.createGrant({ principal: { kind: "user", id: memberId }, scope: { kind: "entry", id: guardedId }, permission: "use" });
    const asked = await member.requestAccess({ entryId: guardedId, durationSeconds: 3600, reason: "Rotate the root keys" });
    const [made] = (await server.vault.store.auditEvents.listAuditEvents({ afterSeq: (await headSeq()) - 1, limit: 1 })).filter((e) => e.action === "access_request.created");
    expect(made).toMatchObject({ ...byMember, outcome: "success", targetType: "access_request", targetId: asked.id, entryId: guardedId, folderId });
    await expectEvent(refused(() => member.approveAccessRequest(asked.id)), { ...byMember, action: "access_request.approved", outcome: "denied", reason: "own_request", targetId: asked.id });
    const adminId = (await server.vault.store.users.findUserByUsername("ada"))!.id;
    await expectEvent(() => admin.approveAccessRequest(asked.id), { ...admins, action: "access_request.approved", outcome: "success", targetId: asked.id });
    const code = await expectEvent(() => member.getCode(guardedId), { ...byMember, action: "code.issued", outcome: "success", targetId: guardedId });
    expect(JSON.parse(code.details)).toMatchObject({ approvedBy: { requestId: asked.id, approvers: [{ id: adminId, name: "ada" }] } });
    // The batch a script of hers asks for names the approval too, and only on the entry it opened.
    const batch = await eventsOf(() => member.batchCodes());
    const guardedInBatch = batch.find((e) => e.action === "code.issued" && e.entryId === guardedId);
    expect(JSON.parse(guardedInBatch!.details)).toMatchObject({ batch: true, approvedBy: { requestId: asked.id, approvers: [{ id: adminId, name: "ada" }] } });
    for (const event of batch.filter((e) => e.action === "code.issued" && e.entryId !== guardedId)) expect(JSON.parse(event.details)).not.toHaveProperty("approvedBy");

    // Oz may see the entry (a standing grant) but has no approved request: a request denied, then break glass.
    const ozId = (await server.vault.store.users.findUserByUsername("oz"))!.id;
    await admin.createGrant({ principal: { kind: "user", id: ozId }, scope: { kind: "entry", id: guardedId }, permission: "use" });
    const second = await other.requestAccess({ entryId: guardedId, durationSeconds: 3600, reason: "Just curious" });
    await expectEvent(() => admin.denyAccessRequest(second.id, { comment: "no" }), { ...admins, action: "access_request.denied", outcome: "success", targetId: second.id });
    await expectEvent(refused(() => other.denyAccessRequest(asked.id, { comment: "me neither" })), { actorName: "oz", action: "access_request.denied", outcome: "denied", targetId: asked.id });
    const issued = await expectEvent(() => other.emergencyCode(guardedId, "Production is down, paging failed"), { actorName: "oz", action: "code.issued", outcome: "success", targetId: guardedId, reason: "Production is down, paging failed" });
    expect(JSON.parse(issued.details)).toMatchObject({ emergency: true });
    const requestId = (JSON.parse(issued.details) as { requestId: string }).requestId;
    await expectEvent(() => admin.reviewEmergencyUse(requestId, { comment: "fine" }), { ...admins, action: "access_request.reviewed", outcome: "success", targetId: requestId });
  });

  it("people: invite, role change, disable, unlock, password change — and each refused to a member on the administrator's route", async () => {
    const invited = await eventsOf(() => admin.inviteUser({ username: "newbie", role: "member" }));
    const invite = invited.find((e) => e.action === "user.invited")!;
    expect(invite).toMatchObject({ ...byAdmin, outcome: "success", targetType: "user", targetName: "newbie" });
    const newbie = invite.targetId!;
    await expectEvent(() => admin.changeRole(newbie, "auditor"), { ...byAdmin, action: "user.role_changed", outcome: "success", targetId: newbie });
    await expectEvent(() => admin.disableUser(newbie), { ...byAdmin, action: "user.disabled", outcome: "success", targetId: newbie });
    await expectEvent(() => admin.unlockUser("mo"), { ...byAdmin, action: "user.unlocked", outcome: "success", targetId: memberId });
    await expectEvent(refused(() => member.inviteUser({ username: "sneaky", role: "admin" })), { ...byMember, action: "user.invited", outcome: "denied", reason: "people_forbidden" });
    await expectEvent(refused(() => member.changeRole(memberId, "admin")), { ...byMember, action: "user.role_changed", outcome: "denied", targetType: "user", targetId: memberId, targetName: "mo" });
    await expectEvent(refused(() => member.disableUser(newbie)), { ...byMember, action: "user.disabled", outcome: "denied", targetId: newbie });
    await expectEvent(refused(() => member.unlockUser("ada")), { ...byMember, action: "user.unlocked", outcome: "denied" });
    const ozId = (await server.vault.store.users.findUserByUsername("oz"))!.id;
    await expectEvent(() => other.changePassword({ currentPassword: PASSWORD, newPassword: "a-new-long-passphrase-9911" }), { actorName: "oz", action: "user.password_changed", outcome: "success", targetId: ozId });
    planted.push("a-new-long-passphrase-9911");
  });

  it("service accounts and tokens: created, first use, out of scope, revoked and used after", async () => {
    const account = await expectEvent(() => admin.createServiceAccount({ name: "deploy-bot" }), { ...byAdmin, action: "service_account.created", outcome: "success", targetType: "service_account", targetName: "deploy-bot" });
    await admin.createGrant({ principal: { kind: "service_account", id: account.targetId! }, scope: { kind: "entry", id: entryId }, permission: "use" });
    let token = "";
    const created = await expectEvent(async () => (token = (await admin.createApiToken(account.targetId!, { label: "ci", scope: { entryIds: [entryId], folderIds: [], permissions: ["use"] } })).token), { ...byAdmin, action: "api_token.created", targetType: "api_token", targetName: "ci" });
    planted.push(token);
    const script = server.newClient({ token });
    const bot = { actorType: "service_account", actorName: "deploy-bot", channel: "api" } as const;
    const first = await eventsOf(() => script.getCode(entryId));
    expect(first.find((e) => e.action === "api_token.used")).toMatchObject({ ...bot, outcome: "success", targetId: created.targetId });
    expect(JSON.parse(first.find((e) => e.action === "code.issued")!.details)).toMatchObject({ apiTokenId: created.targetId });
    // Later uses from the same address: the code event alone, carrying the token's id.
    expect((await eventsOf(() => script.getCode(entryId))).map((e) => e.action)).toEqual(["code.issued"]);
    await expectEvent(refused(() => script.getCode(guardedId)), { ...bot, action: "code.issued", outcome: "denied", reason: "api_token_out_of_scope", targetId: guardedId });
    await expectEvent(refused(() => script.listUsers()), { ...bot, action: "user.listed", outcome: "denied", reason: "service_account_forbidden" });
    await expectEvent(refused(() => member.createApiToken(account.targetId!, { scope: { entryIds: [entryId], folderIds: [], permissions: ["use"] } })), { ...byMember, action: "api_token.created", outcome: "denied", targetType: "service_account", targetId: account.targetId });
    await expectEvent(() => admin.revokeApiToken(created.targetId!), { ...byAdmin, action: "api_token.revoked", outcome: "success", targetId: created.targetId });
    await expectEvent(refused(() => script.getCode(entryId)), { ...bot, action: "code.issued", outcome: "denied", reason: "api_token_revoked", targetId: entryId });
  });

  it("imports: preview and confirm, or refused; templates and folders: created, changed, deleted, or refused; entry settings", async () => {
    const uri = `otpauth://totp/Imported:ops?secret=${SEED}&issuer=Imported`;
    const data = Buffer.from(uri).toString("base64");
    let previewId = "";
    await expectEvent(async () => (previewId = (await admin.createImport({ data })).importId), { ...byAdmin, action: "import.previewed", outcome: "success", targetType: "import" });
    await expectEvent(() => admin.confirmImport(previewId), { ...byAdmin, action: "import.confirmed", outcome: "success", targetType: "import", targetId: previewId });
    const auditor = server.newClient({ token: (await signedInClient(server, "aud", "auditor")).token });
    await expectEvent(refused(() => auditor.createImport({ data })), { actorName: "aud", action: "import.previewed", outcome: "denied" });

    const template = await expectEvent(() => admin.createTemplate({ name: "Card", fields: [{ key: "pin", label: "PIN", type: "secret", required: false }] }), { ...byAdmin, action: "template.created", targetType: "template", targetName: "Card" });
    await expectEvent(() => admin.updateTemplate(template.targetId!, { name: "Bank card", fields: [{ key: "pin", label: "PIN", type: "secret", required: false }] }), { ...byAdmin, action: "template.updated", targetId: template.targetId });
    await expectEvent(refused(() => member.deleteTemplate(template.targetId!)), { ...byMember, action: "template.deleted", outcome: "denied", targetType: "template", targetId: template.targetId });
    await expectEvent(() => admin.deleteTemplate(template.targetId!), { ...byAdmin, action: "template.deleted", outcome: "success", targetId: template.targetId });

    const folder = await expectEvent(() => admin.createFolder({ name: "Ops" }), { ...byAdmin, action: "folder.created", targetType: "folder", targetName: "Ops" });
    expect(folder.folderId).toBe(folder.targetId);
    await expectEvent(() => admin.renameFolder(folder.targetId!, { name: "Operations" }), { ...byAdmin, action: "folder.renamed", targetId: folder.targetId, folderId: folder.targetId });
    await expectEvent(refused(() => member.renameFolder(folder.targetId!, { name: "Mine" })), { ...byMember, action: "folder.renamed", outcome: "denied", targetType: "folder", targetId: folder.targetId, targetName: "Operations", folderId: folder.targetId });
    await expectEvent(refused(() => member.createFolder({ name: "Nope" })), { ...byMember, action: "folder.created", outcome: "denied" });
    await expectEvent(() => admin.deleteFolder(folder.targetId!), { ...byAdmin, action: "folder.deleted", targetId: folder.targetId });

    await expectEvent(() => admin.setEntryPolicy(entryId, { approvalsRequired: 0, emergencyAccess: false }), { ...byAdmin, action: "entry.policy_changed", outcome: "success", targetId: entryId, folderId });
    await expectEvent(refused(() => member.setEntryPolicy(entryId, { approvalsRequired: 0, emergencyAccess: true })), { ...byMember, action: "entry.policy_changed", outcome: "denied", targetId: entryId });
  });

  it("first-run setup: the first administrator's creation, by them", async () => {
    const fresh = await createTestDatabase(kind);
    const first = await startTestApp(fresh);
    try {
      const token = await first.createSetupToken();
      await first.newClient().completeSetup({ token, username: "root", password: PASSWORD });
      const events = await first.vault.store.auditEvents.listAuditEvents({ limit: 100 });
      const rootId = (await first.vault.store.users.findUserByUsername("root"))!.id;
      expect(events.filter((e) => e.action === "vault.set_up")).toMatchObject([{ outcome: "success", actorType: "user", actorId: rootId, actorName: "root", targetType: "user", targetId: rootId, channel: "ui" }]);
      expect(JSON.stringify(events)).not.toContain(token);
    } finally {
      await first.close();
      await fresh.drop();
    }
  });

  it("the log itself: an export and a verification are recorded, and refused to a member", async () => {
    const exported = await expectEvent(
      async () => {
        for await (const chunk of await admin.exportAuditEvents({ format: "csv", action: "code.issued" })) void chunk;
      },
      { ...byAdmin, action: "audit.exported", outcome: "success" },
    );
    expect(JSON.parse(exported.details)).toEqual({ format: "csv", filter: { action: "code.issued" } });
    const verified = await expectEvent(() => admin.verifyAudit(), { ...byAdmin, action: "audit.verified", outcome: "success" });
    expect(JSON.parse(verified.details)).toMatchObject({ intact: true, brokenAt: null });
    await expectEvent(refused(() => member.exportAuditEvents({ format: "json" })), { ...byMember, action: "audit.exported", outcome: "denied" });
    await expectEvent(refused(() => member.listAuditEvents({})), { ...byMember, action: "audit.read", outcome: "denied" });
    await expectEvent(refused(() => member.verifyAudit()), { ...byMember, action: "audit.verified", outcome: "denied" });
  });

  it("keeps every new event on the chain, and no planted secret in any event, table or file", async () => {
    expect(await admin.verifyAudit()).toMatchObject({ intact: true });
    const events = JSON.stringify(await server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 }));
    for (const secret of [...planted, NAME_THAT_IS_A_PASSWORD]) expect(events).not.toContain(secret);
    const everything = (await dumpEveryTable(db)) + (db.kind === "sqlite" ? await readSqliteFiles(db) : "");
    for (const secret of planted) expect(everything).not.toContain(secret);
    for (const line of server.logs) for (const secret of planted) expect(line).not.toContain(secret);
  });
});
