// Stratum, TOTP Authenticator, Authenticator Plus, andOTP's old encrypted layout and 2FAS schema
// 1 to 4: Aegis's own test files (../shared/fixtures/external/aegis-importers), each checked
// against Aegis's vectors with the differences its format has, and each entry's code against
// oathtool's. Where Watchword reads a file more fully than Aegis does, the comment says so.
import { expect, it } from "vitest";
import type { WatchwordError } from "../../../src/core/errors.js";
import { parseImport, type ImportPreview } from "../../../src/core/intake/import-file.js";
import { Secret } from "../../../src/core/secret.js";
import { readForeignTable } from "../../../src/store/foreign-database.js";
import { hasOathtool } from "../../support/oathtool.js";
import { rejection } from "../../support/watchword-rejection.js";
import { expectAegisVectors, type AegisVector } from "./aegis-vectors.js";
import { describeWithFixtures, readFixture } from "./external-fixtures.js";
import { expectCodesMatchOathtool } from "./oathtool-codes.js";

const ALL_SEVEN = ["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE", "Boeing"];
const PASSWORDS: Readonly<Record<string, string>> = {
  "stratum_encrypted.bin": "test",
  "stratum_encrypted_legacy.bin": "test",
  "totp_authenticator.bin": "Testtest1",
  "authenticator_plus.zip": "testtesttest",
  "andotp_encrypted_old.bin": "test",
  "2fas_authenticator_encrypted.2fas": "test",
  "2fas_authenticator_encrypted_v3.2fas": "test",
  "2fas_authenticator_encrypted_v4.2fas": "test",
};

/** Imports a fixture as the server would: with its password, and the store's reader for databases. */
function importFixture(file: string, password = PASSWORDS[file]): Promise<ImportPreview> {
  return parseImport(readFixture(`aegis-importers/${file}`), { readForeignTable, ...(password === undefined || password === "" ? {} : { password: Secret.fromUtf8(password) }) });
}

const importError = (file: string, password?: string): Promise<WatchwordError> => rejection(importFixture(file, password));

/**
 * The preview holds exactly the vectors of `issuers`, in that order, each as `adjust` says this
 * format records it (VaultEntries.java names each vector's issuer once).
 */
function expectVectors(preview: ImportPreview, issuers: readonly string[], adjust?: (vector: AegisVector) => AegisVector): void {
  expect(expectAegisVectors(preview, adjust).map(({ vector }) => vector.issuer)).toEqual(issuers);
}

/** Every entry but Steam's (whose alphabet oathtool lacks) is compared with oathtool. */
function expectOathtoolCodes(preview: ImportPreview): void {
  const comparable = preview.entries.filter(({ otp }) => otp.type !== "steam").length;
  expect(expectCodesMatchOathtool(preview.entries)).toBe(hasOathtool ? comparable : 0);
}

describeWithFixtures("Stratum, TOTP Authenticator, Authenticator Plus, old andOTP and 2FAS backups (aegis-importers)", () => {
  it.each([
    ["stratum_plain.json"],
    ["stratum_encrypted.bin"],
    ["stratum_encrypted_legacy.bin"],
    ["stratum_internal.db"],
  ])("reads all seven accounts of %s, with every setting, as Stratum", async (file) => {
    const preview = await importFixture(file);
    expect(preview.format).toBe("stratum");
    expectVectors(preview, ALL_SEVEN);
    expectOathtoolCodes(preview);
    expect(preview.entries.map((entry) => entry.name)).toContain("Air Canada (Benjamin)");
  });

  it.each([["totp_authenticator.bin"], ["totp_authenticator_internal.xml"]])("reads %s as TOTP Authenticator: its three TOTP accounts with their digits and periods", async (file) => {
    const preview = await importFixture(file);
    expect(preview.format).toBe("totp-authenticator");
    // The app records no algorithm (SHA-1 is what it computes) and lowercases account names. Aegis
    // also drops the digits and periods the file holds; Watchword keeps them (7/20 s, 8/50 s).
    expectVectors(preview, ["Deno", "SPDX", "Airbnb"], (vector): AegisVector => ({ ...vector, algorithm: "SHA1", account: vector.account.toLowerCase() }));
    expectOathtoolCodes(preview);
  });

  it("reads the links inside Authenticator Plus's encrypted zip", async () => {
    const preview = await importFixture("authenticator_plus.zip");
    expect(preview.format).toBe("authenticator-plus");
    expectVectors(preview, ALL_SEVEN);
    expectOathtoolCodes(preview);
  });

  it("reads andOTP's old encrypted layout, and its doubled 'Issuer - Issuer:account' labels as issuer and account", async () => {
    const preview = await importFixture("andotp_encrypted_old.bin");
    expect(preview.format).toBe("andotp");
    // Aegis's test keeps "Deno:Mason" as the account name (the old app's bug); Watchword drops the repeated issuer.
    expectVectors(preview, ["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"]);
    expect(preview.entries.map((entry) => entry.name)).toEqual(["Deno (Mason)", "SPDX (James)", "Airbnb (Elijah)", "Issuu (James)", "Air Canada (Benjamin)", "WWE (Mason)"]);
    expectOathtoolCodes(preview);
  });

  it("reads 2FAS schema 1: TOTP accounts with the defaults, the only thing it recorded", async () => {
    const preview = await importFixture("2fas_authenticator.json");
    expectVectors(preview, ["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"], (vector): AegisVector => ({ ...vector, type: "totp", algorithm: "SHA1", digits: 6, period: 30, counter: 0 }));
    expectOathtoolCodes(preview);
  });

  it.each([["2fas_authenticator_plain.2fas"], ["2fas_authenticator_encrypted.2fas"]])("reads 2FAS schema 2 (%s): every account as TOTP with its algorithm, digits and period", async (file) => {
    const preview = await importFixture(file);
    // Schema 2 knew only TOTP: its HOTP accounts come out as TOTP of 30 s, as in the app.
    expectVectors(preview, ["Deno", "Airbnb", "Issuu", "WWE"], (vector): AegisVector => (vector.type === "hotp" ? { ...vector, type: "totp", period: 30, counter: 0 } : vector));
    expectOathtoolCodes(preview);
  });

  it.each([
    ["2fas_authenticator_plain_v3.2fas", ["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"]],
    ["2fas_authenticator_encrypted_v3.2fas", ["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"]],
    ["2fas_authenticator_plain_v4.2fas", ["Deno", "Issuu", "Air Canada", "WWE", "Boeing"]],
    ["2fas_authenticator_encrypted_v4.2fas", ["Deno", "Issuu", "Air Canada", "WWE", "Boeing"]],
  ])("reads 2FAS %s with every setting", async (file, seeds) => {
    const preview = await importFixture(file);
    expect(preview.format).toBe("2fas");
    expectVectors(preview, seeds);
    expectOathtoolCodes(preview);
  });

  it.each([
    ["stratum_encrypted.bin", "This Stratum file is encrypted: give its password."],
    ["stratum_encrypted_legacy.bin", "This Stratum file is encrypted: give its password."],
    ["authenticator_plus.zip", "This Authenticator Plus file is encrypted: give its password."],
    ["2fas_authenticator_encrypted.2fas", "This 2FAS file is encrypted: give its password."],
    ["2fas_authenticator_encrypted_v3.2fas", "This 2FAS file is encrypted: give its password."],
    // Without a password the app's own default one is tried; this backup has a password of its own.
    ["totp_authenticator.bin", "This TOTP Authenticator file is encrypted: give its password."],
    // Nothing in the old andOTP layout says what it is, so the sentence says what it might be.
    ["andotp_encrypted_old.bin", "This file is not text and has no signature Watchword knows. If it is an andOTP backup encrypted the old way, give its password; otherwise it is not a supported export."],
  ])("asks for the password of %s, and refuses a wrong one", async (file, missing) => {
    const without = await importError(file, "");
    // The old andOTP layout is the one binary format with no signature: its sentence is about the file.
    expect([without.details.field, without.message]).toEqual([file === "andotp_encrypted_old.bin" ? "file" : "password", missing]);
    const wrong = await importError(file, "tset");
    expect([wrong.details.field, wrong.message]).toEqual(["password", "The password is wrong, or the file is damaged."]);
  });

  it("reads Stratum's database only where a database reader is at hand (the server)", async () => {
    const error: unknown = await parseImport(readFixture("aegis-importers/stratum_internal.db")).catch((caught: unknown) => caught);
    expect((error as WatchwordError).message).toBe("This file is an app's SQLite database; it can be imported only through the server.");
  });
});
