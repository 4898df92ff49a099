// Imports Aegis's own test files for Authy, FreeOTP (1, 2 and FreeOTP+'s tokens.xml), Microsoft
// Authenticator, Duo, Proton Authenticator, Battle.net and Steam's old file. Each must give the
// entries of Aegis's VaultEntries.java, adjusted as Aegis's DatabaseImporterTest.java adjusts them
// for what the format lacks, and codes equal to oathtool's for the expected seeds.
import { describe, expect, it } from "vitest";
import { detectImportFormat, parseImport, type ImportFormat, type ImportPreview } from "../../../src/core/intake/import-file.js";
import { Secret } from "../../../src/core/secret.js";
import { readForeignTable } from "../../../src/store/foreign-database.js";
import { hasOathtool } from "../../support/oathtool.js";
import { rejection } from "../../support/watchword-rejection.js";
import { describeImported, expectAegisVectors, type AegisVector } from "./aegis-vectors.js";
import { describeWithFixtures, readFixture } from "./external-fixtures.js";
import { oathtoolCode, watchwordCode } from "./oathtool-codes.js";

interface FixtureCase {
  readonly file: string;
  readonly format: ImportFormat;
  readonly password?: string;
  readonly count: number;
  /** What the format keeps of a vector (DatabaseImporterTest's fix-ups, and Watchword's own where it differs). */
  readonly adjust?: (vector: AegisVector) => AegisVector;
}

const totpDefaults = (vector: AegisVector): AegisVector => ({ ...vector, type: "totp", algorithm: "SHA1", digits: 6, period: 30, counter: 0 });

const CASES: readonly FixtureCase[] = [
  // Authy keeps no algorithm or period: SHA-1, and Authy's 30 s (Aegis does not check the period).
  { file: "authy_plain.xml", format: "authy", count: 3, adjust: (v) => ({ ...v, algorithm: "SHA1", period: 30 }) },
  { file: "authy_encrypted.xml", format: "authy", password: "testtest", count: 3, adjust: (v) => ({ ...v, algorithm: "SHA1", period: 30 }) },
  // FreeOTP 1 stores one less than the next HOTP counter; Aegis keeps that stored value (its test
  // subtracts 1), Watchword gives the counter of the next code, as for FreeOTP+'s JSON backup.
  { file: "freeotp.xml", format: "freeotp", count: 4 },
  { file: "freeotp_plus_internal.xml", format: "freeotp", count: 6 },
  { file: "freeotp_v2_api23.xml", format: "freeotp", password: "test", count: 6 },
  { file: "freeotp_v2_api25.xml", format: "freeotp", password: "test", count: 6 },
  { file: "freeotp_v2_api27.xml", format: "freeotp", password: "test", count: 6 },
  { file: "freeotp_v2_api34.xml", format: "freeotp", password: "test", count: 6 },
  { file: "freeotp_v2_null_algo.xml", format: "freeotp", password: "test", count: 1 },
  // Microsoft Authenticator has TOTP only, with the defaults.
  { file: "microsoft_authenticator.sqlite", format: "microsoft-db", count: 7, adjust: totpDefaults },
  // Duo keeps no issuer; its HOTP counter is the file's (3), which Aegis's test does not check.
  { file: "duo.json", format: "duo", count: 2, adjust: (v) => ({ ...v, issuer: "", counter: v.type === "hotp" ? 3 : 0 }) },
  { file: "proton_authenticator.json", format: "proton", count: 3 },
  { file: "battle_net_authenticator.xml", format: "battlenet", count: 1 },
  { file: "steam_old.json", format: "steam", count: 1, adjust: (v) => ({ ...v, issuer: "Steam" }) },
];

const importCase = (file: string, password?: string): Promise<ImportPreview> =>
  parseImport(readFixture(`aegis-importers/${file}`), { readForeignTable, ...(password === undefined ? {} : { password: Secret.fromUtf8(password) }) });

describeWithFixtures("phone app files from Aegis's importer tests", () => {
  // Fixed moments (and now), so a TOTP code is compared across several steps of each period.
  const moments = [1_111_111_109, 1_700_000_000, 2_000_000_000, Math.floor(Date.now() / 1000)];

  it.each(CASES)("reads $file: the entries Aegis expects, whose codes equal oathtool's", async ({ file, format, password, count, adjust }) => {
    const preview = await importCase(file, password);
    expect(preview.format).toBe(format);
    const matched = expectAegisVectors(preview, adjust);
    expect(matched).toHaveLength(count);
    for (const { entry, expected } of matched) {
      expect(entry.name).toBe(expected.issuer === "" ? expected.account : `${expected.issuer} (${expected.account})`);
      if (!hasOathtool || expected.type === "steam") continue;
      for (const moment of expected.type === "hotp" ? [0] : moments) expect(watchwordCode(entry, moment)).toBe(oathtoolCode(expected, moment));
    }
  });

  it("finds oathtool, which CI=true requires for the code comparisons above", () => {
    if (process.env.CI === "true") expect(hasOathtool).toBe(true);
  });

  it.each([
    ["authy_encrypted.xml", "Authy"],
    ["freeotp_v2_api23.xml", "FreeOTP"],
    ["freeotp_v2_api34.xml", "FreeOTP"],
    ["freeotp_v2_null_algo.xml", "FreeOTP"],
  ])("asks for the password of %s, and refuses a wrong one with a clear sentence", async (file, title) => {
    const missing = await rejection(importCase(file));
    expect([missing.code, missing.details.field, missing.message]).toEqual(["invalid_input", "password", `This ${title} file is encrypted: give its password.`]);
    const wrong = await rejection(importCase(file, "tset"));
    expect([wrong.code, wrong.details.field, wrong.message]).toEqual(["invalid_input", "password", "The password is wrong, or the file is damaged."]);
  });

  it("gives the same entries for FreeOTP's tokens.xml and FreeOTP+'s JSON backup of the same tokens", async () => {
    const summary = (preview: ImportPreview) => preview.entries.map((entry) => ({ name: entry.name, ...describeImported(entry) })).sort((a, b) => a.secret.localeCompare(b.secret));
    const internal = await importCase("freeotp_plus_internal.xml");
    const json = await importCase("freeotp_plus.json");
    expect(summary(internal)).toEqual(summary(json));
  });

  it("tells a Microsoft Authenticator database from a Google Authenticator one by its tables", async () => {
    expect((await importCase("microsoft_authenticator.sqlite")).format).toBe("microsoft-db");
    expect((await importCase("google_authenticator.sqlite")).format).toBe("gauth-db");
    expect(detectImportFormat(readFixture("aegis-importers/microsoft_authenticator.sqlite"), readForeignTable)).toBe("microsoft-db");
    const forced = await rejection(parseImport(readFixture("aegis-importers/google_authenticator.sqlite"), { readForeignTable, format: "microsoft-db" }));
    expect([forced.details.field, forced.message]).toEqual(["file", "The database's accounts table has no name, username, oath_secret_key, account_type column."]);
    const withoutReader = await rejection(parseImport(readFixture("aegis-importers/microsoft_authenticator.sqlite")));
    expect(withoutReader.message).toBe("This file is an app's SQLite database; it can be imported only through the server.");
  });
});

describe("phone app files: no fixture needed", () => {
  it("names what the list of formats is when a preference file is none of them", async () => {
    const xml = Buffer.from("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <int name=\"launches\" value=\"3\" />\n</map>\n");
    const error = await rejection(parseImport(xml));
    expect(error.message).toMatch(/^This file is not a supported export\. Watchword imports .*Authy's token files, FreeOTP/u);
  });
});
