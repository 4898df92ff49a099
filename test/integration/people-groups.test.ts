// Groups through the HTTP API on both databases: create, rename, delete, members, names unique
// however they are typed, hostile input that changes nothing, and the audit of every change.
import { describe, expect, it } from "vitest";
import { rejection } from "../support/api-rejection.js";
import { databaseKinds } from "../support/databases.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import { signedInClient } from "../support/test-app.js";

const UNKNOWN = "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e";

describe.each(databaseKinds)("groups on %s", (kind) => {
  const suite = useSignedInAdmin(kind);
  const actions = async () =>
    (await suite.server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 })).filter((e) => e.action.startsWith("group.")).map((e) => ({ action: e.action, details: JSON.parse(e.details) as Record<string, unknown> }));

  it("creates, renames, fills, empties and deletes a group, auditing each change", async () => {
    const { admin, server } = suite;
    await signedInClient(server, "bob", "member");
    const bob = (await admin.listUsers()).users.find((u) => u.username === "bob")!;
    const created = await admin.createGroup("  Finance ");
    expect(created).toMatchObject({ name: "Finance", members: [] });
    const renamed = await admin.renameGroup(created.id, "Finance team");
    expect(renamed.name).toBe("Finance team");
    const filled = await admin.addGroupMember(created.id, bob.id);
    expect(filled.members).toEqual([{ userId: bob.id, username: "bob", displayName: "bob", addedAt: expect.any(String) as unknown }]);
    expect((await admin.addGroupMember(created.id, bob.id)).members).toHaveLength(1); // twice is once
    expect((await admin.listGroups()).groups).toEqual([filled]);
    expect((await admin.removeGroupMember(created.id, bob.id)).members).toEqual([]);
    expect((await rejection(admin.removeGroupMember(created.id, bob.id))).key).toBe("group_member_not_found");
    await admin.deleteGroup(created.id);
    expect((await admin.listGroups()).groups).toEqual([]);
    expect((await actions()).map((a) => a.action)).toEqual(["group.created", "group.renamed", "group.member_added", "group.member_added", "group.member_removed", "group.deleted"]);
    expect((await actions())[1]!.details).toMatchObject({ groupId: created.id, from: "Finance", to: "Finance team" });
  });

  it("keeps names unique without regard to case, accents composed or not, and zero-width characters", async () => {
    const { admin } = suite;
    const ops = await admin.createGroup("Café ops");
    for (const name of ["CAFÉ OPS", "Cafe\u0301 ops", "Caf\u200Bé ops"]) {
      const taken = await rejection(admin.createGroup(name));
      expect([taken.status, taken.key], name).toEqual([409, "group_name_taken"]);
    }
    const other = await admin.createGroup("Network");
    expect((await rejection(admin.renameGroup(other.id, "café OPS"))).key).toBe("group_name_taken");
    expect((await admin.renameGroup(ops.id, "CAFÉ OPS")).name).toBe("CAFÉ OPS"); // its own name in another case
  });

  it("refuses hostile input with a 4xx and a catalogued key, changing nothing", async () => {
    const { admin } = suite;
    const group = await admin.createGroup("Stable");
    const bob = (await admin.listUsers()).users.find((u) => u.username === "bob")!;
    const before = JSON.stringify(await admin.listGroups());
    const cases: [() => Promise<unknown>, number, string][] = [
      [() => admin.createGroup(""), 400, "field_too_short"],
      [() => admin.createGroup("   "), 400, "group_name_required"],
      [() => admin.createGroup("G".repeat(101)), 400, "field_too_long"],
      [() => admin.createGroup("Ops\u0000"), 400, "text_nul_character"],
      [() => admin.createGroup("Ops\u001b[31m"), 400, "text_control_character_line"],
      [() => admin.renameGroup(group.id, "Line\nbreak"), 400, "text_control_character_line"],
      [() => admin.renameGroup(UNKNOWN, "Anything"), 404, "group_not_found"],
      [() => admin.renameGroup("not-a-uuid", "Anything"), 400, "field_wrong_format"],
      [() => admin.deleteGroup(UNKNOWN), 404, "group_not_found"],
      [() => admin.addGroupMember(UNKNOWN, bob.id), 404, "group_not_found"],
      [() => admin.addGroupMember(group.id, UNKNOWN), 404, "user_id_not_found"],
      [() => admin.addGroupMember(group.id, "../../etc"), 400, "field_wrong_format"],
      [() => admin.removeGroupMember(group.id, UNKNOWN), 404, "group_member_not_found"],
    ];
    for (const [call, status, key] of cases) {
      const refused = await rejection(call());
      expect([refused.status, refused.key], key).toEqual([status, key]);
    }
    expect(JSON.stringify(await admin.listGroups())).toBe(before);
  });

  it("lets only administrators see or change groups", async () => {
    const { admin, server } = suite;
    const group = await admin.createGroup("Admins only");
    const member = await signedInClient(server, "mia", "member");
    const auditor = await signedInClient(server, "aldo", "auditor");
    for (const client of [member, auditor]) {
      for (const verb of [() => client.listGroups(), () => client.createGroup("Mine"), () => client.renameGroup(group.id, "Mine"), () => client.deleteGroup(group.id), () => client.addGroupMember(group.id, UNKNOWN)]) {
        const refused = await rejection(verb());
        expect([refused.status, refused.key]).toEqual([403, "people_forbidden"]);
      }
    }
    expect((await admin.listGroups()).groups.find((g) => g.id === group.id)?.name).toBe("Admins only");
  });
});
