// Hostile and broken files: random bytes, random JSON in every format's shape, truncated and
// bit-flipped real exports, deep nesting — each must end in a preview or a WatchwordError, fast.
// And no message, problem or printed preview may ever hold a planted seed or password.
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { parseImport, type ImportPreview, type ParseImportOptions } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { Secret } from "../../../src/core/secret.js";
import { aegisDb, migrationUri, plainAegis } from "./build-exports.js";
import { describeWithFixtures, readFixture } from "./external-fixtures.js";

/** Resolves to the preview or the error; fails the test on anything but a WatchwordError. */
async function settle(bytes: Uint8Array, options: ParseImportOptions = {}): Promise<ImportPreview | WatchwordError> {
  try {
    return await parseImport(bytes, options);
  } catch (error) {
    if (!(error instanceof WatchwordError)) throw new Error(`parseImport threw ${inspect(error)}`);
    expect(["file", "password", "format"]).toContain(error.details.field);
    return error;
  }
}

const anyJson = fc.jsonValue({ maxDepth: 4 });
const password = Secret.fromUtf8("pw");

describe("random input", () => {
  it("random bytes end in a preview or a WatchwordError", async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => void (await settle(bytes, { password }))), { numRuns: 500 });
  });

  it.each([
    ["a KDBX 4 signature", [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0x00, 0x00, 0x04, 0x00]],
    ["a KDBX 3.1 signature", [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0x01, 0x00, 0x03, 0x00]],
    ["an andOTP iteration count", [0x00, 0x00, 0x03, 0xe8]],
    ["a JSON opening", [...Buffer.from('{"header":{"slots":[{"type":1,')]],
    ["a transfer link", [...Buffer.from("otpauth-migration://offline?data=")]],
  ])("random bytes after %s end in a preview or a WatchwordError", async (_name, prefix) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (tail) => void (await settle(new Uint8Array([...prefix, ...tail]), { password }))),
      { numRuns: 200 },
    );
  });

  it("random protobuf payloads in a transfer link end in a preview or a WatchwordError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 256 }), async (payload) => {
        await settle(Buffer.from(`otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString("base64"))}`));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ["Aegis", (value: unknown) => ({ version: 1, header: { slots: null, params: null }, db: { version: 2, entries: [value, { info: value, type: value }] } })],
    ["encrypted Aegis", (value: unknown) => ({ version: 1, header: { slots: [value, { type: 1, n: value, r: 8, p: 1 }], params: value }, db: "AAAA" })],
    ["2FAS", (value: unknown) => ({ schemaVersion: 4, services: [value, { secret: value, otp: value }], groups: value })],
    ["Bitwarden", (value: unknown) => ({ encrypted: false, folders: value, items: [value, { type: 1, login: { totp: value, uris: value } }] })],
    ["FreeOTP+", (value: unknown) => ({ tokens: [value, { secret: value, type: value, counter: value }] })],
    ["andOTP", (value: unknown) => [{ secret: "JBSWY3DP", type: value, digits: value, tags: value }]],
    ["Duo", (value: unknown) => [{ name: value, otpGenerator: { otpSecret: "JBSWY3DP", counter: value } }, { otpGenerator: value }]],
    ["Proton Authenticator", (value: unknown) => ({ version: value, entries: [value, { content: { uri: "otpauth://totp/x?secret=JBSWY3DP", name: value }, note: value }, { content: { uri: value } }] })],
  ])("random JSON inside a %s shape ends in a preview or a WatchwordError", async (_name, wrap) => {
    await fc.assert(fc.asyncProperty(anyJson, async (value) => void (await settle(Buffer.from(JSON.stringify(wrap(value))), { password }))), { numRuns: 300 });
  });
});

describe("oversized and deeply nested input", () => {
  it("refuses JSON nested deeper than any export, quickly", async () => {
    for (const bytes of [Buffer.from("[".repeat(100_000)), Buffer.from('{"a":'.repeat(50_000) + "1" + "}".repeat(50_000))]) {
      const started = performance.now();
      const error = await settle(bytes);
      expect(performance.now() - started).toBeLessThan(500);
      expect(error).toMatchObject({ message: "This file nests data more than 64 levels deep, which no supported export does." });
    }
  });

  it("handles a 15 MiB list of links without trouble, stopping at the entry limit", async () => {
    const line = "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X\n";
    const error = await settle(Buffer.from(line.repeat(Math.floor((15 * 1024 * 1024) / line.length))));
    expect(error).toMatchObject({ message: "This file holds more than 10,000 entries; import at most that many at once." });
  });

  it("reads strings of any length only within the label and text limits", async () => {
    const preview = await settle(plainAegis(aegisDb([{ secret: "JBSWY3DPEHPK3PXP", name: "n".repeat(1_000_000) }])));
    expect(preview).toMatchObject({ entries: [], problems: [{ index: 0, message: "The account name is longer than 200 characters." }] });
  });
});

describeWithFixtures("damaged real exports", () => {
  const files = ["aegis-importers/aegis_encrypted.json", "aegis-importers/andotp_encrypted.bin", "aegis-importers/2fas_authenticator_encrypted_v4.2fas", "aegis-importers/aegis_plain.json", "gauth-export/example_export.txt"];

  it.each(files)("%s cut short anywhere ends in a preview or a WatchwordError", async (file) => {
    const bytes = readFixture(file);
    for (const fraction of [0.05, 0.3, 0.6, 0.9, 0.99]) await settle(bytes.subarray(0, Math.floor(bytes.length * fraction)), { password: Secret.fromUtf8("test") });
  });

  it("a flipped bit in an encrypted andOTP or Aegis payload reads as a wrong password or damage", async () => {
    const andOtp = readFixture("aegis-importers/andotp_encrypted.bin").slice();
    andOtp[andOtp.length - 20] = (andOtp[andOtp.length - 20] ?? 0) ^ 0x01;
    expect(await settle(andOtp, { password: Secret.fromUtf8("test") })).toMatchObject({ message: "The password is wrong, or the file is damaged." });
    const aegis = JSON.parse(Buffer.from(readFixture("aegis-importers/aegis_encrypted.json")).toString("utf8")) as { db: string };
    aegis.db = `B${aegis.db.slice(1)}`;
    expect(await settle(Buffer.from(JSON.stringify(aegis)), { password: Secret.fromUtf8("test") })).toMatchObject({ message: "The password is wrong, or the file is damaged." });
  });
});

describe("planted secrets never leak", () => {
  const SEED = "PLANTEDSEEDQWERTYZXCVBNMASDFGHJK";
  const seedHex = decodeBase32(SEED).toString("hex");
  const seedBase64 = decodeBase32(SEED).toString("base64");
  const PASSWORD = "planted-password-7f3a";

  const leaks = (value: unknown): boolean => {
    const printed = `${JSON.stringify(value)}\n${inspect(value, { depth: 10 })}`;
    return [SEED, SEED.toLowerCase(), seedHex, seedBase64, PASSWORD].some((secret) => printed.includes(secret));
  };

  const cases: [string, Uint8Array, ParseImportOptions?][] = [
    ["a valid Aegis entry", plainAegis(aegisDb([{ secret: SEED }]))],
    ["an Aegis entry with a bad algorithm", plainAegis(aegisDb([{ secret: SEED, algo: "MD5" }]))],
    ["an Aegis entry with a bad character", plainAegis(aegisDb([{ secret: `${SEED}!` }]))],
    ["JSON cut short after the seed", Buffer.from(`{"version":1,"header":{},"db":{"entries":[{"info":{"secret":"${SEED}`)],
    ["JSON broken right after the seed", Buffer.from(`[{"secret":"${SEED}" "type":"TOTP"}]`)],
    ["a link with bad digits", Buffer.from(`otpauth://totp/A:b?secret=${SEED}&digits=99`)],
    ["a link with a bad algorithm", Buffer.from(`otpauth://totp/A:b?secret=${SEED}&algorithm=MD5`)],
    ["a Bitwarden TOTP with a bad period", Buffer.from(JSON.stringify({ encrypted: false, items: [{ type: 1, name: "x", login: { totp: `otpauth://totp/x?secret=${SEED}&period=0` } }] }))],
    ["a FreeOTP+ token of an unknown type", Buffer.from(JSON.stringify({ tokens: [{ type: "MOTP", secret: [...decodeBase32(SEED)].map((b) => (b > 127 ? b - 256 : b)) }] }))],
    ["a Steam account whose shared_secret is cut short", Buffer.from(JSON.stringify({ shared_secret: `${seedBase64.slice(0, 3)}!${seedBase64.slice(4)}`, account_name: "x" }))],
    ["a transfer with MD5", Buffer.from(migrationUri([{ secret: decodeBase32(SEED), name: "x", algorithm: 4 }]))],
    ["2FAS with a wrong password", Buffer.from(JSON.stringify({ schemaVersion: 4, servicesEncrypted: "AAAAAAAAAAAAAAAAAAAAAA==:AAAA:AAAAAAAAAAAAAAAA" })), { password: Secret.fromUtf8(PASSWORD) }],
  ];

  it.each(cases)("%s", async (_name, bytes, options) => {
    const outcome = await settle(bytes, options);
    const messages = outcome instanceof WatchwordError ? [outcome.message] : outcome.problems.map((problem) => `${problem.label} ${problem.message}`);
    expect(messages.some((message) => leaks(message))).toBe(false);
    expect(leaks(outcome)).toBe(false);
  });
});
