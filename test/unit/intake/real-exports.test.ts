// Imports the real export files of ../shared/fixtures/external (written by Aegis's and
// extract_otp_secrets' authors, not by us). Expected values come from the files: plain.txt's
// links, the comments in the Google Authenticator examples, and each encrypted file's plain twin.
import { expect, it } from "vitest";
import { parseImport, type ImportPreview } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { Secret } from "../../../src/core/secret.js";
import { rejection } from "../../support/watchword-rejection.js";
import { bySecret, describeWithFixtures, readFixture, summarize } from "./external-fixtures.js";

const password = Secret.fromUtf8("test");
const importFixture = (relative: string, withPassword = false): Promise<ImportPreview> =>
  parseImport(readFixture(relative), withPassword ? { password } : {});
const hex = (base32: string): string => decodeBase32(base32).toString("hex");

describeWithFixtures("real exports from other apps (aegis-importers)", () => {
  it("reads plain.txt's SHA-256/7 digits/20 s, SHA-512/8 digits/50 s, HOTP and Steam links", async () => {
    const preview = await importFixture("aegis-importers/plain.txt");
    expect(preview.format).toBe("uris");
    expect(preview.problems).toEqual([]);
    const entries = bySecret(preview);
    expect(entries.size).toBe(7);
    expect(entries.get(hex("5OM4WOOGPLQEF6UGN3CPEOOLWU"))).toEqual({ issuer: "SPDX", account: "James", type: "totp", algorithm: "SHA256", digits: 7, period: 20, counter: 0 });
    expect(entries.get(hex("7ELGJSGXNCCTV3O6LKJWYFV2RA"))).toEqual({ issuer: "Airbnb", account: "Elijah", type: "totp", algorithm: "SHA512", digits: 8, period: 50, counter: 0 });
    expect(entries.get(hex("KUVJJOM753IHTNDSZVCNKL7GII"))).toMatchObject({ issuer: "Air Canada", type: "hotp", algorithm: "SHA256", digits: 7, counter: 50 });
    expect(entries.get(hex("5VAML3X35THCEBVRLV24CGBKOY"))).toMatchObject({ issuer: "WWE", type: "hotp", algorithm: "SHA512", digits: 8, counter: 10300 });
    expect(entries.get(hex("JRZCL47CMXVOQMNPZR2F7J4RGI"))).toMatchObject({ issuer: "Boeing", account: "Sophia", type: "steam", digits: 5 });
    expect(preview.entries.map((entry) => entry.name)).toContain("Air Canada (Benjamin)");
  });

  it("imports an encrypted Aegis vault with its password, entry for entry like the plain one", async () => {
    const plain = await importFixture("aegis-importers/aegis_plain.json");
    const encrypted = await importFixture("aegis-importers/aegis_encrypted.json", true);
    expect(plain.format).toBe("aegis");
    expect(encrypted.format).toBe("aegis");
    expect(plain.entries).toHaveLength(7);
    expect(encrypted.entries.map(summarize)).toEqual(plain.entries.map(summarize));
  });

  it("imports an encrypted andOTP backup with its password, entry for entry like the plain one", async () => {
    const plain = await importFixture("aegis-importers/andotp_plain.json");
    const encrypted = await importFixture("aegis-importers/andotp_encrypted.bin", true);
    expect([plain.format, encrypted.format]).toEqual(["andotp", "andotp"]);
    expect(plain.entries).toHaveLength(7);
    expect(encrypted.entries.map(summarize)).toEqual(plain.entries.map(summarize));
  });

  it("imports an encrypted 2FAS backup with its password, entry for entry like the plain one", async () => {
    const plain = await importFixture("aegis-importers/2fas_authenticator_plain_v4.2fas");
    const encrypted = await importFixture("aegis-importers/2fas_authenticator_encrypted_v4.2fas", true);
    expect([plain.format, encrypted.format]).toEqual(["2fas", "2fas"]);
    expect(plain.entries).toHaveLength(5);
    expect(encrypted.entries.map(summarize)).toEqual(plain.entries.map(summarize));
  });

  it.each([
    ["aegis_plain.json", 7],
    ["andotp_plain.json", 7],
    ["ente_auth.txt", 7],
    ["freeotp_plus.json", 6],
    ["2fas_authenticator_plain_v4.2fas", 5],
    ["bitwarden.json", 4],
    ["bitwarden.csv", 4],
  ])("reads %s into the same seeds, labels and parameters as plain.txt", async (file, count) => {
    const reference = bySecret(await importFixture("aegis-importers/plain.txt"));
    const preview = await importFixture(`aegis-importers/${file}`);
    expect(preview.problems).toEqual([]);
    expect(preview.entries).toHaveLength(count);
    for (const [secret, fields] of bySecret(preview)) {
      // Bitwarden's steam:// link carries the key alone, so Steam is its issuer and there is no account.
      const expected = secret === hex("JRZCL47CMXVOQMNPZR2F7J4RGI") && file.startsWith("bitwarden") ? { ...reference.get(secret), issuer: "Steam", account: undefined } : reference.get(secret);
      expect(fields).toEqual(expected);
    }
  });

  it("names Bitwarden entries by their item names and 2FAS schema 1 and 2 entries by issuer and account", async () => {
    expect((await importFixture("aegis-importers/bitwarden.json")).entries.map((entry) => entry.name)).toEqual(["Test 1", "Test 2", "Test 3", "Test Steam"]);
    const schema1 = await importFixture("aegis-importers/2fas_authenticator.json");
    expect(schema1.entries.map((entry) => entry.name)).toEqual(["Deno (Mason)", "SPDX (James)", "Airbnb (Elijah)", "Issuu (James)", "Air Canada (Benjamin)", "WWE (Mason)"]);
    const schema2 = await importFixture("aegis-importers/2fas_authenticator_plain.2fas");
    expect(bySecret(schema2).get(hex("7ELGJSGXNCCTV3O6LKJWYFV2RA"))).toMatchObject({ algorithm: "SHA512", digits: 8, period: 50 });
  });

  it.each([
    ["aegis_encrypted.json", "Aegis"],
    ["andotp_encrypted.bin", "andOTP"],
    ["2fas_authenticator_encrypted_v4.2fas", "2FAS"],
  ])("asks for the password of %s, and refuses a wrong one", async (file, title) => {
    const missing = await rejection(importFixture(`aegis-importers/${file}`));
    expect(missing.message).toBe(`This ${title} file is encrypted: give its password.`);
    expect(missing.details.field).toBe("password");
    const wrong = await rejection(parseImport(readFixture(`aegis-importers/${file}`), { password: Secret.fromUtf8("tset") }));
    expect(wrong.message).toBe("The password is wrong, or the file is damaged.");
    expect(wrong.details.field).toBe("password");
  });

  it("reads steam.json, the Steam app's own file: its shared_secret is the seed its otpauth link names", async () => {
    const preview = await importFixture("aegis-importers/steam.json");
    expect(preview.format).toBe("steam");
    expect(preview.problems).toEqual([]);
    expect(preview.entries).toHaveLength(1);
    expect(preview.entries[0]).toMatchObject({ name: "Steam (Sophia)", otp: { type: "steam", digits: 5 } });
    // The same file writes the seed a second time, as base32 in its "uri" field.
    expect(preview.entries[0]?.otp.secret.reveal().toString("hex")).toBe(hex("JRZCL47CMXVOQMNPZR2F7J4RGI"));
  });
});

describeWithFixtures("real Google Authenticator transfers (gauth-export)", () => {
  it("reads example_export.txt: the first secret, the encoded name and the HOTP counter", async () => {
    const preview = await importFixture("gauth-export/example_export.txt");
    expect(preview.format).toBe("gauth");
    expect(preview.problems).toEqual([]);
    // Five otpauth-migration lines; the third holds two accounts.
    expect(preview.entries).toHaveLength(6);
    expect(preview.entries[0]?.otp.secret.reveal().toString("hex")).toBe(hex("7KSQL2JTUDIS5EF65KLMRQIIGY"));
    expect(preview.entries[0]).toMatchObject({ name: "raspberrypi (pi@raspberrypi)", issuer: "raspberrypi", account: "pi@raspberrypi" });
    expect(preview.entries.map((entry) => entry.name)).toContain("encoding: ¿äÄéÉ? (demo)");
    const hotp = preview.entries.find((entry) => entry.otp.type === "hotp");
    expect(hotp).toMatchObject({ name: "hotp demo", otp: { counter: 4, digits: 6, algorithm: "SHA1" } });
    const totpOnly = await importFixture("gauth-export/example_export_only_totp.txt");
    expect(totpOnly.entries.map((entry) => entry.otp.type)).toEqual(["totp", "totp", "totp", "totp", "totp"]);
  });

  it("reads all 4 accounts of a transfer whose base64 holds unescaped '+' characters", async () => {
    const preview = await importFixture("gauth-export/test_plus_problem_export.txt");
    expect(preview.problems).toEqual([]);
    expect(preview.entries.map((entry) => entry.account)).toEqual([1, 2, 3, 4].map((n) => `test${n}@serenitylabs.co.uk`));
    expect(new Set(preview.entries.map((entry) => entry.issuer))).toEqual(new Set(["SerenityLabs"]));
  });

  it("reports damaged transfer data as a problem on its line", async () => {
    const preview = await importFixture("gauth-export/test_export_wrong_data.txt");
    expect(preview.entries).toEqual([]);
    expect(preview.problems).toEqual([{ index: 0, label: "Line 1", labelKey: "line", labelParams: { number: 1 }, key: "import_protobuf_field_past_end", params: {}, message: expect.stringMatching(/^The export data is damaged/u) as unknown }]);
  });

  it.each([
    ["empty_file.txt", /^The file is empty\.$/u],
    ["test_export_wrong_content.txt", /^This file is not a supported export\. Watchword imports Aegis/u],
    ["test_export_wrong_prefix.txt", /each line must start with otpauth:\/\/ or otpauth-migration:\/\//u],
    ["text_masquerading_as_image.jpeg", /^This file is not a supported export\./u],
    ["qr_but_without_otp.png", /PNG image: add it as a QR code instead/u],
    ["example_export.png", /PNG image: add it as a QR code instead/u],
  ])("refuses %s with a clear sentence", async (file, message) => {
    const error = await rejection(importFixture(`gauth-export/${file}`));
    expect(error.message).toMatch(message);
    expect(error.details.field).toBe("file");
  });
});
