// The grant API on both databases, through HTTP: administrators and managers (owners, manage
// grants on the entry or folder) add, list and revoke grants; everyone else is refused by key;
// duplicates, unknown principals and scopes, past expiries and hostile bodies change nothing;
// every change is audited; entry rows and pages show the owner and "shared with"; the principal
// picker is bounded and only for those who may grant; a folder's page names its approver group.
// Groups and service accounts are made through the store (their own API is built elsewhere).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { newGroupId, newServiceAccountId, type FolderId, type GroupId, type ServiceAccountId, type UserId } from "../../src/core/ids.js";
import type { WatchwordClient } from "../../src/client/client.js";
import type { CreateGrantRequest } from "../../src/contract/grants.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const HOUR = 3_600_000;
const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

describe.each(databaseKinds)("grants on %s", (kind) => {
  const clock = new ManualClock(Date.now());
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let bo: WatchwordClient;
  let cy: WatchwordClient;
  let auditor: WatchwordClient;
  let boId: UserId;
  let cyId: UserId;
  let group: GroupId;
  let robot: ServiceAccountId;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    admin = await signedInClient(server, "ada", "admin");
    bo = await signedInClient(server, "bo", "member");
    cy = await signedInClient(server, "cy", "member");
    auditor = await signedInClient(server, "di", "auditor");
    boId = (await server.vault.store.users.findUserByUsername("bo"))!.id;
    cyId = (await server.vault.store.users.findUserByUsername("cy"))!.id;
    group = newGroupId();
    await server.vault.store.groups.insertGroup({ id: group, name: "Platform team" }, clock.now());
    robot = newServiceAccountId();
    await server.vault.store.serviceAccounts.insertServiceAccount({ id: robot, name: "ci-deployer", description: null, createdBy: null, createdAt: clock.now() });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const toUser = (id: string, entryId: string, permission: CreateGrantRequest["permission"] = "use", extra: Partial<CreateGrantRequest> = {}): CreateGrantRequest => ({
    principal: { kind: "user", id },
    scope: { kind: "entry", id: entryId },
    permission,
    ...extra,
  });
  const entry = async (name: string, client: WatchwordClient = admin, folderId?: string) =>
    (await client.createEntry({ name, seed: { secret: SEED }, ...(folderId === undefined ? {} : { folderId }) })).entry;
  const grantCount = async () => (await server.vault.store.grants.listGrants({ includeRevoked: true })).length;
  const events = async (action: string) => (await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 })).filter((e) => e.action === action);

  it("lets an administrator grant use, which opens the entry until revoked, audited both ways", async () => {
    const registrar = await entry("Registrar");
    expect(await rejection(bo.getCode(registrar.id))).toMatchObject({ status: 404 });
    const created = await admin.createGrant(toUser(boId, registrar.id));
    expect(created).toMatchObject({
      principal: { kind: "user", id: boId, name: "bo", detail: "bo" },
      scope: { kind: "entry", id: registrar.id, name: "Registrar" },
      permission: "use",
      state: "live",
      expiresAt: null,
      grantedBy: { name: "ada" },
      revokedAt: null,
      fromAccessRequest: false,
    });
    await bo.getCode(registrar.id);
    const [listed] = (await admin.listGrants({ entryId: registrar.id })).grants;
    expect(listed?.id).toBe(created.id);
    const [event] = (await events("grant.created")).filter((e) => e.entryId === registrar.id);
    expect(event).toMatchObject({ actorName: "ada", entryName: "Registrar" });
    expect(JSON.parse(event!.details)).toMatchObject({ grantId: created.id, permission: "use", principal: { kind: "user", name: "bo" } });

    await admin.revokeGrant(created.id);
    expect(await rejection(bo.getCode(registrar.id))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect((await admin.listGrants({ entryId: registrar.id })).grants).toEqual([]);
    const [revoked] = (await admin.listGrants({ entryId: registrar.id, includeRevoked: "true" })).grants;
    expect(revoked).toMatchObject({ state: "revoked", revokedBy: { name: "ada" } });
    expect((await events("grant.revoked")).some((e) => JSON.parse(e.details).grantId === created.id)).toBe(true);
    expect(await rejection(admin.revokeGrant(created.id))).toMatchObject({ status: 409, key: "grant_already_revoked" });
  });

  it("refuses a second live grant of the same permission, and allows it once the first has expired", async () => {
    const vendor = await entry("Vendor portal");
    const first = await admin.createGrant(toUser(boId, vendor.id, "use", { durationSeconds: 3600 }));
    expect(Date.parse(first.expiresAt!)).toBe(clock.now() + HOUR);
    const before = await grantCount();
    expect(await rejection(admin.createGrant(toUser(boId, vendor.id)))).toMatchObject({ status: 409, key: "grant_exists", params: {} });
    expect(await grantCount()).toBe(before);
    // Another permission, or another principal, is another grant.
    await admin.createGrant(toUser(cyId, vendor.id, "recover"));
    await admin.createGrant({ ...toUser(cyId, vendor.id), principal: { kind: "group", id: group } });
    clock.advance(HOUR);
    expect((await admin.listGrants({ entryId: vendor.id })).grants.find((g) => g.id === first.id)?.state).toBe("expired");
    expect(await rejection(bo.getCode(vendor.id))).toMatchObject({ status: 404 });
    await admin.createGrant(toUser(boId, vendor.id));
    await bo.getCode(vendor.id);
  });

  it("gives two grants at once exactly one grant", async () => {
    const race = await entry("Race entry");
    const results = await Promise.allSettled([admin.createGrant(toUser(cyId, race.id)), admin.createGrant(toUser(cyId, race.id)), admin.createGrant(toUser(cyId, race.id))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await admin.listGrants({ entryId: race.id })).grants).toHaveLength(1);
  });

  it("refuses expiries in the past, two expiries, and expiries beyond ten years, storing nothing", async () => {
    const e = await entry("Expiry checks");
    const before = await grantCount();
    const at = (ms: number) => new Date(ms).toISOString();
    expect(await rejection(admin.createGrant(toUser(boId, e.id, "use", { expiresAt: at(clock.now() - 1000) })))).toMatchObject({ status: 400, key: "grant_expiry_past", field: "expiresAt" });
    expect(await rejection(admin.createGrant(toUser(boId, e.id, "use", { expiresAt: at(clock.now()) })))).toMatchObject({ status: 400, key: "grant_expiry_past" });
    expect(await rejection(admin.createGrant(toUser(boId, e.id, "use", { expiresAt: at(clock.now() + HOUR), durationSeconds: 600 })))).toMatchObject({ status: 400, key: "grant_expiry_ambiguous" });
    expect(await rejection(admin.createGrant(toUser(boId, e.id, "use", { expiresAt: at(clock.now() + 3661 * 24 * HOUR) })))).toMatchObject({ status: 400, key: "grant_expiry_too_far" });
    expect(await rejection(admin.createGrant(toUser(boId, e.id, "use", { durationSeconds: 59 })))).toMatchObject({ status: 400 });
    expect(await grantCount()).toBe(before);
    const later = await admin.createGrant(toUser(boId, e.id, "use", { expiresAt: at(clock.now() + 8 * HOUR) }));
    expect(Date.parse(later.expiresAt!)).toBe(clock.now() + 8 * HOUR);
  });

  it("refuses unknown principals by kind (400) and unknown entries and folders (404), storing nothing", async () => {
    const e = await entry("Unknowns");
    const before = await grantCount();
    expect(await rejection(admin.createGrant(toUser(NO_SUCH_ID, e.id)))).toMatchObject({ status: 400, key: "grant_user_unknown", field: "principal.id" });
    expect(await rejection(admin.createGrant({ principal: { kind: "group", id: NO_SUCH_ID }, scope: { kind: "entry", id: e.id }, permission: "use" }))).toMatchObject({ status: 400, key: "grant_group_unknown" });
    expect(await rejection(admin.createGrant({ principal: { kind: "service_account", id: NO_SUCH_ID }, scope: { kind: "entry", id: e.id }, permission: "use" }))).toMatchObject({
      status: 400,
      key: "grant_service_account_unknown",
    });
    expect(await rejection(admin.createGrant(toUser(boId, NO_SUCH_ID)))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await rejection(admin.createGrant({ ...toUser(boId, e.id), scope: { kind: "folder", id: NO_SUCH_ID } }))).toMatchObject({ status: 404, key: "folder_not_found" });
    expect(await rejection(admin.createGrant({ principal: { kind: "service_account", id: robot }, scope: { kind: "entry", id: e.id }, permission: "manage" }))).toMatchObject({
      status: 400,
      key: "grant_service_account_manage",
    });
    expect(await grantCount()).toBe(before);
  });

  it("refuses hostile bodies and queries by key, storing nothing", async () => {
    const e = await entry("Hostile");
    const before = await grantCount();
    const raw = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${(admin as unknown as { token: string }).token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as { key?: string } };
    };
    const valid = toUser(boId, e.id);
    const bodies: unknown[] = [
      { ...valid, permission: "admin" },
      { ...valid, principal: { kind: "role", id: boId } },
      { ...valid, principal: { kind: "user", id: "bo" } },
      { ...valid, scope: { kind: "entry", id: `${e.id}' or 1=1 --` } },
      { ...valid, extra: true },
      { ...valid, principal: { kind: "user", id: boId, name: "x" } },
      { ...valid, durationSeconds: -5 },
      { ...valid, durationSeconds: 1.5 },
      { ...valid, durationSeconds: 1e12 },
      { ...valid, expiresAt: "tomorrow" },
      { ...valid, expiresAt: "x".repeat(10_000) },
      { principal: valid.principal, scope: valid.scope },
      [],
      "null",
      "{",
    ];
    for (const body of bodies) {
      const reply = await raw("POST", "/api/v1/grants", body);
      expect(reply.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(typeof reply.body.key, JSON.stringify(body).slice(0, 80)).toBe("string");
    }
    expect((await raw("GET", `/api/v1/grants?entryId=${encodeURIComponent("../../etc")}`)).status).toBe(400);
    expect((await raw("GET", `/api/v1/grants?entryId=${e.id}&folderId=${NO_SUCH_ID}`)).body.key).toBe("grant_scope_ambiguous");
    expect((await raw("GET", "/api/v1/grants?includeRevoked=yes")).status).toBe(400);
    expect((await raw("DELETE", "/api/v1/grants/not-a-uuid")).status).toBe(400);
    expect((await raw("DELETE", `/api/v1/grants/${NO_SUCH_ID}`)).body.key).toBe("grant_not_found");
    expect((await raw("GET", `/api/v1/principals?q=${"a".repeat(101)}`)).status).toBe(400);
    expect((await raw("GET", "/api/v1/principals?kind=role")).status).toBe(400);
    expect(await grantCount()).toBe(before);
  });

  it("lets owners and managers grant and revoke where they manage, and no one else", async () => {
    const owned = await entry("Bo's registrar", bo);
    // The owner grants, and the grantee sees the entry.
    const useByCy = await bo.createGrant(toUser(cyId, owned.id));
    await cy.getCode(owned.id);
    // A user of the entry may neither grant nor list nor revoke; one who cannot see it gets 404.
    expect(await rejection(cy.createGrant(toUser(cyId, owned.id, "manage")))).toMatchObject({ status: 403, key: "grant_forbidden" });
    expect(await rejection(cy.listGrants({ entryId: owned.id }))).toMatchObject({ status: 403, key: "grant_forbidden" });
    expect(await rejection(cy.revokeGrant(useByCy.id))).toMatchObject({ status: 403, key: "grant_revoke_forbidden" });
    const hidden = await entry("Admin only");
    expect(await rejection(bo.createGrant(toUser(boId, hidden.id, "manage")))).toMatchObject({ status: 404, key: "entry_not_found" });
    const hiddenGrant = await admin.createGrant(toUser(cyId, hidden.id));
    expect(await rejection(bo.revokeGrant(hiddenGrant.id))).toMatchObject({ status: 404, key: "grant_not_found" });
    expect(await rejection(auditor.createGrant(toUser(cyId, owned.id)))).toMatchObject({ status: 404 });
    expect(await rejection(bo.listGrants())).toMatchObject({ status: 403, key: "grant_scope_required" });

    // A manage grant makes cy a manager: they may grant others and revoke.
    await admin.createGrant(toUser(cyId, hidden.id, "manage"));
    const toGroup = await cy.createGrant({ principal: { kind: "group", id: group }, scope: { kind: "entry", id: hidden.id }, permission: "use" });
    await cy.revokeGrant(toGroup.id);

    // A folder manager grants on the folder; a member who manages nothing there is refused.
    const folder = await admin.createFolder({ name: "Cloud roots" });
    await admin.createGrant({ principal: { kind: "user", id: boId }, scope: { kind: "folder", id: folder.id }, permission: "manage" });
    const inFolder = await entry("AWS root", admin, folder.id);
    const folderUse = await bo.createGrant({ principal: { kind: "service_account", id: robot }, scope: { kind: "folder", id: folder.id }, permission: "use" });
    expect(await rejection(cy.createGrant({ principal: { kind: "user", id: cyId }, scope: { kind: "folder", id: folder.id }, permission: "use" }))).toMatchObject({ status: 403, key: "grant_forbidden" });
    expect(await rejection(cy.revokeGrant(folderUse.id))).toMatchObject({ status: 403, key: "grant_revoke_forbidden" });
    // The entry's list shows its own grants and its folder's, each with its scope.
    const scopes = (await bo.listGrants({ entryId: inFolder.id })).grants.map((g) => `${g.scope.kind}:${g.principal.name}:${g.permission}`);
    expect(scopes.sort()).toEqual(["folder:bo:manage", "folder:ci-deployer:use"]);
    expect((await bo.listGrants({ folderId: folder.id })).grants).toHaveLength(2);
  });

  it("shows the owner and who else holds each entry on the list and the page", async () => {
    const folder = await admin.createFolder({ name: "Shared roots" });
    const shared = await entry("Shared root", admin, folder.id);
    await server.vault.store.groups.addMember(group, cyId, clock.now());
    const folderGrant = await admin.createGrant({ principal: { kind: "group", id: group }, scope: { kind: "folder", id: folder.id }, permission: "use", durationSeconds: 7200 });
    clock.advance(1);
    await admin.createGrant(toUser(boId, shared.id, "recover"));
    const gone = await admin.createGrant(toUser(cyId, shared.id, "manage"));
    await admin.revokeGrant(gone.id);

    const row = (await admin.listEntries({ view: "all" })).entries.find((e) => e.id === shared.id)!;
    expect(row.owner).toMatchObject({ name: "ada" });
    expect(row.sharedWith.map((s) => [s.via, s.principal.kind, s.principal.name, s.permission])).toEqual([
      ["folder", "group", "Platform team", "use"],
      ["entry", "user", "bo", "recover"],
    ]);
    expect(row.sharedWith[0]).toMatchObject({ grantId: folderGrant.id, expiresAt: folderGrant.expiresAt });
    // The member reached through the group sees the same row; the page says the same.
    const seen = (await cy.listEntries()).entries.find((e) => e.id === shared.id)!;
    expect(seen.sharedWith).toEqual(row.sharedWith);
    expect((await cy.getEntry(shared.id)).sharedWith).toEqual(row.sharedWith);
    // An expired grant is no longer "shared with".
    clock.advance(2 * HOUR);
    expect((await admin.getEntry(shared.id)).sharedWith.map((s) => s.principal.name)).toEqual(["bo"]);
  });

  it("finds principals by name for those who may grant, a bounded few, taking % and _ literally", async () => {
    for (let i = 0; i < 25; i += 1) await server.vault.store.groups.insertGroup({ id: newGroupId(), name: `Team ${String(i).padStart(2, "0")}` }, clock.now());
    await server.vault.store.groups.insertGroup({ id: newGroupId(), name: "100%_ops" }, clock.now());
    const teams = (await admin.findPrincipals({ q: "team" })).principals;
    expect(teams).toHaveLength(20);
    expect(teams[0]).toMatchObject({ kind: "group", name: "Platform team" });
    expect((await admin.findPrincipals({ q: "%" })).principals.map((p) => p.name)).toEqual(["100%_ops"]);
    expect((await admin.findPrincipals({ q: "_" })).principals.map((p) => p.name)).toEqual(["100%_ops"]);
    expect((await admin.findPrincipals({ q: "BO" })).principals).toEqual([{ kind: "user", id: boId, name: "bo", detail: "bo" }]);
    expect((await admin.findPrincipals({ q: "deploy", kind: "service_account" })).principals).toEqual([{ kind: "service_account", id: robot, name: "ci-deployer", detail: null }]);
    expect((await admin.findPrincipals({ q: "deploy", kind: "user" })).principals).toEqual([]);
    // bo owns an entry (so manages it); a fresh member and an auditor may not search.
    expect((await bo.findPrincipals({ q: "cy" })).principals.map((p) => p.name)).toEqual(["cy"]);
    const newcomer = await signedInClient(server, "ed", "member");
    expect(await rejection(newcomer.findPrincipals({ q: "a" }))).toMatchObject({ status: 403, key: "principals_forbidden" });
    expect(await rejection(auditor.findPrincipals({ q: "a" }))).toMatchObject({ status: 403, key: "principals_forbidden" });
    // Disabled service accounts are not offered.
    await server.vault.store.serviceAccounts.setServiceAccountDisabled(robot, clock.now());
    expect((await admin.findPrincipals({ q: "deploy" })).principals).toEqual([]);
    await server.vault.store.serviceAccounts.setServiceAccountDisabled(robot, null);
  });

  it("shows a folder's page to administrators and its managers, and lets administrators choose its approver group", async () => {
    const folder = await admin.createFolder({ name: "Treasury" });
    await entry("Bank", admin, folder.id);
    const page = await admin.getFolder(folder.id);
    expect(page).toMatchObject({ id: folder.id, name: "Treasury", entryCount: 1, approverGroup: null, grants: [], canGrant: true, canAdminister: true });
    const set = await admin.setFolderApproverGroup(folder.id, group);
    expect(set.approverGroup).toEqual({ id: group, name: "Platform team" });
    expect((await events("folder.approver_group_set")).some((e) => JSON.parse(e.details).folderId === folder.id)).toBe(true);
    const facts = await server.vault.store.accessPolicies.loadFolderAccess(folder.id as FolderId, { userId: null, groupIds: [], serviceAccountId: null });
    expect(facts?.facts.approverGroupId).toBe(group);

    expect(await rejection(bo.getFolder(folder.id))).toMatchObject({ status: 403, key: "folder_view_forbidden" });
    await admin.createGrant({ principal: { kind: "user", id: boId }, scope: { kind: "folder", id: folder.id }, permission: "manage" });
    const managed = await bo.getFolder(folder.id);
    expect(managed).toMatchObject({ canGrant: true, canAdminister: false, approverGroup: { name: "Platform team" } });
    expect(managed.grants.map((g) => g.principal.name)).toEqual(["bo"]);
    expect(await rejection(bo.setFolderApproverGroup(folder.id, null))).toMatchObject({ status: 403, key: "approver_group_forbidden" });
    expect(await rejection(admin.setFolderApproverGroup(folder.id, NO_SUCH_ID))).toMatchObject({ status: 400, key: "approver_group_unknown" });
    expect(await rejection(admin.getFolder(NO_SUCH_ID))).toMatchObject({ status: 404, key: "folder_not_found" });
    expect(await rejection(admin.setFolderApproverGroup(NO_SUCH_ID, null))).toMatchObject({ status: 404, key: "folder_not_found" });
    expect((await admin.setFolderApproverGroup(folder.id, null)).approverGroup).toBeNull();
  });
});
