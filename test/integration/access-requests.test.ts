// Access requests through the HTTP API on both databases: a member asks, approvers approve (the
// two-person rule included) or deny, the grant expires by the clock, emergency access hands the
// code out at once and waits for review, notifications tell each side. Hostile input is refused
// by key with nothing stored; every step is audited, and no seed appears in any reply, event,
// log or row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { newGrantId, type EntryId, type UserId } from "../../src/core/ids.js";
import type { GrantPermission } from "../../src/core/policy.js";
import type { WatchwordClient } from "../../src/client/client.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF";
const HOUR = 3600;

describe.each(databaseKinds)("access requests on %s", (kind) => {
  const clock = new ManualClock(Date.now());
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let manager: WatchwordClient;
  let member: WatchwordClient;
  let outsider: WatchwordClient;
  let auditor: WatchwordClient;
  const ids: Record<string, UserId> = {};

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    admin = await signedInClient(server, "ada", "admin");
    manager = await signedInClient(server, "dee", "member");
    member = await signedInClient(server, "bo", "member");
    outsider = await signedInClient(server, "eve", "member");
    auditor = await signedInClient(server, "cy", "auditor");
    for (const name of ["ada", "dee", "bo", "eve", "cy"]) ids[name] = (await server.vault.store.users.findUserByUsername(name))!.id as UserId;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  async function grant(user: string, entryId: string, permission: GrantPermission): Promise<void> {
    await server.vault.store.grants.insertGrant({
      id: newGrantId(),
      principal: { kind: "user", id: ids[user]! },
      scope: { kind: "entry", id: entryId as EntryId },
      permission,
      expiresAt: null,
      accessRequestId: null,
      createdBy: ids.ada!,
      createdAt: clock.now(),
    });
  }

  /** An entry of the administrator's that needs N approvals, which bo may see (and ask for) and dee manages. */
  async function guardedEntry(name: string, approvalsRequired: number, emergencyAccess = false): Promise<string> {
    const { entry } = await admin.createEntry({ name, seed: { secret: SEED } });
    await admin.setEntryPolicy(entry.id, { approvalsRequired, emergencyAccess });
    await grant("bo", entry.id, "use");
    await grant("dee", entry.id, "manage");
    return entry.id;
  }

  const oathtoolCode = (validFrom: number) => runOathtool("--totp", "-b", `--now=@${validFrom}`, SEED);

  it("asks, approves with a shorter duration, hands out the code, and closes the entry again when the grant expires", async () => {
    const entryId = await guardedEntry("Registrar", 1);
    expect(await rejection(member.getCode(entryId))).toMatchObject({ status: 403, key: "entry_approval_required" });
    expect(await member.getEntryPolicy(entryId)).toMatchObject({ approvalsRequired: 1, canUse: false, canRequest: true, canManage: false, canUseInEmergency: false });
    const before = (await admin.countAccessRequests()).toApprove;

    const asked = await member.requestAccess({ entryId, durationSeconds: 2 * HOUR, reason: "Renew the domain, ticket OPS-7" });
    expect(asked).toMatchObject({ status: "pending", permission: "use", durationSeconds: 7200, approvalsRequired: 1, approvals: 0, canDecide: false, grant: null });
    expect(asked.target).toEqual({ kind: "entry", id: entryId, name: "Registrar" });
    expect(asked.requester.username).toBe("bo");
    expect((await member.listAccessRequests()).requests.map((r) => r.id)).toContain(asked.id);
    expect((await admin.countAccessRequests()).toApprove).toBe(before + 1);
    expect((await manager.listAccessRequests("to-approve")).requests.map((r) => r.id)).toContain(asked.id);
    expect((await outsider.listAccessRequests("to-approve")).requests.map((r) => r.id)).not.toContain(asked.id);
    expect((await outsider.countAccessRequests()).toApprove).toBe(0);
    const adminNotes = await admin.listNotifications();
    expect(adminNotes.notifications.find((n) => n.request.id === asked.id)).toMatchObject({ kind: "request_pending", unread: true });

    const approved = await admin.approveAccessRequest(asked.id, { comment: "Thirty minutes is plenty", durationSeconds: 1800 });
    expect(approved).toMatchObject({ status: "approved", approvals: 1 });
    expect(approved.decisions).toEqual([expect.objectContaining({ decision: "approve", comment: "Thirty minutes is plenty", durationSeconds: 1800, approver: expect.objectContaining({ username: "ada" }) })]);
    expect(Date.parse(approved.grant!.expiresAt)).toBe(clock.now() + 1800_000);
    expect((await admin.listAccessRequests("to-approve")).requests.map((r) => r.id)).not.toContain(asked.id);

    const code = await member.getCode(entryId);
    if (hasOathtool) expect(code.code).toBe(oathtoolCode(code.validFrom));
    const told = await member.listNotifications();
    expect(told.notifications[0]).toMatchObject({ kind: "request_approved", unread: true, request: { id: asked.id } });
    expect(await member.countNotifications()).toEqual({ unread: told.unread, unreadDecisions: 1 });
    await member.markNotificationsRead();
    expect(await member.countNotifications()).toEqual({ unread: 0, unreadDecisions: 0 });

    clock.advance(1800_000 - 1);
    await member.getCode(entryId);
    clock.advance(1);
    expect(await rejection(member.getCode(entryId))).toMatchObject({ status: 403, key: "entry_approval_required" });
  });

  it("needs two distinct approvers other than the requester when N = 2, and refuses self-approval and approving twice by key", async () => {
    const entryId = await guardedEntry("AWS root", 2);
    const asked = await member.requestAccess({ entryId, durationSeconds: HOUR, reason: "Rotate root keys" });
    expect(asked.approvalsRequired).toBe(2);

    expect(await rejection(member.approveAccessRequest(asked.id))).toMatchObject({ status: 403, key: "access_request_own" });
    expect(await rejection(member.denyAccessRequest(asked.id))).toMatchObject({ status: 403, key: "access_request_own" });
    expect(await rejection(outsider.approveAccessRequest(asked.id))).toMatchObject({ status: 404, key: "access_request_not_found" });
    expect(await rejection(auditor.approveAccessRequest(asked.id))).toMatchObject({ status: 404, key: "access_request_not_found" });

    const first = await manager.approveAccessRequest(asked.id, { comment: "ok by me" });
    expect(first).toMatchObject({ status: "pending", approvals: 1, grant: null, canDecide: false });
    expect(await rejection(member.getCode(entryId))).toMatchObject({ status: 403, key: "entry_approval_required" });
    expect(await rejection(manager.approveAccessRequest(asked.id))).toMatchObject({ status: 409, key: "access_request_already_decided" });

    const second = await admin.approveAccessRequest(asked.id);
    expect(second).toMatchObject({ status: "approved", approvals: 2 });
    expect(second.grant).not.toBeNull();
    await member.getCode(entryId);
    expect(await rejection(admin.approveAccessRequest(asked.id))).toMatchObject({ status: 409, key: "access_request_closed", params: { status: "approved" } });
    expect(await rejection(manager.denyAccessRequest(asked.id))).toMatchObject({ status: 409, key: "access_request_closed", params: { status: "approved" } });
    const grants = await server.vault.store.grants.listGrants({ entryId: entryId as EntryId });
    expect(grants.filter((g) => g.accessRequestId === asked.id)).toHaveLength(1);
  });

  it("denies with a comment and tells the requester; a denied or cancelled request cannot be approved", async () => {
    const entryId = await guardedEntry("Bank portal", 1);
    const asked = await member.requestAccess({ entryId, durationSeconds: HOUR, reason: "Pay the invoice" });
    const denied = await manager.denyAccessRequest(asked.id, { comment: "Finance pays invoices" });
    expect(denied).toMatchObject({ status: "denied", decisions: [expect.objectContaining({ decision: "deny", comment: "Finance pays invoices" })] });
    expect(await rejection(admin.approveAccessRequest(asked.id))).toMatchObject({ status: 409, key: "access_request_closed", params: { status: "denied" } });
    expect((await member.listNotifications()).notifications.find((n) => n.request.id === asked.id)).toMatchObject({ kind: "request_denied", unread: true });

    const again = await member.requestAccess({ entryId, durationSeconds: HOUR, reason: "Pay it after all" });
    expect(await rejection(outsider.cancelAccessRequest(again.id))).toMatchObject({ status: 404, key: "access_request_not_found" });
    expect(await rejection(admin.cancelAccessRequest(again.id))).toMatchObject({ status: 404, key: "access_request_not_found" });
    expect(await member.cancelAccessRequest(again.id)).toMatchObject({ status: "cancelled" });
    expect(await rejection(member.cancelAccessRequest(again.id))).toMatchObject({ status: 409, key: "access_request_not_pending", params: { status: "cancelled" } });
    expect(await rejection(admin.approveAccessRequest(again.id))).toMatchObject({ status: 409, key: "access_request_closed", params: { status: "cancelled" } });
    expect(await rejection(manager.denyAccessRequest(again.id))).toMatchObject({ status: 409, key: "access_request_closed" });
    expect(await rejection(member.getCode(entryId))).toMatchObject({ status: 403, key: "entry_approval_required" });
  });

  it("refuses hostile and malformed input by key, storing nothing", async () => {
    const entryId = await guardedEntry("Vendor console", 1);
    const count = async () => (await server.vault.store.accessRequests.listRequests({ limit: 1000 })).length;
    const stored = await count();
    const ask = (body: Record<string, unknown>) => member.requestAccess(body as never);
    const good = { entryId, durationSeconds: HOUR, reason: "Check the vendor invoice" };

    expect(await rejection(ask({ ...good, reason: "line one\nline two" }))).toMatchObject({ status: 400, key: "text_control_character_line", field: "reason" });
    expect(await rejection(ask({ ...good, reason: "bell\u0007" }))).toMatchObject({ status: 400, key: "text_control_character_line" });
    expect(await rejection(ask({ ...good, reason: "nul\u0000" }))).toMatchObject({ status: 400, key: "text_nul_character" });
    expect(await rejection(ask({ ...good, reason: "x".repeat(501) }))).toMatchObject({ status: 400, key: "field_too_long" });
    expect(await rejection(ask({ ...good, reason: "" }))).toMatchObject({ status: 400 });
    expect(await rejection(ask({ ...good, durationSeconds: 10 ** 12 }))).toMatchObject({ status: 400, key: "field_above_maximum" });
    expect(await rejection(ask({ ...good, durationSeconds: 1e308 }))).toMatchObject({ status: 400 });
    expect(await rejection(ask({ ...good, durationSeconds: 30 * 24 * HOUR + 1 }))).toMatchObject({ status: 400, key: "field_above_maximum" });
    expect(await rejection(ask({ ...good, durationSeconds: 299 }))).toMatchObject({ status: 400, key: "field_below_minimum" });
    expect(await rejection(ask({ ...good, durationSeconds: -5 }))).toMatchObject({ status: 400 });
    expect(await rejection(ask({ ...good, durationSeconds: 3600.5 }))).toMatchObject({ status: 400 });
    expect(await rejection(ask({ ...good, durationSeconds: "3600" }))).toMatchObject({ status: 400, key: "field_wrong_type" });
    expect(await rejection(ask({ ...good, permission: "manage" }))).toMatchObject({ status: 400 });
    expect(await rejection(ask({ ...good, folderId: "7c2e9a40-1b3d-4f5e-8a6b-9c0d1e2f3a4b" }))).toMatchObject({ status: 400, key: "access_request_target_required" });
    expect(await rejection(ask({ durationSeconds: HOUR, reason: "no target" }))).toMatchObject({ status: 400, key: "access_request_target_required" });
    expect(await rejection(ask({ ...good, entryId: "not-a-uuid" }))).toMatchObject({ status: 400, key: "field_wrong_format" });
    expect(await rejection(ask({ ...good, extra: true }))).toMatchObject({ status: 400, key: "field_not_expected" });
    expect(await rejection(ask({ ...good, entryId: "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e" }))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await rejection(ask({ durationSeconds: HOUR, reason: good.reason, folderId: "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e" }))).toMatchObject({ status: 404, key: "folder_not_found" });
    // An entry bo may not see answers as if it did not exist; auditors may not ask at all.
    expect(await rejection(outsider.requestAccess(good))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await rejection(auditor.requestAccess(good))).toMatchObject({ status: 403, key: "access_request_forbidden" });
    expect(await count()).toBe(stored);

    const asked = await member.requestAccess(good);
    expect(await rejection(admin.approveAccessRequest(asked.id, { durationSeconds: 2 * HOUR }))).toMatchObject({ status: 400, key: "access_request_duration_longer", params: { seconds: 3600 } });
    expect(await rejection(admin.approveAccessRequest(asked.id, { comment: "tab\there" }))).toMatchObject({ status: 400, key: "text_control_character_line" });
    expect(await rejection(admin.approveAccessRequest(asked.id, { comment: "y".repeat(501) }))).toMatchObject({ status: 400, key: "field_too_long" });
    expect(await rejection(admin.approveAccessRequest(asked.id, { durationSeconds: 10 ** 15 }))).toMatchObject({ status: 400, key: "field_above_maximum" });
    expect((await admin.getAccessRequest(asked.id))).toMatchObject({ status: "pending", approvals: 0, decisions: [] });
    expect(await rejection(admin.approveAccessRequest("0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"))).toMatchObject({ status: 404, key: "access_request_not_found" });
    expect(await rejection(admin.getAccessRequest("0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"))).toMatchObject({ status: 404, key: "access_request_not_found" });
    expect(await rejection(admin.approveAccessRequest("../../etc"))).toMatchObject({ status: 400 });
    expect(await rejection(outsider.getAccessRequest(asked.id))).toMatchObject({ status: 404, key: "access_request_not_found" });
    expect(await rejection(member.listAccessRequests("everything" as never))).toMatchObject({ status: 400 });
    expect(await rejection(admin.setEntryPolicy(entryId, { approvalsRequired: 11, emergencyAccess: false }))).toMatchObject({ status: 400, key: "field_above_maximum" });
    expect(await rejection(admin.setEntryPolicy(entryId, { approvalsRequired: -1, emergencyAccess: false }))).toMatchObject({ status: 400, key: "field_below_minimum" });
    expect(await rejection(member.markNotificationsRead("yesterday"))).toMatchObject({ status: 400, key: "field_wrong_format" });
  });

  it("lets only managers change the entry's policy", async () => {
    const entryId = await guardedEntry("Payroll", 1);
    expect(await rejection(member.setEntryPolicy(entryId, { approvalsRequired: 0, emergencyAccess: false }))).toMatchObject({ status: 403, key: "entry_policy_forbidden" });
    expect(await rejection(outsider.setEntryPolicy(entryId, { approvalsRequired: 0, emergencyAccess: false }))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await rejection(outsider.getEntryPolicy(entryId))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await manager.setEntryPolicy(entryId, { approvalsRequired: 0, emergencyAccess: true })).toMatchObject({ approvalsRequired: 0, emergencyAccess: true, canManage: true });
    await member.getCode(entryId);
  });

  it("breaks the glass: the code at once with a reason, one audit event marked emergency, listed for review until an approver reviews it", async () => {
    const entryId = await guardedEntry("DNS registrar", 2);
    expect(await rejection(member.emergencyCode(entryId, "Site down"))).toMatchObject({ status: 403, key: "entry_emergency_access_off" });
    await admin.setEntryPolicy(entryId, { approvalsRequired: 2, emergencyAccess: true });
    expect((await member.getEntryPolicy(entryId)).canUseInEmergency).toBe(true);
    expect(await rejection(member.emergencyCode(entryId, "\u001b[31m"))).toMatchObject({ status: 400, key: "text_control_character_line" });
    expect(await rejection(member.emergencyCode(entryId, ""))).toMatchObject({ status: 400 });
    expect(await rejection(outsider.emergencyCode(entryId, "Site down"))).toMatchObject({ status: 404, key: "entry_not_found" });
    const reviewBefore = (await manager.countAccessRequests()).toReview;

    const broken = await member.emergencyCode(entryId, "Site down, approvers asleep");
    if (hasOathtool) expect(broken.code).toBe(oathtoolCode(broken.validFrom));
    const events = (await server.vault.store.auditEvents.listAuditEvents({ entryId, limit: 100 })).filter((e) => e.action === "code.issued" && e.outcome === "success");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorName: "bo", reason: "Site down, approvers asleep" });
    expect(JSON.parse(events[0]!.details)).toMatchObject({ emergency: true, requestId: broken.accessRequestId });
    // One code, no standing access.
    expect(await rejection(member.getCode(entryId))).toMatchObject({ status: 403, key: "entry_approval_required" });

    expect((await manager.countAccessRequests()).toReview).toBe(reviewBefore + 1);
    const listed = (await admin.listAccessRequests("to-review")).requests.find((r) => r.id === broken.accessRequestId);
    expect(listed).toMatchObject({ status: "review_pending", emergency: true, reason: "Site down, approvers asleep", canDecide: true });
    expect((await admin.listNotifications()).notifications.find((n) => n.request.id === broken.accessRequestId)).toMatchObject({ kind: "emergency_use", unread: true });
    expect(await rejection(member.reviewEmergencyUse(broken.accessRequestId))).toMatchObject({ status: 403, key: "access_request_own" });
    expect(await rejection(admin.approveAccessRequest(broken.accessRequestId))).toMatchObject({ status: 409, key: "access_request_closed" });

    expect(await manager.reviewEmergencyUse(broken.accessRequestId, { comment: "Confirmed with bo" })).toMatchObject({ status: "reviewed" });
    expect((await admin.listAccessRequests("to-review")).requests.map((r) => r.id)).not.toContain(broken.accessRequestId);
    expect(await rejection(admin.reviewEmergencyUse(broken.accessRequestId))).toMatchObject({ status: 409, key: "access_request_closed", params: { status: "reviewed" } });

    // Not needed where the caller may use the entry anyway; not a review of an ordinary request.
    const open = await guardedEntry("Status page", 0, true);
    expect(await rejection(member.emergencyCode(open, "Just because"))).toMatchObject({ status: 409, key: "entry_emergency_not_needed" });
    const asked = await member.requestAccess({ entryId, durationSeconds: HOUR, reason: "Planned change" });
    expect(await rejection(admin.reviewEmergencyUse(asked.id))).toMatchObject({ status: 409, key: "access_request_not_emergency" });
  });

  it("audits request, approval, denial, cancellation, emergency and review with no secret anywhere", async () => {
    const events = await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 });
    const actions = new Set(events.map((e) => e.action));
    for (const action of ["access_request.created", "access_request.approved", "access_request.denied", "access_request.cancelled", "access_request.reviewed", "entry.policy_changed"]) expect(actions, action).toContain(action);
    const selfApproval = events.find((e) => e.action === "access_request.approved" && e.outcome === "denied");
    expect(selfApproval).toMatchObject({ actorName: "bo" });
    expect(JSON.parse(selfApproval!.details)).toMatchObject({ denial: "own_request" });
    const created = events.find((e) => e.action === "access_request.created")!;
    expect(created.reason).toBe("Renew the domain, ticket OPS-7");
    expect(JSON.stringify(events)).not.toContain(SEED);
    expect(server.logs.join("\n")).not.toContain(SEED);
    expect(await dumpDatabase(db)).not.toContain(SEED);
  });
});
