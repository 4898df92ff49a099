// Random damage to each of Aegis's test files for Authy, FreeOTP, Microsoft Authenticator, Duo,
// Proton Authenticator, Battle.net and Steam's old file: bytes overwritten, characters replaced
// with the ones parsers care about, the file cut short. Every outcome must be a preview or an
// invalid_input error (never another exception), and every run must end within its time limit.
import { inspect } from "node:util";
import fc from "fast-check";
import { expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { parseImport, type ImportPreview } from "../../../src/core/intake/import-file.js";
import { Secret } from "../../../src/core/secret.js";
import { readForeignTable } from "../../../src/store/foreign-database.js";
import { describeWithFixtures, readFixture } from "./external-fixtures.js";

interface DamageCase {
  readonly file: string;
  readonly password?: string;
  /** FreeOTP 2 costs 100,000 PBKDF2 iterations per run that gets as far as the key: fewer runs. */
  readonly runs: number;
}

const BINARY: readonly DamageCase[] = [
  { file: "freeotp_v2_api23.xml", password: "test", runs: 30 },
  { file: "freeotp_v2_api25.xml", password: "test", runs: 20 },
  { file: "freeotp_v2_api27.xml", password: "test", runs: 20 },
  { file: "freeotp_v2_api34.xml", password: "test", runs: 30 },
  { file: "freeotp_v2_null_algo.xml", password: "test", runs: 30 },
  { file: "microsoft_authenticator.sqlite", runs: 300 },
];
const TEXT: readonly DamageCase[] = [
  { file: "authy_plain.xml", runs: 200 },
  { file: "authy_encrypted.xml", password: "testtest", runs: 200 },
  { file: "freeotp.xml", runs: 200 },
  { file: "freeotp_plus_internal.xml", runs: 200 },
  { file: "duo.json", runs: 200 },
  { file: "proton_authenticator.json", runs: 200 },
  { file: "battle_net_authenticator.xml", runs: 200 },
  { file: "steam_old.json", runs: 200 },
];

/** Resolves to the preview or the error; fails on anything but invalid_input (or unsupported_media_type: a file no longer recognised). */
async function settle(bytes: Uint8Array, password: string | undefined): Promise<ImportPreview | WatchwordError> {
  try {
    return await parseImport(bytes, { readForeignTable, ...(password === undefined ? {} : { password: Secret.fromUtf8(password) }) });
  } catch (error) {
    if (!(error instanceof WatchwordError)) throw new Error(`parseImport threw ${inspect(error)}`);
    expect(["invalid_input", "unsupported_media_type"]).toContain(error.code);
    expect(["file", "password"]).toContain(error.details.field);
    return error;
  }
}

const byteDamage = fc.record({
  changes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});

// Printable ASCII in place of a byte keeps Java's string framing and modified UTF-8 intact, so the
// damage reaches the JSON, the key derivation and the ciphers behind them.
const asciiDamage = fc.record({
  changes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x20, max: 0x7e })), { minLength: 1, maxLength: 4 }),
  cut: fc.constant(undefined),
});

function damageBytes(whole: Uint8Array, { changes, cut }: { changes: [number, number][]; cut: number | undefined }): Uint8Array {
  const damaged = Buffer.from(whole);
  for (const [offset, value] of changes) damaged[offset % damaged.length] = value;
  return cut === undefined ? damaged : damaged.subarray(0, cut % damaged.length);
}

// Characters the XML, JSON, base32, base64 and hex readers each treat specially.
const SPECIAL = fc.constantFrom("<", ">", "/", "&", ";", '"', "'", "=", "{", "}", "[", "]", ":", ",", "\\", "-", " ", "\n", "0", "9", "A", "Z", "a", "f", "é", "\u0000", "&quot;", "&amp;", "&#0;", "]]>", "<!DOCTYPE map>");
const textDamage = fc.record({
  changes: fc.array(fc.tuple(fc.nat(), SPECIAL), { minLength: 1, maxLength: 6 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});

function damageText(whole: string, { changes, cut }: { changes: [number, string][]; cut: number | undefined }): Uint8Array {
  let text = whole;
  for (const [offset, replacement] of changes) {
    const at = offset % text.length;
    text = text.slice(0, at) + replacement + text.slice(at + 1);
  }
  return Buffer.from(cut === undefined ? text : text.slice(0, cut % text.length));
}

describeWithFixtures("damaged phone app files (aegis-importers)", () => {
  it.each(BINARY)("$file with random bytes overwritten or cut short ends in a preview or invalid_input", async ({ file, password, runs }) => {
    const whole = readFixture(`aegis-importers/${file}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(byteDamage, asciiDamage), async (damage) => void (await settle(damageBytes(whole, damage), password))),
      { numRuns: runs, timeout: 5000 },
    );
  }, 60_000);

  it.each(TEXT)("$file with random bytes or characters changed, or cut short, ends in a preview or invalid_input", async ({ file, password, runs }) => {
    const whole = readFixture(`aegis-importers/${file}`);
    const text = Buffer.from(whole).toString("utf8");
    await fc.assert(
      fc.asyncProperty(fc.oneof(byteDamage.map((damage) => damageBytes(whole, damage)), textDamage.map((damage) => damageText(text, damage))), async (bytes) => {
        void (await settle(bytes, password));
      }),
      { numRuns: runs, timeout: 5000 },
    );
  }, 60_000);

  it("reads a flipped bit in a FreeOTP 2 master key or an Authy seed as a wrong password or damage", async () => {
    const freeOtp = Buffer.from(readFixture("aegis-importers/freeotp_v2_null_algo.xml"));
    const masterKeyText = freeOtp.indexOf('"mCipherText":[-46');
    // "-46" → "-47": one byte of the sealed master key changes.
    freeOtp[masterKeyText + '"mCipherText":[-4'.length] = "7".charCodeAt(0);
    expect(await settle(freeOtp, "test")).toMatchObject({ message: "The password is wrong, or the file is damaged.", details: { field: "password" } });

    const authy = Buffer.from(readFixture("aegis-importers/authy_encrypted.xml")).toString("utf8").replaceAll("94mk0erEKRYU7UKn", "94mk0erEKRYU7UKo");
    const preview = await settle(Buffer.from(authy), "testtest");
    // One account's seed no longer opens; the other two still import.
    expect(preview).toMatchObject({ entries: [{ name: "SPDX (James)" }, { name: "Airbnb (Elijah)" }], problems: [{ index: 0, label: "Deno (Mason)" }] });
  });
});
