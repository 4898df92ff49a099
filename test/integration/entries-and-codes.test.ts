// Entries and codes over real HTTP on both databases, checked against oathtool (a reference no one
// here wrote): write-only seeds, atomic HOTP counters, recovery codes, audit-or-fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import QRCode from "qrcode";
import { ApiError, type WatchwordClient } from "../../src/client/client.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool as oathtool } from "../support/oathtool.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890", RFC 4226's test key


describe.each(databaseKinds)("entries and codes on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let member: WatchwordClient;
  const responses: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    member = await signedInClient(server, "max", "member");
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  const record = <T>(value: T): T => {
    responses.push(JSON.stringify(value));
    return value;
  };

  it.skipIf(!hasOathtool)("adds an entry from a setup key and hands out the code oathtool computes", async () => {
    const { entry, warnings } = record(await admin.createEntry({ name: "AWS root", seed: { secret: "gezd gnbv gy3t qojq gezd gnbv gy3t qojq" }, tags: ["Cloud"] }));
    expect(entry).toMatchObject({ name: "AWS root", tags: ["cloud"], otp: { type: "totp", algorithm: "SHA1", digits: 6, period: 30 } });
    expect(warnings).toEqual([]);
    const code = record(await admin.getCode(entry.id));
    expect(code.validUntil! - code.validFrom).toBe(30);
    expect(code.code).toBe(oathtool("--totp", "-b", "-N", `@${code.validFrom}`, SEED_B32));
  });

  it.skipIf(!hasOathtool)("takes SHA-256, 8-digit, 60-second links and warns about short secrets", async () => {
    const { entry } = record(await admin.createEntry({ seed: { uri: `otpauth://totp/Registrar:ops%40example.com?secret=${SEED_B32}&algorithm=SHA256&digits=8&period=60&issuer=Registrar` } }));
    expect(entry.name).toBe("Registrar (ops@example.com)");
    const code = record(await admin.getCode(entry.id));
    expect(code.code).toBe(oathtool("--totp=sha256", "-d", "8", "-s", "60", "-b", "-N", `@${code.validFrom}`, SEED_B32));
    const short = record(await admin.createEntry({ name: "Old portal", seed: { secret: "JBSWY3DPEHPK3PXP" } }));
    expect(short.warnings.map((notice) => notice.key)).toEqual(["seed_weak"]);
    expect(short.warnings[0]).toMatchObject({ params: { bits: 80 }, detail: expect.stringMatching(/80 bits long, shorter than the 128 bits/) });
  });

  it.skipIf(!hasOathtool)("advances an HOTP counter once per code, even for concurrent requests, and never on GET", async () => {
    const { entry } = record(await admin.createEntry({ name: "VPN token", seed: { uri: `otpauth://hotp/VPN?secret=${SEED_B32}&counter=5` } }));
    expect((await rejection(admin.getCode(entry.id))).status).toBe(409);
    const codes = await Promise.all(Array.from({ length: 10 }, () => admin.takeCode(entry.id)));
    const expected = oathtool("--hotp", "-c", "5", "-w", "9", "-b", SEED_B32).split("\n");
    expect(codes.map((c) => c.code).sort()).toEqual([...expected].sort());
    expect(codes.every((c) => c.type === "hotp" && c.period === null && c.validUntil === null)).toBe(true);
  });

  it.skipIf(!hasOathtool)("gives two server nodes on one database different HOTP counters", async () => {
    const { entry } = await admin.createEntry({ name: "Shared HOTP", seed: { uri: `otpauth://hotp/Shared?secret=${SEED_B32}&counter=0` } });
    const second = await startTestApp(db);
    try {
      const other = await signedInClient(second, "ada", "admin");
      const codes = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? admin : other).takeCode(entry.id)));
      const expected = oathtool("--hotp", "-c", "0", "-w", "11", "-b", SEED_B32).split("\n");
      expect(codes.map((c) => c.code).sort()).toEqual([...expected].sort());
    } finally {
      await second.close();
    }
  });

  it("returns every TOTP code the caller may use in one batch, and nothing of other people's entries", async () => {
    const batch = record(await admin.batchCodes());
    expect(batch.codes.length).toBe(3);
    expect(Math.abs(batch.serverTime - Date.now() / 1000)).toBeLessThan(5);
    await member.createEntry({ name: "Member's own", seed: { secret: SEED_B32 } });
    const mine = await member.batchCodes();
    expect(mine.codes).toHaveLength(1);
    const entries = await member.listEntries();
    expect(entries.entries.map((e) => e.name)).toEqual(["Member's own"]);
    const adminsEntry = (await admin.listEntries({ q: "aws" })).entries[0]!;
    expect((await rejection(member.getCode(adminsEntry.id))).status).toBe(404);
    expect((await rejection(member.getEntry(adminsEntry.id))).message).toMatch(/not shared with you/);
  });

  it("reveals recovery codes one at a time with a reason, and all of them to a manager", async () => {
    const { entry } = record(await admin.createEntry({ name: "Registrar recovery", recoveryCodes: ["alpha-1111", "bravo-2222", "charlie-3333"] }));
    expect(entry.templateId).toBe("recovery-codes-only");
    expect(entry.recoveryCodes).toEqual({ total: 3, remaining: 3 });
    expect((await rejection(admin.revealNextRecoveryCode(entry.id, ""))).status).toBe(400);
    const [first, second] = await Promise.all([admin.revealNextRecoveryCode(entry.id, "locked out, OPS-1"), admin.revealNextRecoveryCode(entry.id, "locked out, OPS-2")]);
    expect(new Set([first.code, second.code])).toEqual(new Set(["alpha-1111", "bravo-2222"]));
    expect((await admin.getEntry(entry.id)).recoveryCodes.remaining).toBe(1);
    const all = await admin.revealAllRecoveryCodes(entry.id, "rotating the codes");
    expect(all.codes).toEqual([
      { code: "alpha-1111", used: true },
      { code: "bravo-2222", used: true },
      { code: "charlie-3333", used: false },
    ]);
    await admin.revealNextRecoveryCode(entry.id, "last one");
    expect((await rejection(admin.revealNextRecoveryCode(entry.id, "none left"))).message).toMatch(/has been used/);
  });

  it.skipIf(!hasOathtool)("overwrites a seed: the codes come from the new seed", async () => {
    const newSeed = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
    const { entry } = await admin.createEntry({ name: "Rotating", seed: { secret: SEED_B32 } });
    const { entry: after } = record(await admin.overwriteSeed(entry.id, { secret: newSeed }));
    expect(after.otp!.seedUpdatedAt >= entry.otp!.seedUpdatedAt).toBe(true);
    const code = await admin.getCode(entry.id);
    expect(code.code).toBe(oathtool("--totp", "-b", "-N", `@${code.validFrom}`, newSeed));
    expect((await rejection(member.overwriteSeed(entry.id, { secret: SEED_B32 }))).status).toBe(404);
  });

  it("refuses duplicate names, bad seeds and bad fields with the field named, storing nothing", async () => {
    const count = (await admin.listEntries()).entries.length;
    const duplicate = await rejection(admin.createEntry({ name: "aws ROOT", seed: { secret: SEED_B32 } }));
    expect([duplicate.status, duplicate.field]).toEqual([409, "name"]);
    const badKey = await rejection(admin.createEntry({ name: "Bad", seed: { secret: "not base32 at all!" } }));
    expect([badKey.status, badKey.field]).toEqual([400, "secret"]);
    const both = await rejection(admin.createEntry({ name: "Both", seed: { secret: SEED_B32, uri: "otpauth://totp/x?secret=AAAA" } }));
    expect(both.field).toBe("seed");
    const badUri = await rejection(admin.createEntry({ name: "Bad link", seed: { uri: "otpauth://totp/x?secret=GEZD&algorithm=MD5" } }));
    expect(badUri.field).toBe("algorithm");
    const badUrl = await rejection(admin.createEntry({ name: "Bad url", url: "javascript:alert(1)", seed: { secret: SEED_B32 } }));
    expect(badUrl.field).toBe("url");
    const noName = await rejection(admin.createEntry({ seed: { secret: SEED_B32 } }));
    expect(noName.field).toBe("name");
    expect((await admin.listEntries()).entries.length).toBe(count);
  });

  it("answers two simultaneous creates of one name with one entry and one 409", async () => {
    const results = await Promise.allSettled([admin.createEntry({ name: "Twin", seed: { secret: SEED_B32 } }), admin.createEntry({ name: "twin", seed: { secret: SEED_B32 } })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect([failure.reason.status, failure.reason.field]).toEqual([409, "name"]);
  });

  it("keeps web-app passwords sealed and reveals them with a reason", async () => {
    const { entry } = await admin.createEntry({ name: "Vendor console", url: "https://vendor.example/login", username: "ops", fields: { password: "hunter2-but-longer" }, seed: { secret: SEED_B32 } });
    expect(entry.templateId).toBe("web-app-otp");
    expect(entry.templateName).toBe("Web app with OTP");
    expect(entry.fields).toEqual([{ key: "password", label: "Password", type: "secret", value: null, isSet: true }]);
    expect((await admin.revealField(entry.id, "password", "vendor call")).value).toBe("hunter2-but-longer");
  });

  it("creates an entry with a template from a code found in a QR image, using the upload up", async () => {
    const png = await QRCode.toBuffer(`otpauth://totp/Registrar:hostmaster?secret=${SEED_B32}&issuer=Registrar`, { width: 300, margin: 4 });
    const preview = record(await admin.createImport({ data: png.toString("base64"), format: "image" }));
    expect(preview.entries).toHaveLength(1);
    const fromImport = { importId: preview.importId, index: preview.entries[0]!.index };
    // The seed comes in exactly one way, from an import of one's own, by an index it has.
    expect((await rejection(admin.createEntry({ templateId: "web-app-otp", seed: { secret: SEED_B32, fromImport } }))).field).toBe("seed");
    expect((await rejection(member.createEntry({ seed: { fromImport } }))).status).toBe(404);
    expect((await rejection(admin.createEntry({ seed: { fromImport: { ...fromImport, index: 7 } } }))).field).toBe("seed.fromImport.index");

    const { entry } = record(
      await admin.createEntry({ templateId: "web-app-otp", url: "https://registrar.example", username: "hostmaster", fields: { password: "zinc-lantern-ferry-07" }, seed: { fromImport } }),
    );
    expect(entry).toMatchObject({ name: "Registrar (hostmaster)", templateId: "web-app-otp", url: "https://registrar.example/", otp: { type: "totp", digits: 6 } });
    const code = record(await admin.getCode(entry.id));
    if (hasOathtool) expect(code.code).toBe(oathtool("--totp", "-b", "-N", `@${code.validFrom}`, SEED_B32));
    expect((await admin.revealField(entry.id, "password", "registrar renewal")).value).toBe("zinc-lantern-ferry-07");
    // Used up: neither a second entry nor the import's own confirm can take it again.
    expect((await rejection(admin.createEntry({ name: "Again", seed: { fromImport } }))).status).toBe(404);
    expect((await rejection(admin.confirmImport(preview.importId))).status).toBe(404);

    // The service issued a new seed: a screenshot of its QR code overwrites the old one.
    const NEW_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ";
    const newPng = await QRCode.toBuffer(`otpauth://totp/Registrar:hostmaster?secret=${NEW_SEED}&issuer=Registrar`, { width: 300, margin: 4 });
    const newPreview = record(await admin.createImport({ data: newPng.toString("base64"), format: "image" }));
    const replaced = { importId: newPreview.importId, index: newPreview.entries[0]!.index };
    expect((await rejection(member.overwriteSeed(entry.id, { fromImport: replaced }))).status).toBe(404);
    record(await admin.overwriteSeed(entry.id, { fromImport: replaced }));
    const newCode = record(await admin.getCode(entry.id));
    if (hasOathtool) expect(newCode.code).toBe(oathtool("--totp", "-b", "-N", `@${newCode.validFrom}`, NEW_SEED));
    expect((await rejection(admin.overwriteSeed(entry.id, { fromImport: replaced }))).status).toBe(404);
  });

  it("writes an audit event for every code and reveal, in one unbroken chain", async () => {
    const events = await server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 });
    const { verifyStoredChain } = await import("../support/audit-chain.js");
    expect(await verifyStoredChain(server.vault)).toMatchObject({ isIntact: true, eventsChecked: events.length });
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a === "code.issued").length).toBeGreaterThanOrEqual(14);
    expect(actions).toContain("recovery_code.revealed");
    expect(actions).toContain("seed.overwritten");
    expect(events.find((e) => e.action === "recovery_code.revealed")?.reason).toMatch(/locked out/);
  });

  it("never shows the seed: not in replies, logs or the database", async () => {
    const seedBytes = Buffer.from("12345678901234567890");
    const haystacks = [responses.join("\n"), server.logs.join("\n"), await dumpDatabase(db)];
    for (const haystack of haystacks) {
      for (const needle of [SEED_B32, SEED_B32.toLowerCase(), seedBytes.toString("hex"), seedBytes.toString("latin1"), seedBytes.toString("base64"), "hunter2-but-longer", "charlie-3333"]) {
        expect(haystack).not.toContain(needle);
      }
    }
  });

  it("hands out no code when its audit event cannot be written", async () => {
    const { entry } = await admin.createEntry({ name: "Audit canary", seed: { secret: SEED_B32 } });
    const dbHandle = await import("../../src/store/connect.js").then((m) => m.openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) }));
    if (kind === "sqlite") {
      await sql`create trigger audit_blocked before insert on audit_events begin select raise(abort, 'audit disk full'); end`.execute(dbHandle.db);
    } else {
      await sql`create function audit_blocked() returns trigger language plpgsql as $$ begin raise exception 'audit disk full'; end $$`.execute(dbHandle.db);
      await sql`create trigger audit_blocked before insert on audit_events for each row execute function audit_blocked()`.execute(dbHandle.db);
    }
    try {
      const failure = await rejection(admin.getCode(entry.id));
      expect(failure.status).toBe(503);
      expect(failure.message).toMatch(/audit log could not be written/);
      expect(failure.message).not.toMatch(/\d{6}/);
      const hotp = await admin.createEntry({ name: "HOTP canary", seed: { uri: `otpauth://hotp/C?secret=${SEED_B32}&counter=0` } }).catch((e: unknown) => e);
      expect(hotp).toBeInstanceOf(ApiError); // creating an entry is audited too
    } finally {
      await sql`drop trigger audit_blocked${kind === "postgres" ? sql` on audit_events` : sql``}`.execute(dbHandle.db);
      await dbHandle.db.destroy();
    }
    expect((await admin.getCode(entry.id)).code).toMatch(/^\d{6}$/);
  });
});
