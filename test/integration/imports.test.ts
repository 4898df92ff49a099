// Bulk imports over HTTP: real export files from other projects, QR screenshots, a 10,000-entry
// import, and bad input — previews hold no secrets, and a failed confirm creates nothing.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "kysely";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { IMPORT_LIFETIME_MS } from "../../src/services/pending-imports.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";
import { describeWithFixtures, readFixture } from "../unit/intake/external-fixtures.js";

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");


for (const kind of databaseKinds) {
  describeWithFixtures(`imports on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestApp;
    let admin: WatchwordClient;
    const replies: string[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestApp(db);
      admin = await signedInClient(server, "ada", "admin");
    });
    afterAll(async () => {
      await server.close();
      await db.drop();
    });

    it("previews an Aegis export without secrets, then creates its entries, whose codes oathtool agrees with", async () => {
      const preview = await admin.createImport({ data: b64(readFixture("aegis-importers/aegis_plain.json")) });
      replies.push(JSON.stringify(preview));
      expect(preview.format).toBe("aegis");
      expect(preview.entries.length).toBeGreaterThanOrEqual(5);
      expect(preview.entries.every((e) => e.duplicateOf === null)).toBe(true);
      const { created } = await admin.confirmImport(preview.importId);
      expect(created).toHaveLength(preview.entries.length);
      const totp = preview.entries.find((e) => e.type === "totp" && e.algorithm === "SHA1" && e.digits === 6 && e.period === 30)!;
      const entryId = created.find((c) => c.index === totp.index)!.id;
      const code = await admin.getCode(entryId);
      replies.push(JSON.stringify(code));
      const aegis = JSON.parse(Buffer.from(readFixture("aegis-importers/aegis_plain.json")).toString()) as { db: { entries: { name: string; info: { secret: string } }[] } };
      const secret = aegis.db.entries.find((e) => totp.name.includes(e.name))!.info.secret;
      expect(code.code).toBe(execFileSync("oathtool", ["--totp", "-b", "-N", `@${code.validFrom}`, secret], { encoding: "utf8" }).trim());
      await expect(admin.confirmImport(preview.importId)).rejects.toThrow(/expired or does not exist/);
    });

    it("imports Google Authenticator's own database: HOTP codes follow its counter, TOTP codes match oathtool", async () => {
      const preview = await admin.createImport({ data: b64(readFixture("aegis-importers/google_authenticator.sqlite")) });
      replies.push(JSON.stringify(preview));
      expect(preview.format).toBe("gauth-db");
      expect(preview.problems).toEqual([]);
      const { created } = await admin.confirmImport(preview.importId);
      const idOf = (name: string) => created.find((c) => c.index === preview.entries.find((e) => e.name === name)!.index)!.id;
      // Seeds and counters as the app's accounts table holds them (sqlite3 … "select * from accounts").
      const totp = await admin.getCode(idOf("Deno (Mason)"));
      replies.push(JSON.stringify(totp));
      expect(totp.code).toBe(execFileSync("oathtool", ["--totp", "-b", "-N", `@${totp.validFrom}`, "4SJHB4GSD43FZBAI7C2HLRJGPQ"], { encoding: "utf8" }).trim());
      const hotp = await admin.takeCode(idOf("Air Canada (Benjamin)"));
      replies.push(JSON.stringify(hotp));
      expect(hotp.code).toBe(execFileSync("oathtool", ["--hotp", "-b", "-c", "50", "KUVJJOM753IHTNDSZVCNKL7GII"], { encoding: "utf8" }).trim());
    });

    it("flags entries that are already in the vault when the same file comes again", async () => {
      const preview = await admin.createImport({ data: b64(readFixture("aegis-importers/aegis_plain.json")), format: "aegis" });
      expect(preview.entries.every((e) => e.duplicateOf !== null)).toBe(true);
      await admin.discardImport(preview.importId);
    });

    it("opens an encrypted Aegis vault with its password, and refuses a wrong one, creating nothing", async () => {
      const before = (await admin.listEntries()).entries.length;
      const wrong = await rejection(admin.createImport({ data: b64(readFixture("aegis-importers/aegis_encrypted.json")), password: "not it" }));
      expect([wrong.status, wrong.field]).toEqual([400, "password"]);
      const missing = await rejection(admin.createImport({ data: b64(readFixture("aegis-importers/aegis_encrypted.json")) }));
      expect(missing.message).toMatch(/encrypted: give its password/);
      const preview = await admin.createImport({ data: b64(readFixture("aegis-importers/aegis_encrypted.json")), password: "test" });
      expect(preview.entries.length).toBeGreaterThanOrEqual(5);
      await admin.discardImport(preview.importId);
      expect((await admin.listEntries()).entries.length).toBe(before);
    });

    it("opens a FreeOTP 2 backup with its password, creating entries whose codes match oathtool; a wrong password creates nothing", async () => {
      const data = b64(readFixture("aegis-importers/freeotp_v2_api34.xml"));
      const before = (await admin.listEntries()).entries.length;
      const wrong = await rejection(admin.createImport({ data, password: "tset" }));
      expect([wrong.status, wrong.field, wrong.message]).toEqual([400, "password", "The password is wrong, or the file is damaged."]);
      const missing = await rejection(admin.createImport({ data }));
      expect([missing.status, missing.field, missing.message]).toEqual([400, "password", "This FreeOTP file is encrypted: give its password."]);
      expect((await admin.listEntries()).entries.length).toBe(before);

      const preview = await admin.createImport({ data, password: "test" });
      replies.push(JSON.stringify(preview));
      expect([preview.format, preview.entries.length, preview.problems]).toEqual(["freeotp", 6, []]);
      const { created } = await admin.confirmImport(preview.importId, { include: preview.entries.map((e) => e.index) });
      const idOf = (name: string) => created.find((c) => c.index === preview.entries.find((e) => e.name === name)!.index)!.id;
      // Seeds and parameters as Aegis's VaultEntries.java gives them for these accounts.
      const totp = await admin.getCode(idOf("SPDX (James)"));
      replies.push(JSON.stringify(totp));
      expect(totp.code).toBe(execFileSync("oathtool", ["--totp=SHA256", "-d", "7", "-s", "20s", "-b", "-N", `@${totp.validFrom}`, "5OM4WOOGPLQEF6UGN3CPEOOLWU"], { encoding: "utf8" }).trim());
      const hotp = await admin.takeCode(idOf("Issuu (James)"));
      replies.push(JSON.stringify(hotp));
      expect(hotp.code).toBe(execFileSync("oathtool", ["--hotp", "-b", "-c", "1", "YOOMIXWS5GN6RTBPUFFWKTW5M4"], { encoding: "utf8" }).trim());
    });

    it("opens an Authy token file with its password, and tells Microsoft Authenticator's database from Google's", async () => {
      const authy = await admin.createImport({ data: b64(readFixture("aegis-importers/authy_encrypted.xml")), password: "testtest" });
      replies.push(JSON.stringify(authy));
      expect([authy.format, authy.entries.map((e) => e.name)]).toEqual(["authy", ["Deno (Mason)", "SPDX (James)", "Airbnb (Elijah)"]]);
      await admin.discardImport(authy.importId);
      const microsoft = await admin.createImport({ data: b64(readFixture("aegis-importers/microsoft_authenticator.sqlite")) });
      replies.push(JSON.stringify(microsoft));
      expect([microsoft.format, microsoft.entries.length, microsoft.problems]).toEqual(["microsoft-db", 7, []]);
      await admin.discardImport(microsoft.importId);
    });

    it("reads a Google Authenticator export from its QR screenshot", async () => {
      const preview = await admin.createImport({ data: b64(readFixture("gauth-export/example_export.png")) });
      expect(preview.format).toBe("image");
      expect(preview.entries.map((e) => e.name)).toEqual(["Test1 (test1@example1.com)", "Test2 (test2@example2.com)", "Test3 (test3@example3.com)"]);
      const second = preview.entries[1]!;
      const { created } = await admin.confirmImport(preview.importId, { include: [second.index], names: { [String(second.index)]: "Demo account" } });
      expect(created.map((c) => c.name)).toEqual(["Demo account"]);
      expect((await admin.getEntry(created[0]!.id)).account).toBe("test2@example2.com");
    });

    it("answers images that are no authenticator QR code, and files that are no image, with a sentence", async () => {
      const plain = await rejection(admin.createImport({ data: b64(readFixture("gauth-export/qr_but_without_otp.png")) }));
      expect([plain.status, plain.field]).toEqual([400, "image"]);
      const fake = await rejection(admin.createImport({ data: b64(readFixture("gauth-export/text_masquerading_as_image.jpeg")), format: "image" }));
      expect([fake.status, fake.field]).toEqual([415, "image"]);
      const badBase64 = await rejection(admin.createImport({ data: "***not base64***" }));
      expect(badBase64.field).toBe("data");
      const unknown = await rejection(admin.createImport({ data: b64(Buffer.from("just some words\n")) }));
      expect([unknown.status, unknown.field]).toEqual([415, "file"]);
      const badFormat = await rejection(admin.createImport({ data: b64(Buffer.from("{}")), format: "lastpass" as never }));
      expect(badFormat.status).toBe(400);
    });

    it("forgets an import left unconfirmed past its lifetime when the next one is uploaded", async () => {
      const other = await createTestDatabase(kind);
      const clock = new ManualClock(Date.now());
      const timed = await startTestApp(other, { clock });
      try {
        const ada = await signedInClient(timed, "ada", "admin");
        const line = (account: string) => b64(Buffer.from(`otpauth://totp/Lapsed:${account}?secret=JBSWY3DPEHPK3PXP&issuer=Lapsed`));
        const left = await ada.createImport({ data: line("left") });
        clock.advance(IMPORT_LIFETIME_MS + 1000);
        await ada.createImport({ data: line("next") });
        expect(await timed.vault.store.pendingImports.findPendingImport(left.importId)).toBeUndefined();
      } finally {
        await timed.close();
        await other.drop();
      }
    });

    it("imports 10,000 entries in one transaction", async () => {
      const lines = Array.from({ length: 10_000 }, (_, i) => `otpauth://totp/Bulk:user${i}@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bulk`);
      const started = Date.now();
      const preview = await admin.createImport({ data: b64(Buffer.from(lines.join("\n"))), format: "uris" });
      expect(preview.entries).toHaveLength(10_000);
      const { created } = await admin.confirmImport(preview.importId);
      expect(created).toHaveLength(10_000);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect((await admin.listAllEntries({ q: "bulk" })).entries).toHaveLength(10_000);
    }, 60_000);

    it("creates nothing when the confirm cannot be audited", async () => {
      const preview = await admin.createImport({ data: b64(Buffer.from("otpauth://totp/Atomic:a?secret=GEZDGNBVGY3TQOJQ\notpauth://totp/Atomic:b?secret=GEZDGNBVGY3TQOJQ")) });
      const { openDatabase } = await import("../../src/store/connect.js");
      const handle = openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
      if (kind === "sqlite") {
        await sql`create trigger audit_blocked before insert on audit_events begin select raise(abort, 'no'); end`.execute(handle.db);
      } else {
        await sql`create function audit_blocked() returns trigger language plpgsql as $$ begin raise exception 'no'; end $$`.execute(handle.db);
        await sql`create trigger audit_blocked before insert on audit_events for each row execute function audit_blocked()`.execute(handle.db);
      }
      try {
        expect((await rejection(admin.confirmImport(preview.importId))).status).toBe(503);
      } finally {
        await sql`drop trigger audit_blocked${kind === "postgres" ? sql` on audit_events` : sql``}`.execute(handle.db);
        await handle.db.destroy();
      }
      expect((await admin.listEntries({ q: "atomic" })).entries).toHaveLength(0);
      expect((await admin.confirmImport(preview.importId)).created).toHaveLength(2);
    });

    it("keeps imported seeds out of replies, logs and the raw database", async () => {
      const aegis = JSON.parse(Buffer.from(readFixture("aegis-importers/aegis_plain.json")).toString()) as { db: { entries: { info: { secret: string } }[] } };
      const dump = await dumpDatabase(db);
      for (const { info } of aegis.db.entries) {
        for (const haystack of [replies.join("\n"), server.logs.join("\n"), dump]) expect(haystack).not.toContain(info.secret);
      }
    });
  });
}
