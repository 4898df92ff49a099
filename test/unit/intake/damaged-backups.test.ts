// Properties: whatever bytes of a real Stratum, TOTP Authenticator, Authenticator Plus, old andOTP
// or 2FAS file are changed or cut, the import ends in a preview or a clear invalid_input on the
// file or the password — never another exception, never a hang; and random JSON inside each JSON
// format's shape does the same. Runs are fewer where each one costs a key derivation. And no
// problem, error or preview holds a planted seed or password.
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { parseImport } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { Secret } from "../../../src/core/secret.js";
import { readForeignTable } from "../../../src/store/foreign-database.js";
import { describeWithFixtures, readFixture } from "./external-fixtures.js";

/** Imports and checks the outcome: a preview, or a WatchwordError about the file or the password. */
async function settle(bytes: Uint8Array, password: string | undefined): Promise<void> {
  try {
    await parseImport(bytes, { readForeignTable, ...(password === undefined ? {} : { password: Secret.fromUtf8(password) }) });
  } catch (error) {
    if (!(error instanceof WatchwordError)) throw new Error(`parseImport threw ${inspect(error)}`);
    // unsupported_media_type: the damage made the file unrecognisable (415), still a clear answer.
    expect(["invalid_input", "unsupported_media_type"]).toContain(error.code);
    expect(["file", "password"]).toContain(error.details.field);
  }
}

const damage = (size: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.tuple(fc.nat({ max: size - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((changes) => ({ changes, cut: size })) },
    { weight: 1, arbitrary: fc.nat({ max: size - 1 }).map((cut) => ({ changes: [] as [number, number][], cut })) },
  );

describeWithFixtures("damaged real backups (property)", () => {
  it.each([
    ["stratum_plain.json", undefined, 200],
    ["stratum_encrypted.bin", "test", 30],
    ["stratum_encrypted_legacy.bin", "test", 40],
    ["stratum_internal.db", undefined, 100],
    ["totp_authenticator.bin", "Testtest1", 200],
    ["totp_authenticator_internal.xml", undefined, 200],
    ["authenticator_plus.zip", "testtesttest", 200],
    ["andotp_encrypted_old.bin", "test", 200],
    ["2fas_authenticator.json", undefined, 100],
    ["2fas_authenticator_encrypted.2fas", "test", 60],
    ["2fas_authenticator_encrypted_v3.2fas", "test", 60],
  ] as const)("%s with bytes changed or cut anywhere ends in a preview or invalid_input", async (file, password, numRuns) => {
    const whole = Buffer.from(readFixture(`aegis-importers/${file}`));
    await fc.assert(
      fc.asyncProperty(damage(whole.length), async ({ changes, cut }) => {
        const damaged = Buffer.from(whole.subarray(0, cut));
        for (const [offset, value] of changes) if (offset < damaged.length) damaged[offset] = value;
        await settle(damaged, password);
      }),
      { numRuns },
    );
  }, 120_000);
});

describe("random bytes behind the new formats' signatures (property)", () => {
  it.each([
    ["Stratum's header", [...Buffer.from("AUTHENTICATORPRO")], "pw"],
    ["Stratum's legacy header", [...Buffer.from("AuthenticatorPro")], "pw"],
    ["a ZIP signature", [0x50, 0x4b, 0x03, 0x04], "pw"],
    ["a ZIP signature, no password", [0x50, 0x4b, 0x03, 0x04], undefined],
    ["SQLite's header", [...Buffer.from("SQLite format 3\u0000")], undefined],
  ] as const)("random bytes after %s end in a preview or invalid_input", async (_name, prefix, password) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (tail) => settle(new Uint8Array([...prefix, ...tail]), password)),
      { numRuns: prefix[0] === 0x41 ? 30 : 200 },
    );
  }, 120_000);

  it("random base64 text (a TOTP Authenticator backup's shape) ends in a preview or invalid_input, with or without a password", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 40 }).map((blocks) => Buffer.from(new Uint8Array(blocks.length * 16).map((_, i) => blocks[i % blocks.length] ?? 0)).toString("base64")), fc.boolean(), async (text, withPassword) =>
        settle(Buffer.from(text), withPassword ? "pw" : undefined),
      ),
      { numRuns: 300 },
    );
  });
});

describe("random JSON in the shapes of the new formats (property)", () => {
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  it.each([
    ["Stratum", (value: unknown) => ({ Authenticators: [value, { Type: value, Secret: value, Algorithm: value, Digits: value, Period: value, Counter: value }] })],
    ["Stratum with a sound seed", (value: unknown) => ({ Authenticators: [{ Type: 2, Secret: "JBSWY3DPEHPK3PXP", Issuer: value, Username: value, Algorithm: value, Digits: value, Period: value }] })],
    ["2FAS schema 4", (value: unknown) => ({ schemaVersion: 4, services: [{ secret: "JBSWY3DPEHPK3PXP", name: value, otp: { tokenType: value, digits: value, period: value, counter: value, algorithm: value } }] })],
  ])("random JSON inside a %s backup ends in a preview or invalid_input", async (_name, wrap) => {
    await fc.assert(fc.asyncProperty(anyJson, async (value) => settle(Buffer.from(JSON.stringify(wrap(value))), undefined)), { numRuns: 300 });
  });

  it("random accounts in a TOTP Authenticator preferences file end in a preview or invalid_input", async () => {
    const escape = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll('"', "&quot;");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(anyJson, fc.record({ base: fc.constantFrom(16, 32, 64, 7), key: fc.string(), digits: anyJson, period: anyJson })), { maxLength: 4 }), async (accounts) => {
        const xml = `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map><string name="STATIC_TOTP_CODES_LIST">${escape(JSON.stringify(accounts))}</string></map>`;
        await settle(Buffer.from(xml), undefined);
      }),
      { numRuns: 300 },
    );
  });
});

describe("planted secrets never leak from the new formats", () => {
  const SEED = "PLANTEDSEEDQWERTYZXCVBNMASDFGHJK";
  const PASSWORD = "planted-password-9b2e";
  const seedHex = decodeBase32(SEED).toString("hex");
  const leaks = (value: unknown): boolean => {
    const printed = `${JSON.stringify(value)}\n${inspect(value, { depth: 10 })}`;
    return [SEED, SEED.toLowerCase(), seedHex, seedHex.toUpperCase(), PASSWORD].some((secret) => printed.includes(secret));
  };
  const preferences = (accounts: unknown): Buffer =>
    Buffer.from(`<map><string name="STATIC_TOTP_CODES_LIST">${JSON.stringify(accounts).replaceAll('"', "&quot;")}</string></map>`);

  it.each([
    ["a Stratum account with an unknown algorithm", Buffer.from(JSON.stringify({ Authenticators: [{ Type: 2, Secret: SEED, Algorithm: 9 }] }))],
    ["a Stratum account with a bad character", Buffer.from(JSON.stringify({ Authenticators: [{ Type: 2, Secret: `${SEED}!`, Algorithm: 0 }] }))],
    ["a Stratum mOTP account", Buffer.from(JSON.stringify({ Authenticators: [{ Type: 3, Secret: SEED }] }))],
    ["a TOTP Authenticator key in an unknown base", preferences([{ base: 36, key: seedHex, issuer: "x" }])],
    ["a TOTP Authenticator hex key that is not hex", preferences([{ base: 16, key: `${seedHex}zz`, issuer: "x" }])],
    ["a TOTP Authenticator account with 99 digits", preferences([{ base: 16, key: seedHex, digits: "99" }])],
    ["an encrypted Stratum file with a wrong password", Buffer.concat([Buffer.from("AUTHENTICATORPRO"), Buffer.alloc(80, 7)])],
    ["an old andOTP file with a wrong password", Buffer.alloc(80, 3)],
  ])("%s", async (_name, bytes) => {
    let outcome: unknown;
    try {
      outcome = await parseImport(bytes, { password: Secret.fromUtf8(PASSWORD) });
    } catch (error) {
      expect(error).toBeInstanceOf(WatchwordError);
      outcome = { message: (error as Error).message, stack: (error as Error).stack };
    }
    expect(leaks(outcome)).toBe(false);
  });
});
