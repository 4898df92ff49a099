// Folders and templates over real HTTP on both databases: renamed, edited and deleted by
// administrators only, a folder only when empty and a template only when unused (refused with the
// count), each change audited, and a refusal changing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import type { CreateTemplateRequest } from "../../src/contract/entries.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

const bankPortal: CreateTemplateRequest = {
  name: "Bank portal",
  fields: [
    { key: "customer_number", label: "Customer number", type: "text", required: true },
    { key: "pin", label: "PIN", type: "secret", required: false },
    { key: "seed", label: "OTP seed", type: "otp", required: false },
  ],
};

describe.each(databaseKinds)("folders and templates on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let member: WatchwordClient;
  let auditor: WatchwordClient;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    member = await signedInClient(server, "max", "member");
    auditor = await signedInClient(server, "aud", "auditor");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const actions = async (): Promise<{ action: string; details: Record<string, unknown> }[]> =>
    (await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 })).filter((event) => event.outcome === "success").map((event) => ({ action: event.action, details: JSON.parse(event.details) as Record<string, unknown> }));

  it("renames a folder; its entries stay in it; a taken name, a member and an unknown id are refused", async () => {
    const finance = await admin.createFolder({ name: "Finance" });
    await admin.createFolder({ name: "Ops" });
    const entry = await admin.createEntry({ name: "Bank", folderId: finance.id, seed: { secret: SEED } });

    const renamed = await admin.renameFolder(finance.id, { name: "  Money  " });
    expect(renamed).toEqual({ id: finance.id, name: "Money", entryCount: 1 });
    expect((await admin.getEntry(entry.entry.id)).folderId).toBe(finance.id);
    // Same name in other case: one's own folder may change case.
    expect((await admin.renameFolder(finance.id, { name: "MONEY" })).name).toBe("MONEY");

    const taken = await rejection(admin.renameFolder(finance.id, { name: "ops" }));
    expect(taken).toMatchObject({ status: 409, key: "folder_name_taken", field: "name", params: { name: "ops" } });
    expect(await rejection(member.renameFolder(finance.id, { name: "Mine" }))).toMatchObject({ status: 403, key: "folder_change_forbidden" });
    expect(await rejection(admin.renameFolder("8a6c9a3e-3f3e-4d0b-9a59-6d0c3cf0e7a1", { name: "Ghost" }))).toMatchObject({ status: 404, key: "folder_not_found" });
    expect(await rejection(admin.renameFolder(finance.id, { name: "   " }))).toMatchObject({ status: 400, key: "folder_name_required", field: "name" });
    expect(await rejection(admin.renameFolder(finance.id, { name: "Bad\u0007name" }))).toMatchObject({ status: 400, key: "text_control_character_line" });
    expect(await rejection(admin.renameFolder(finance.id, { name: "x".repeat(201) }))).toMatchObject({ status: 400, key: "field_too_long" });
    expect(await rejection(admin.renameFolder("not-a-uuid", { name: "Ghost" }))).toMatchObject({ status: 400, field: "id" });

    // None of the refusals changed the folder.
    expect((await admin.listFolders()).folders.find((folder) => folder.id === finance.id)?.name).toBe("MONEY");
    expect((await actions()).filter((event) => event.action === "folder.renamed")).toEqual([
      { action: "folder.renamed", details: { folderId: finance.id, name: "Money", previousName: "Finance" } },
      { action: "folder.renamed", details: { folderId: finance.id, name: "MONEY", previousName: "Money" } },
    ]);
  });

  it("deletes a folder only when empty, saying how many entries it still holds", async () => {
    const folder = await admin.createFolder({ name: "Legacy" });
    const ids: string[] = [];
    for (const name of ["One", "Two", "Three"]) ids.push((await admin.createEntry({ name, folderId: folder.id, seed: { secret: SEED } })).entry.id);
    // A member's own entry counts too, though the administrator put it there: a member may not
    // place entries in a folder they do not manage.
    expect(await rejection(member.createEntry({ name: "Mine", folderId: folder.id, seed: { secret: SEED } }))).toMatchObject({ status: 403, key: "folder_entry_create_forbidden" });
    const own = await member.createEntry({ name: "Mine", seed: { secret: SEED } });
    expect(await rejection(member.updateEntry(own.entry.id, { folderId: folder.id }))).toMatchObject({ status: 403, key: "folder_entry_create_forbidden" });
    await admin.updateEntry(own.entry.id, { folderId: folder.id });

    const refused = await rejection(admin.deleteFolder(folder.id));
    expect(refused).toMatchObject({ status: 409, key: "folder_not_empty", params: { name: "Legacy", count: 4 } });
    expect(refused.message).toBe('The folder "Legacy" still holds 4 entries. Move them to another folder or delete them first.');
    expect(await rejection(member.deleteFolder(folder.id))).toMatchObject({ status: 403, key: "folder_change_forbidden" });
    expect(await rejection(auditor.deleteFolder(folder.id))).toMatchObject({ status: 403 });

    for (const id of ids.slice(0, 2)) await admin.deleteEntry(id);
    await admin.updateEntry(ids[2]!, { folderId: null });
    expect(await rejection(admin.deleteFolder(folder.id))).toMatchObject({ key: "folder_not_empty", params: { count: 1 }, message: expect.stringContaining("still holds 1 entry. Move it") });
    await member.updateEntry(own.entry.id, { folderId: null });

    await admin.deleteFolder(folder.id);
    expect((await admin.listFolders()).folders.map((f) => f.id)).not.toContain(folder.id);
    expect(await rejection(admin.deleteFolder(folder.id))).toMatchObject({ status: 404, key: "folder_not_found" });
    expect((await actions()).filter((event) => event.action === "folder.deleted")).toEqual([{ action: "folder.deleted", details: { folderId: folder.id, name: "Legacy" } }]);
  });

  it("edits a template in use: renamed, relabelled, a field added; entries show the new labels", async () => {
    const template = await admin.createTemplate(bankPortal);
    const entry = await admin.createEntry({ name: "Acme Bank", templateId: template.id, fields: { customer_number: "CN-1", pin: "4417" }, seed: { secret: SEED } });

    const edited = await admin.updateTemplate(template.id, {
      name: "Bank login",
      fields: [
        { key: "customer_number", label: "Client ID", type: "text", required: true },
        { key: "branch", label: "Branch", type: "text", required: false },
        { key: "seed", label: "OTP seed", type: "otp", required: true },
        { key: "pin", label: "Card PIN", type: "secret", required: true },
      ],
    });
    expect(edited).toMatchObject({ id: template.id, name: "Bank login", builtIn: false, entryCount: 1 });
    const detail = await admin.getEntry(entry.entry.id);
    expect(detail.templateName).toBe("Bank login");
    expect(detail.fields).toEqual([
      { key: "customer_number", label: "Client ID", type: "text", value: "CN-1", isSet: true },
      { key: "branch", label: "Branch", type: "text", value: null, isSet: false },
      { key: "pin", label: "Card PIN", type: "secret", value: null, isSet: true },
    ]);
    // The PIN is still readable: its key and type did not change.
    expect((await admin.revealField(entry.entry.id, "pin", "Checking the edited template")).value).toBe("4417");
    const updated = (await actions()).filter((event) => event.action === "template.updated");
    expect(updated).toEqual([{ action: "template.updated", details: { templateId: template.id, name: "Bank login", entries: 1 } }]);
  });

  it("refuses to drop or retype a field that entries may hold, naming it and the count", async () => {
    const template = await admin.createTemplate({ ...bankPortal, name: "Broker" });
    for (const name of ["Broker A", "Broker B", "Broker C"]) await admin.createEntry({ name, templateId: template.id, fields: { customer_number: name }, seed: { secret: SEED } });
    const without = { name: "Broker", fields: bankPortal.fields.filter((field) => field.key !== "pin") };
    const dropped = await rejection(admin.updateTemplate(template.id, without));
    expect(dropped).toMatchObject({ status: 409, key: "template_field_locked", field: "fields", params: { count: 3, label: "PIN" } });
    expect(dropped.message).toBe('The template is used by 3 entries, so its field "PIN" cannot be removed or change type.');
    const retyped = { name: "Broker", fields: bankPortal.fields.map((field) => (field.key === "customer_number" ? { ...field, type: "secret" as const } : field)) };
    expect(await rejection(admin.updateTemplate(template.id, retyped))).toMatchObject({ key: "template_field_locked", params: { label: "Customer number" } });
    // Unchanged after both refusals.
    expect((await admin.listTemplates()).templates.find((t) => t.id === template.id)?.fields).toEqual(bankPortal.fields);
  });

  it("deletes a template only when unused, saying how many entries use it; built-in ones never", async () => {
    const template = await admin.createTemplate({ ...bankPortal, name: "Registrar" });
    const ids: string[] = [];
    for (const name of ["Gandi", "OVH", "Namecheap"]) ids.push((await admin.createEntry({ name, templateId: template.id, fields: { customer_number: name } })).entry.id);

    const refused = await rejection(admin.deleteTemplate(template.id));
    expect(refused).toMatchObject({ status: 409, key: "template_in_use", params: { name: "Registrar", count: 3 } });
    expect(refused.message).toBe('The template "Registrar" is used by 3 entries, so it cannot be deleted.');
    expect((await admin.listTemplates()).templates.find((t) => t.id === template.id)?.entryCount).toBe(3);
    // Members see templates (to add entries) but not how many entries use them.
    expect((await member.listTemplates()).templates.find((t) => t.id === template.id)).not.toHaveProperty("entryCount");
    expect(await rejection(member.deleteTemplate(template.id))).toMatchObject({ status: 403, key: "template_change_forbidden" });
    expect(await rejection(member.updateTemplate(template.id, bankPortal))).toMatchObject({ status: 403, key: "template_change_forbidden" });

    for (const id of ids) await admin.deleteEntry(id);
    await admin.deleteTemplate(template.id);
    expect((await admin.listTemplates()).templates.map((t) => t.id)).not.toContain(template.id);
    expect(await rejection(admin.deleteTemplate(template.id))).toMatchObject({ status: 404, key: "template_not_found" });
    expect((await actions()).filter((event) => event.action === "template.deleted")).toEqual([{ action: "template.deleted", details: { templateId: template.id, name: "Registrar" } }]);

    for (const builtIn of ["otp-only", "web-app-otp", "recovery-codes-only"]) {
      expect(await rejection(admin.deleteTemplate(builtIn))).toMatchObject({ status: 409, key: "template_built_in" });
      expect(await rejection(admin.updateTemplate(builtIn, bankPortal))).toMatchObject({ status: 409, key: "template_built_in" });
    }
    expect((await admin.listTemplates()).templates.filter((t) => t.builtIn)).toHaveLength(3);
  });

  it("checks an edited template like a new one", async () => {
    const template = await admin.createTemplate({ ...bankPortal, name: "Checked" });
    const twice = { name: "Checked", fields: [...bankPortal.fields, { key: "seed_two", label: "Second seed", type: "otp" as const, required: false }] };
    expect(await rejection(admin.updateTemplate(template.id, twice))).toMatchObject({ status: 400, key: "template_several_otp", field: "fields" });
    const repeated = { name: "Checked", fields: [...bankPortal.fields, { ...bankPortal.fields[0]! }] };
    expect(await rejection(admin.updateTemplate(template.id, repeated))).toMatchObject({ status: 400, key: "template_keys_repeated" });
    expect(await rejection(admin.updateTemplate(template.id, { name: "Checked", fields: [] }))).toMatchObject({ status: 400, key: "field_too_few_items", params: { field: "fields", count: 1 } });
    expect(await rejection(admin.updateTemplate(template.id, { name: "", fields: bankPortal.fields }))).toMatchObject({ status: 400, field: "name" });
    expect(await rejection(admin.updateTemplate("x".repeat(65), bankPortal))).toMatchObject({ status: 400, field: "id" });
    expect((await admin.listTemplates()).templates.find((t) => t.id === template.id)?.fields).toEqual(bankPortal.fields);
  });
});
