// The new backup formats over HTTP: Stratum's own database (told apart from Google
// Authenticator's by its table, read through the store's hardened reader) and an encrypted
// Authenticator Plus zip, previewed, confirmed, and their codes compared with oathtool.
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { rejection } from "../support/api-rejection.js";
import { databaseKinds } from "../support/databases.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import { describeWithFixtures, readFixture } from "../unit/intake/external-fixtures.js";

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

for (const kind of databaseKinds) {
  describeWithFixtures(`Stratum and Authenticator Plus imports on ${kind}`, () => {
    const app = useSignedInAdmin(kind);


    it("imports Stratum's own database (a WAL-mode SQLite file): SHA-512 TOTP and SHA-1 HOTP codes match oathtool", async () => {
      const preview = await app.admin.createImport({ data: b64(readFixture("aegis-importers/stratum_internal.db")) });
      expect([preview.format, preview.entries.length, preview.problems]).toEqual(["stratum", 7, []]);
      const { created } = await app.admin.confirmImport(preview.importId);
      const idOf = (name: string) => created.find((c) => c.index === preview.entries.find((e) => e.name === name)!.index)!.id;
      const totp = await app.admin.getCode(idOf("Airbnb (Elijah)"));
      expect([totp.digits, totp.period]).toEqual([8, 50]);
      expect(totp.code).toBe(execFileSync("oathtool", ["--totp=sha512", "-d", "8", "-s", "50s", "-b", "-N", `@${totp.validFrom}`, "7ELGJSGXNCCTV3O6LKJWYFV2RA"], { encoding: "utf8" }).trim());
      const hotp = await app.admin.takeCode(idOf("Issuu (James)"));
      expect(hotp.code).toBe(execFileSync("oathtool", ["--hotp", "-b", "-c", "1", "YOOMIXWS5GN6RTBPUFFWKTW5M4"], { encoding: "utf8" }).trim());
    });

    it("opens an Authenticator Plus zip with its password, and refuses a wrong one, creating nothing", async () => {
      const before = (await app.admin.listEntries()).entries.length;
      const wrong = await rejection(app.admin.createImport({ data: b64(readFixture("aegis-importers/authenticator_plus.zip")), password: "not it" }));
      expect([wrong.status, wrong.field]).toEqual([400, "password"]);
      expect((await app.admin.listEntries()).entries.length).toBe(before);
      const preview = await app.admin.createImport({ data: b64(readFixture("aegis-importers/authenticator_plus.zip")), password: "testtesttest" });
      expect([preview.format, preview.entries.length]).toEqual(["authenticator-plus", 7]);
      await app.admin.discardImport(preview.importId);
    });
  });
}
