// Stored ciphertexts that fail authentication, on both databases: a byte really flipped in the
// row. Opening one changes nothing, is answered as what it is (a damaged secret, 409) and is
// audited as a failure; one damaged entry has its own row in the batch of codes, and everyone
// else still gets theirs.
import { describe, expect, it } from "vitest";
import { rejection } from "../support/api-rejection.js";
import { verifyStoredChain } from "../support/audit-chain.js";
import { databaseKinds } from "../support/databases.js";
import { flipMiddleByte, withRawDatabase } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe.each(databaseKinds)("damaged secrets on %s", (kind) => {
  const app = useSignedInAdmin(kind);


  const damageSeed = (entryId: string, damage: (sealed: Uint8Array) => Buffer = flipMiddleByte) =>
    withRawDatabase(app.db, async (raw) => {
      const row = await raw.selectFrom("entries").select("seed_sealed").where("id", "=", entryId).executeTakeFirstOrThrow();
      await raw.updateTable("entries").set({ seed_sealed: damage(row.seed_sealed!) }).where("id", "=", entryId).execute();
    });
  const damageRecoveryCode = (entryId: string, position: number) =>
    withRawDatabase(app.db, async (raw) => {
      const row = await raw.selectFrom("recovery_codes").select(["id", "code_sealed"]).where("entry_id", "=", entryId).where("position", "=", position).executeTakeFirstOrThrow();
      await raw.updateTable("recovery_codes").set({ code_sealed: flipMiddleByte(row.code_sealed) }).where("id", "=", row.id).execute();
    });
  const eventsOf = (entryId: string) => app.server.vault.store.auditEvents.listAuditEvents({ entryId, limit: 1000 });

  it("leaves a damaged recovery code unused, says it is damaged, and audits a failure", async () => {
    const { entry } = await app.admin.createEntry({ name: "Damaged recovery", recoveryCodes: ["papa-1111", "quebec-2222", "romeo-3333"] });
    await damageRecoveryCode(entry.id, 0);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await rejection(app.admin.revealNextRecoveryCode(entry.id, "locked out, OPS-7"));
      expect([refused.status, refused.code]).toEqual([409, "conflict"]);
      expect(refused.message).toMatch(/^This recovery code is damaged and cannot be opened/);
      expect(refused.message).not.toMatch(/papa|quebec|romeo/);
    }
    expect((await app.admin.getEntry(entry.id)).recoveryCodes).toEqual({ total: 3, remaining: 3 });
    const events = await eventsOf(entry.id);
    const reveals = events.filter((e) => e.action === "recovery_code.revealed");
    expect(reveals.map((e) => [e.outcome, e.reason, (JSON.parse(e.details) as { position: number }).position])).toEqual([
      ["failure", "locked out, OPS-7", 0],
      ["failure", "locked out, OPS-7", 0],
    ]);
    const all = await rejection(app.admin.revealAllRecoveryCodes(entry.id, "rotating the codes"));
    expect([all.status, all.message]).toEqual([409, expect.stringMatching(/1 of the 3 recovery codes is damaged/) as unknown]);
    expect((await eventsOf(entry.id)).filter((e) => e.action === "recovery_codes.revealed_all").map((e) => e.outcome)).toEqual(["failure"]);
  });

  it("reveals the next code when a later one is damaged", async () => {
    const { entry } = await app.admin.createEntry({ name: "Later damage", recoveryCodes: ["sierra-1111", "tango-2222"] });
    await damageRecoveryCode(entry.id, 1);
    expect(await app.admin.revealNextRecoveryCode(entry.id, "first of two")).toEqual({ code: "sierra-1111", remaining: 1 });
    expect((await rejection(app.admin.revealNextRecoveryCode(entry.id, "second of two"))).status).toBe(409);
    expect((await app.admin.getEntry(entry.id)).recoveryCodes.remaining).toBe(1);
  });

  it("gives everyone else their codes when one entry's seed is damaged, and reports that entry in its own row", async () => {
    const [first, broken, third] = await Promise.all(["Batch one", "Batch broken", "Batch three"].map(async (name) => (await app.admin.createEntry({ name, seed: { secret: SEED_B32 } })).entry));
    await damageSeed(broken!.id);
    const batch = await app.admin.batchCodes();
    const ids = batch.codes.map((c) => c.entryId);
    expect(ids).toEqual(expect.arrayContaining([first!.id, third!.id]));
    expect(ids).not.toContain(broken!.id);
    expect(batch.problems).toEqual([{ entryId: broken!.id, code: "damaged", key: "seed_damaged", params: {}, detail: expect.stringMatching(/seed is damaged and cannot be opened/) as unknown }]);
    expect((await eventsOf(broken!.id)).filter((e) => e.action === "code.issued").map((e) => e.outcome)).toEqual(["failure"]);
    expect((await eventsOf(first!.id)).filter((e) => e.action === "code.issued").map((e) => e.outcome)).toEqual(["success"]);

    const single = await rejection(app.admin.getCode(broken!.id));
    expect([single.status, single.message]).toEqual([409, expect.stringMatching(/^This entry's seed is damaged and cannot be opened/) as unknown]);
    expect((await app.admin.getCode(first!.id)).code).toMatch(/^\d{6}$/);
  });

  it("refuses an HOTP code from a damaged seed without spending a counter", async () => {
    const { entry } = await app.admin.createEntry({ name: "Damaged HOTP", seed: { uri: `otpauth://hotp/D?secret=${SEED_B32}&counter=3` } });
    await damageSeed(entry.id);
    expect((await rejection(app.admin.takeCode(entry.id))).status).toBe(409);
    expect((await app.server.vault.store.entries.findEntry(entry.id))!.hotpCounter).toBe(3);
    expect((await eventsOf(entry.id)).filter((e) => e.action === "code.issued").map((e) => [e.outcome, (JSON.parse(e.details) as { problem?: string }).problem])).toEqual([["failure", "damaged"]]);
  });

  it("treats a damaged header (a key version the vault does not hold) as damage too", async () => {
    const { entry } = await app.admin.createEntry({ name: "Damaged header", seed: { secret: SEED_B32 } });
    await damageSeed(entry.id, (sealed) => {
      const copy = Buffer.from(sealed);
      copy[5] = (copy[5] ?? 0) ^ 0x40; // the low byte of the key version
      return copy;
    });
    expect((await rejection(app.admin.getCode(entry.id))).status).toBe(409);
  });

  it("refuses to reveal a damaged password, auditing the failure", async () => {
    const { entry } = await app.admin.createEntry({ name: "Damaged password", url: "https://vendor.example", fields: { password: "uniform-victor-77" }, seed: { secret: SEED_B32 } });
    await withRawDatabase(app.db, async (raw) => {
      const row = await raw.selectFrom("entry_fields").select("value_sealed").where("entry_id", "=", entry.id).where("key", "=", "password").executeTakeFirstOrThrow();
      await raw.updateTable("entry_fields").set({ value_sealed: flipMiddleByte(row.value_sealed!) }).where("entry_id", "=", entry.id).where("key", "=", "password").execute();
    });
    const refused = await rejection(app.admin.revealField(entry.id, "password", "vendor call"));
    expect([refused.status, refused.message]).toEqual([409, expect.stringMatching(/^The field "password" is damaged and cannot be opened/) as unknown]);
    expect((await eventsOf(entry.id)).filter((e) => e.action === "field.revealed").map((e) => e.outcome)).toEqual(["failure"]);
  });

  it("refuses to confirm a damaged pending import, creating nothing", async () => {
    const before = (await app.admin.listEntries()).entries.length;
    const preview = await app.admin.createImport({ data: Buffer.from(`otpauth://totp/Pending:one?secret=${SEED_B32}\n`).toString("base64") });
    await withRawDatabase(app.db, async (raw) => {
      const row = await raw.selectFrom("pending_imports").select("sealed").where("id", "=", preview.importId).executeTakeFirstOrThrow();
      await raw.updateTable("pending_imports").set({ sealed: flipMiddleByte(row.sealed) }).where("id", "=", preview.importId).execute();
    });
    const refused = await rejection(app.admin.confirmImport(preview.importId));
    expect([refused.status, refused.message]).toEqual([409, expect.stringMatching(/^This import is damaged and cannot be opened/) as unknown]);
    expect((await app.admin.listEntries()).entries.length).toBe(before);
  });

  it("kept one unbroken audit chain and no 500 in the logs", async () => {
    const events = await app.server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 });
    expect(await verifyStoredChain(app.server.vault)).toMatchObject({ isIntact: true, eventsChecked: events.length });
    expect(app.server.logs.join("\n")).not.toMatch(/"statusCode":500|"code":"internal"/);
    expect(app.server.logs.join("\n")).not.toMatch(/uniform-victor|papa-1111|quebec-2222/);
  });
});
