// Every entry route asks core/policy.ts through services/access.ts: grants to a user, to a group
// and on a folder open an entry; revoked and expired grants close it at the very next request (the
// SQLite look-up cache included); approval-required entries are seen but give no code; the
// administrator's "mine" view is not every entry. Grants are written through the store here (the
// grant API is tested on its own); every answer comes through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { newGrantId, newGroupId, type EntryId, type FolderId, type GrantId, type UserId } from "../../src/core/ids.js";
import type { GrantPermission, GrantScope, Principal } from "../../src/core/policy.js";
import type { WatchwordClient } from "../../src/client/client.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const HOUR = 3_600_000;

describe.each(databaseKinds)("entry access by policy on %s", (kind) => {
  const clock = new ManualClock(Date.now());
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let member: WatchwordClient;
  let auditor: WatchwordClient;
  let memberId: UserId;
  let adminId: UserId;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    admin = await signedInClient(server, "ada", "admin");
    member = await signedInClient(server, "bo", "member");
    auditor = await signedInClient(server, "cy", "auditor");
    memberId = (await server.vault.store.users.findUserByUsername("bo"))!.id as UserId;
    adminId = (await server.vault.store.users.findUserByUsername("ada"))!.id as UserId;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  async function grant(principal: Principal, scope: GrantScope, permission: GrantPermission, expiresAt: number | null = null): Promise<GrantId> {
    const id = newGrantId();
    await server.vault.store.grants.insertGrant({ id, principal, scope, permission, expiresAt, accessRequestId: null, createdBy: adminId, createdAt: clock.now() });
    return id;
  }
  const onEntry = (id: string): GrantScope => ({ kind: "entry", id: id as EntryId });
  const toMember: Principal = { kind: "user", id: "" as UserId };
  const names = async (client: WatchwordClient, view?: "mine" | "all") => (await client.listEntries(view === undefined ? {} : { view })).entries.map((e) => e.name);

  it("opens an entry to a user with a grant, for exactly what the grant gives, and closes it when revoked", async () => {
    const { entry } = await admin.createEntry({ name: "Registrar", seed: { secret: SEED } });
    expect(await rejection(member.getEntry(entry.id))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await rejection(member.getCode(entry.id))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await names(member)).not.toContain("Registrar");

    const use = await grant({ ...toMember, id: memberId }, onEntry(entry.id), "use");
    expect(await names(member)).toContain("Registrar");
    expect((await member.getEntry(entry.id)).canManage).toBe(false);
    const code = await member.getCode(entry.id);
    if (hasOathtool) expect(code.code).toBe(runOathtool("--totp", "-b", `--now=@${code.validFrom}`, SEED));
    expect(await rejection(member.updateEntry(entry.id, { notes: "mine now" }))).toMatchObject({ status: 403, key: "entry_change_forbidden" });
    expect(await rejection(member.deleteEntry(entry.id))).toMatchObject({ status: 403, key: "entry_change_forbidden" });
    expect(await rejection(member.revealAllRecoveryCodes(entry.id, "audit drill"))).toMatchObject({ status: 403, key: "recovery_codes_reveal_forbidden" });

    const manage = await grant({ ...toMember, id: memberId }, onEntry(entry.id), "manage");
    expect((await member.getEntry(entry.id)).canManage).toBe(true);
    await member.updateEntry(entry.id, { notes: "rotated by bo" });

    // Revoked: refused at the very next request, though the look-ups were just cached.
    expect(await server.vault.store.grants.revokeGrant(manage, adminId, clock.now())).toBe(true);
    expect(await rejection(member.updateEntry(entry.id, { notes: "again" }))).toMatchObject({ status: 403 });
    await server.vault.store.grants.revokeGrant(use, adminId, clock.now());
    expect(await rejection(member.getCode(entry.id))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await names(member)).not.toContain("Registrar");
  });

  it("lets a grant expire by the clock, at its expiry instant", async () => {
    const { entry } = await admin.createEntry({ name: "Vendor portal", seed: { secret: SEED } });
    await grant({ kind: "user", id: memberId }, onEntry(entry.id), "use", clock.now() + HOUR);
    await member.getCode(entry.id);
    clock.advance(HOUR - 1);
    await member.getCode(entry.id);
    clock.advance(1);
    expect(await rejection(member.getCode(entry.id))).toMatchObject({ status: 404 });
    expect(await names(member)).not.toContain("Vendor portal");
  });

  it("reaches a group's members through a folder grant, for every entry in the folder", async () => {
    const folder = await admin.createFolder({ name: "Cloud roots" });
    const inside = (await admin.createEntry({ name: "AWS root", folderId: folder.id, seed: { secret: SEED } })).entry;
    const outside = (await admin.createEntry({ name: "GCP root", seed: { secret: SEED } })).entry;
    const group = newGroupId();
    await server.vault.store.groups.insertGroup({ id: group, name: "Platform" }, clock.now());
    await grant({ kind: "group", id: group }, { kind: "folder", id: folder.id as FolderId }, "use");
    expect(await rejection(member.getCode(inside.id))).toMatchObject({ status: 404 });

    await server.vault.store.groups.addMember(group, memberId, clock.now());
    await member.getCode(inside.id);
    expect(await names(member)).toContain("AWS root");
    expect(await rejection(member.getCode(outside.id))).toMatchObject({ status: 404 });
    expect((await member.listFolders()).folders.find((f) => f.id === folder.id)?.entryCount).toBe(1);

    await server.vault.store.groups.removeMember(group, memberId);
    expect(await rejection(member.getCode(inside.id))).toMatchObject({ status: 404 });
  });

  it("shows an approval-required entry to those eligible but gives no code without an approved request", async () => {
    const { entry } = await admin.createEntry({ name: "Bank treasury", seed: { secret: SEED } });
    await server.vault.store.accessPolicies.setEntryPolicy(entry.id as EntryId, { approvalsRequired: 1, emergencyAccess: false }, clock.now());
    await grant({ kind: "user", id: memberId }, onEntry(entry.id), "use");
    expect(await names(member)).toContain("Bank treasury");
    expect((await member.getEntry(entry.id)).name).toBe("Bank treasury");
    const refused = await rejection(member.getCode(entry.id));
    expect(refused).toMatchObject({ status: 403, key: "entry_approval_required" });
    // The two-person rule holds for administrators too.
    expect(await rejection(admin.getCode(entry.id))).toMatchObject({ status: 403, key: "entry_approval_required" });
    // A script's batch leaves it out rather than failing.
    expect((await admin.batchCodes()).codes.map((c) => c.entryId)).not.toContain(entry.id);
  });

  it("gives administrators their own entries by default and every entry on asking; members cannot widen their view", async () => {
    await member.createEntry({ name: "Bo's private", seed: { secret: SEED } });
    expect(await names(admin)).not.toContain("Bo's private");
    expect(await names(admin, "all")).toContain("Bo's private");
    expect(await names(member, "all")).toEqual(await names(member));
    expect(await names(auditor)).toEqual([]);
    // Administrators still reach any entry by id.
    const own = (await member.listEntries()).entries.find((e) => e.name === "Bo's private")!;
    await admin.getCode(own.id);
  });

  it("refuses auditors every code, and answers an unknown or hostile entry id the same 404", async () => {
    const { entry } = await admin.createEntry({ name: "Payroll", seed: { secret: SEED } });
    expect(await rejection(auditor.getCode(entry.id))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await rejection(member.getCode("00000000-0000-4000-8000-000000000000"))).toMatchObject({ status: 404, key: "entry_not_found" });
    expect(await rejection(member.listEntries({ view: "everything" as "all" }))).toMatchObject({ status: 400 });
  });
});
