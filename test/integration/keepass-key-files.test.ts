// KeePass databases locked with a key file, imported over HTTP: made by keepassxc-cli, sent with
// the key file (and the password) to POST /api/v1/imports, confirmed, and their codes compared
// with oathtool. A wrong key file creates nothing, and the key file's bytes never come back.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { createKeePassXcDatabase, isKeePassXcInstalled, keePassXcSkipNote, type KeePassXcDatabase } from "../support/keepassxc.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const b64 = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString("base64");
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PASSWORD = "vault password 2718";

for (const kind of databaseKinds) {
  describe.skipIf(!isKeePassXcInstalled)(`KeePass key-file imports over HTTP on ${kind}${keePassXcSkipNote}`, () => {
    let db: TestDatabase;
    let server: TestApp;
    let admin: WatchwordClient;
    let withPassword: KeePassXcDatabase;
    let keyOnly: KeePassXcDatabase;
    const replies: string[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestApp(db);
      admin = await signedInClient(server, "ada", "admin");
      const entries = [{ title: "Registrar", username: "ops", otp: `otpauth://totp/Registrar:ops?secret=${SEED}&period=30&digits=6&issuer=Registrar` }];
      withPassword = createKeePassXcDatabase({ version: "4", entries, password: PASSWORD, withKeyFile: true });
      keyOnly = createKeePassXcDatabase({ version: "3.1", entries, withKeyFile: true });
    });
    afterAll(async () => {
      withPassword.remove();
      keyOnly.remove();
      await server.close();
      await db.drop();
    });

    it("imports a database locked with a password and a key file, whose codes oathtool agrees with", async () => {
      const preview = await admin.createImport({ data: b64(withPassword.bytes), password: PASSWORD, keyFile: b64(withPassword.keyFile) });
      replies.push(JSON.stringify(preview));
      expect([preview.format, preview.entries.map((e) => e.name), preview.problems]).toEqual(["keepass", ["Registrar"], []]);
      const { created } = await admin.confirmImport(preview.importId);
      const code = await admin.getCode(created[0]!.id);
      replies.push(JSON.stringify(code));
      expect(code.code).toBe(execFileSync("oathtool", ["--totp", "-b", "-N", `@${code.validFrom}`, SEED], { encoding: "utf8" }).trim());
    });

    it("imports a database locked with a key file alone", async () => {
      const preview = await admin.createImport({ data: b64(keyOnly.bytes), keyFile: b64(keyOnly.keyFile), format: "keepass" });
      replies.push(JSON.stringify(preview));
      expect(preview.entries.map((e) => e.name)).toEqual(["Registrar"]);
      await admin.discardImport(preview.importId);
    });

    it("refuses a wrong or missing key file with a sentence naming the field, and creates nothing", async () => {
      const before = (await admin.listEntries()).entries.length;
      const wrong = await rejection(admin.createImport({ data: b64(keyOnly.bytes), keyFile: b64(withPassword.keyFile) }));
      expect([wrong.status, wrong.field, wrong.message]).toEqual([400, "keyFile", "The key file is wrong (or the database also needs its password), or the file is damaged."]);
      const missing = await rejection(admin.createImport({ data: b64(withPassword.bytes), password: PASSWORD }));
      expect([missing.status, missing.field]).toEqual([400, "password"]);
      expect(missing.message).toMatch(/needs its key file/u);
      const notBase64 = await rejection(admin.createImport({ data: b64(keyOnly.bytes), keyFile: "*** not base64 ***" }));
      expect([notBase64.status, notBase64.field]).toEqual([400, "keyFile"]);
      replies.push(wrong.message, missing.message, notBase64.message);
      expect((await admin.listEntries()).entries.length).toBe(before);
    });

    it("keeps the key file, the password and the seed out of replies, logs and the raw database", async () => {
      const dump = await dumpDatabase(db);
      const keyFileTexts = [withPassword.keyFile, keyOnly.keyFile].flatMap((bytes) => {
        const text = Buffer.from(bytes ?? new Uint8Array()).toString("utf8");
        // The hex key inside KeePassXC's XML key file, as written (groups of 8) and joined.
        const hex = /<Data[^>]*>([\s\S]*?)<\/Data>/u.exec(text)?.[1]?.trim() ?? "unreachable";
        return [b64(bytes), hex.split(/\s+/u)[0] ?? "unreachable", hex.replace(/\s+/gu, "")];
      });
      for (const secret of [...keyFileTexts, PASSWORD, SEED]) {
        for (const haystack of [replies.join("\n"), server.logs.join("\n"), dump]) expect(haystack).not.toContain(secret);
      }
    });
  });
}
