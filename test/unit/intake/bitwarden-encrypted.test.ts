// Bitwarden's password-protected JSON exports: opened with the export password (PBKDF2-SHA256 or
// Argon2id), refused by catalogue key when the password is wrong, the file damaged or its KDF too
// costly, and the account-restricted kind refused with the way out. Files made here from a known
// plain export (build-bitwarden.ts), and two such files committed under test/fixtures/bitwarden.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { isWrongPassword } from "../../../src/core/intake/export-crypto.js";
import { parseImport, type ImportPreview } from "../../../src/core/intake/import-file.js";
import { Secret } from "../../../src/core/secret.js";
import { rejection } from "../../support/watchword-rejection.js";
import { passwordProtectedBitwarden, plainBitwardenExport, type BitwardenKdf, type PasswordProtectedExport } from "./build-bitwarden.js";

const PASSWORD = "correct-horse-7-bitwarden";
const SEED = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BAJJ2W24DT";
const OTHER_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PLAIN = plainBitwardenExport([
  { name: "Vendor console", totp: SEED, username: "ops", folder: "Shared" },
  { name: "GitHub", totp: `otpauth://totp/GitHub:alice?secret=${OTHER_SEED}&issuer=GitHub` },
]);
const PBKDF2: BitwardenKdf = { type: 0, iterations: 5_000 };
const ARGON2ID: BitwardenKdf = { type: 1, iterations: 2, memoryMib: 16, parallelism: 2 };

const bytes = (file: unknown): Uint8Array => Buffer.from(JSON.stringify(file, null, 2));
/** Reads the file with a password (the right one unless told), or with none when given null. */
const open = (file: unknown, password: string | null = PASSWORD): Promise<ImportPreview> =>
  parseImport(bytes(file), password === null ? {} : { password: Secret.fromUtf8(password) });
const seedsOf = (preview: ImportPreview): string[] => preview.entries.map((entry) => entry.otp.secret.reveal().toString("hex"));
const hexOf = (base32: string): string => Buffer.from(base32Decode(base32)).toString("hex");

function base32Decode(text: string): number[] {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  return (bits.match(/.{8}/gu) ?? []).map((byte) => parseInt(byte, 2));
}

/** Replaces one part (0 iv, 1 ciphertext, 2 mac) of an EncString with `change(part)`. */
function withPart(encString: string, index: number, change: (part: Buffer) => Buffer | string): string {
  const [type, rest] = [encString.slice(0, 2), encString.slice(2)];
  const parts = rest.split("|");
  const changed = change(Buffer.from(parts[index]!, "base64"));
  parts[index] = typeof changed === "string" ? changed : changed.toString("base64");
  return `${type}${parts.join("|")}`;
}
const flipFirstByte = (part: Buffer): Buffer => Buffer.from([part[0]! ^ 0x01, ...part.subarray(1)]);

/** Everything an error could show someone: its message, its JSON, its inspection. */
const everythingSaid = (error: WatchwordError): string => [error.message, JSON.stringify(error), JSON.stringify(error.params), inspect(error, { depth: 5 })].join("\n");

describe("password-protected Bitwarden exports", () => {
  it.each([
    ["PBKDF2-SHA256", PBKDF2],
    ["Argon2id", ARGON2ID],
  ])("opens one made with %s with its password, giving the entries of the plain export", async (_, kdf) => {
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, kdf);
    const preview = await open(file);
    const plain = await parseImport(bytes(PLAIN));
    expect(preview.format).toBe("bitwarden");
    expect(preview.problems).toEqual([]);
    expect(preview.entries.map(({ name, folder, username, issuer, account }) => ({ name, folder, username, issuer, account }))).toEqual([
      { name: "Vendor console", folder: "Shared", username: "ops", issuer: undefined, account: undefined },
      { name: "GitHub", folder: undefined, username: undefined, issuer: "GitHub", account: "alice" },
    ]);
    expect(seedsOf(preview)).toEqual([hexOf(SEED), hexOf(OTHER_SEED)]);
    expect(seedsOf(preview)).toEqual(seedsOf(plain));
  });

  it("asks for the password when none is given, before any key derivation", async () => {
    const error = await rejection(open(await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2), null));
    expect(error).toMatchObject({ code: "invalid_input", key: "import_password_required", params: { format: "Bitwarden" }, details: { field: "password" } });
    expect(error.message).toBe("This Bitwarden file is encrypted: give its password.");
  });

  it.each([
    ["PBKDF2-SHA256", PBKDF2],
    ["Argon2id", ARGON2ID],
  ])("refuses a wrong password (%s) with the problem every encrypted format gives, the one the throttle counts", async (_, kdf) => {
    const error = await rejection(open(await passwordProtectedBitwarden(PLAIN, PASSWORD, kdf), "correct-horse-7-bitwardeN"));
    expect(error).toMatchObject({ code: "invalid_input", key: "import_password_wrong", message: "The password is wrong, or the file is damaged.", details: { field: "password" } });
    expect(isWrongPassword(error)).toBe(true);
  });

  it("checks the key-validation MAC: a changed MAC, IV or ciphertext there reads as a wrong password", async () => {
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2);
    for (const part of [0, 1, 2]) {
      const error = await rejection(open({ ...file, encKeyValidation_DO_NOT_EDIT: withPart(file.encKeyValidation_DO_NOT_EDIT, part, flipFirstByte) }));
      expect([part, error.key, error.details.field]).toEqual([part, "import_password_wrong", "password"]);
    }
  });

  it("checks the data's MAC before decrypting: a changed MAC, IV or ciphertext is a damaged file, not a wrong password", async () => {
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2);
    for (const part of [0, 1, 2]) {
      const error = await rejection(open({ ...file, data: withPart(file.data, part, flipFirstByte) }));
      expect([part, error.code, error.key, error.params, error.details.field]).toEqual([part, "invalid_input", "import_bitwarden_encrypted_damaged", { field: "data" }, "file"]);
      expect(error.message).toBe("This Bitwarden export is damaged: its data field is missing or unreadable.");
      expect(isWrongPassword(error)).toBe(false);
    }
  });

  it("refuses a valid EncString moved from the key-validation field into the data, since it holds no export", async () => {
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2);
    const error = await rejection(open({ ...file, data: file.encKeyValidation_DO_NOT_EDIT }));
    expect([error.key, error.params]).toEqual(["import_bitwarden_encrypted_damaged", { field: "data" }]);
  });

  it("refuses an export whose decrypted data is itself encrypted, rather than going round again", async () => {
    const inner = await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2);
    const error = await rejection(open(await passwordProtectedBitwarden(inner, PASSWORD, PBKDF2)));
    expect([error.key, error.params]).toEqual(["import_bitwarden_encrypted_damaged", { field: "data" }]);
  });

  it.each<[string, (file: PasswordProtectedExport) => unknown, string]>([
    ["no salt", ({ salt: _, ...file }) => file, "salt"],
    ["an empty salt", (file) => ({ ...file, salt: "" }), "salt"],
    ["a salt that is not text", (file) => ({ ...file, salt: 42 }), "salt"],
    ["no key-validation field", ({ encKeyValidation_DO_NOT_EDIT: _, ...file }) => file, "encKeyValidation_DO_NOT_EDIT"],
    ["no data", ({ data: _, ...file }) => file, "data"],
    ["data that is not text", (file) => ({ ...file, data: { iv: "x" } }), "data"],
    ["data with two parts", (file) => ({ ...file, data: file.data.split("|").slice(0, 2).join("|") }), "data"],
    ["data with four parts", (file) => ({ ...file, data: `${file.data}|AAAA` }), "data"],
    ["data without its type", (file) => ({ ...file, data: file.data.slice(2) }), "data"],
    ["non-base64 ciphertext", (file) => ({ ...file, data: withPart(file.data, 1, () => "not*base64!") }), "data"],
    ["a non-base64 MAC", (file) => ({ ...file, data: withPart(file.data, 2, () => "%%%%") }), "data"],
    ["a non-base64 IV in the key validation", (file) => ({ ...file, encKeyValidation_DO_NOT_EDIT: withPart(file.encKeyValidation_DO_NOT_EDIT, 0, () => "é") }), "encKeyValidation_DO_NOT_EDIT"],
    ["a short IV", (file) => ({ ...file, data: withPart(file.data, 0, (iv) => iv.subarray(0, 8)) }), "data"],
    ["a short MAC", (file) => ({ ...file, data: withPart(file.data, 2, (mac) => mac.subarray(0, 16)) }), "data"],
    ["ciphertext cut short (not whole AES blocks)", (file) => ({ ...file, data: withPart(file.data, 1, (ct) => ct.subarray(0, ct.length - 5)) }), "data"],
    ["an empty ciphertext", (file) => ({ ...file, data: withPart(file.data, 1, () => "") }), "data"],
  ])("refuses a file with %s as damaged, naming the field, before deriving any key", async (_, change, field) => {
    // 900,000 iterations of PBKDF2 would take the best part of a second: the refusal must come first.
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2);
    const started = performance.now();
    const error = await rejection(open(change({ ...file, kdfIterations: 900_000 } as PasswordProtectedExport)));
    expect([error.code, error.key, error.params, error.details.field]).toEqual(["invalid_input", "import_bitwarden_encrypted_damaged", { field }, "file"]);
    expect(performance.now() - started).toBeLessThan(150);
  });

  it("refuses EncStrings of other types, type 0 above all (AES-CBC without a MAC), without decrypting them", async () => {
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2);
    const unmacced = `0.${file.data.slice(2).split("|").slice(0, 2).join("|")}`;
    for (const data of [unmacced, `7.${file.data.slice(2)}`, `12.${file.data.slice(2)}`]) {
      const error = await rejection(open({ ...file, data }));
      expect([error.key, error.params, error.details.field]).toEqual(["import_bitwarden_cipher_unsupported", { field: "data", value: data.split(".")[0] }, "file"]);
    }
    const error = await rejection(open({ ...file, data: `0.${file.data.slice(2)}` }));
    expect(error.message).toBe("This Bitwarden export's data field is encrypted with type 0; Watchword reads only type 2 (AES-256-CBC with HMAC-SHA256), which Bitwarden writes.");
  });

  it.each<[string, Record<string, unknown>, string, Record<string, unknown>]>([
    ["PBKDF2 iterations past the cap", { kdfType: 0, kdfIterations: 50_000_000 }, "import_kdf_pbkdf2_iterations", { format: "Bitwarden", value: 50_000_000, max: 1_000_000 }],
    ["Argon2 memory past the cap (in MiB, as Bitwarden writes it)", { kdfType: 1, kdfIterations: 3, kdfMemory: 65_536, kdfParallelism: 4 }, "import_kdf_argon2_memory", { format: "Bitwarden", value: 65_536, max: 512 }],
    ["Argon2 passes past the cap", { kdfType: 1, kdfIterations: 100_000, kdfMemory: 64, kdfParallelism: 4 }, "import_kdf_argon2_passes", { format: "Bitwarden", value: 100_000, max: 100 }],
    ["Argon2 lanes past the cap", { kdfType: 1, kdfIterations: 3, kdfMemory: 64, kdfParallelism: 4096 }, "import_kdf_argon2_lanes", { format: "Bitwarden", value: 4096, max: 64 }],
    ["Argon2 memory × passes past the cap", { kdfType: 1, kdfIterations: 100, kdfMemory: 512, kdfParallelism: 4 }, "import_kdf_argon2_work", { format: "Bitwarden", memory: 512, passes: 100, max: 2048 }],
  ])("refuses %s without running the KDF", async (_, kdf, key, params) => {
    const file = { ...(await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2)), ...kdf };
    const started = performance.now();
    const error = await rejection(open(file));
    expect([error.code, error.key, error.params, error.details.field]).toEqual(["invalid_input", key, params, "file"]);
    expect(performance.now() - started).toBeLessThan(150);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a KDF type Bitwarden does not have", { kdfType: 2 }, "import_bitwarden_kdf_unknown"],
    ["a KDF type that is not a number", { kdfType: "argon2id" }, "import_bitwarden_kdf_unknown"],
    ["no KDF type", { kdfType: null }, "import_bitwarden_kdf_unknown"],
    ["no iteration count", { kdfIterations: null }, "import_pbkdf2_iterations_invalid"],
    ["a fractional iteration count", { kdfIterations: 5000.5 }, "import_pbkdf2_iterations_invalid"],
    ["a negative iteration count", { kdfIterations: -1 }, "import_pbkdf2_iterations_invalid"],
    ["Argon2 without its memory", { kdfType: 1, kdfIterations: 3, kdfMemory: null, kdfParallelism: 4 }, "import_argon2_invalid"],
    ["Argon2 with fractional memory", { kdfType: 1, kdfIterations: 3, kdfMemory: 0.5, kdfParallelism: 4 }, "import_argon2_invalid"],
    ["Argon2 with memory past any number", { kdfType: 1, kdfIterations: 3, kdfMemory: 1e300, kdfParallelism: 4 }, "import_argon2_invalid"],
    ["Argon2 without its lanes", { kdfType: 1, kdfIterations: 3, kdfMemory: 64 }, "import_argon2_invalid"],
    ["Argon2 with zero passes", { kdfType: 1, kdfIterations: 0, kdfMemory: 64, kdfParallelism: 4 }, "import_argon2_invalid"],
  ])("refuses %s by key", async (_, kdf, key) => {
    const error = await rejection(open({ ...(await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2)), ...kdf }));
    expect([error.code, error.key, error.details.field]).toEqual(["invalid_input", key, "file"]);
  });

  it("refuses an export cut short as JSON that is not valid", async () => {
    const whole = bytes(await passwordProtectedBitwarden(PLAIN, PASSWORD, PBKDF2));
    const error = await rejection(parseImport(whole.subarray(0, Math.floor(whole.length * 0.7)), { password: Secret.fromUtf8(PASSWORD), format: "bitwarden" }));
    expect([error.code, error.key]).toEqual(["invalid_input", "import_json_invalid"]);
  });

  it("refuses an account-restricted export (encrypted with the account's key), saying to export with a password instead", async () => {
    const accountRestricted = {
      encrypted: true,
      encKeyValidation_DO_NOT_EDIT: "2.6O5+RkqPRTCxGIjEIyqukQ==|J7Ks4QhjfOyt7qMU82XEuJoGw0GpQabv|f0nwbY+JRc2KfkU6mY0dmiKNiDb00A0CngpF4TEEM0c=",
      folders: [{ id: "f1", name: "2.abc|def|ghi" }],
      items: [{ type: 1, name: "2.abc|def|ghi", login: { totp: "2.abc|def|ghi" } }],
    };
    for (const file of [accountRestricted, { ...accountRestricted, passwordProtected: false }]) {
      for (const password of [null, PASSWORD]) {
        const error = await rejection(open(file, password));
        expect([error.code, error.key, error.details.field]).toEqual(["invalid_input", "import_bitwarden_account_restricted", "file"]);
        expect(error.message).toBe(
          'This Bitwarden export is "account restricted": it is encrypted with your Bitwarden account\'s key, which only Bitwarden can open. Export the vault again with the file type "Password protected" (or as unencrypted .json or .csv).',
        );
      }
    }
  });

  it("keeps the password and the seeds out of every refusal", async () => {
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, ARGON2ID);
    const refusals = await Promise.all([
      rejection(open(file, `${PASSWORD}x`)),
      rejection(open(file, null)),
      rejection(open({ ...file, data: withPart(file.data, 2, flipFirstByte) })),
      rejection(open({ ...file, data: withPart(file.data, 1, (ct) => ct.subarray(1)) })),
      rejection(open({ ...file, kdfMemory: 4096 })),
      rejection(open({ ...file, kdfType: PASSWORD })),
    ]);
    for (const error of refusals) {
      const said = everythingSaid(error);
      for (const secret of [PASSWORD, SEED, OTHER_SEED, hexOf(SEED), Buffer.from(base32Decode(SEED)).toString("base64")]) expect(said).not.toContain(secret);
    }
  });

  it("refuses any single changed character of the EncStrings with a catalogued invalid_input, never another error", async () => {
    const file = await passwordProtectedBitwarden(PLAIN, PASSWORD, { type: 0, iterations: 1 });
    const field = fc.constantFrom("data" as const, "encKeyValidation_DO_NOT_EDIT" as const);
    await fc.assert(
      fc.asyncProperty(field, fc.nat(), fc.constantFrom(..."AZaz09+/=|.2-_ \u00e9"), async (name, at, char) => {
        const text = file[name];
        const index = at % text.length;
        if (text[index] === char) return;
        const changed = { ...file, [name]: `${text.slice(0, index)}${char}${text.slice(index + 1)}` };
        const outcome: unknown = await open(changed).then(() => undefined, (caught: unknown) => caught);
        // A change inside a base64 padding run can decode to the same bytes; then the file opens as before.
        if (outcome === undefined) return;
        expect(outcome).toBeInstanceOf(WatchwordError);
        expect((outcome as WatchwordError).code).toBe("invalid_input");
        expect((outcome as WatchwordError).key).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});

// Files made here once and committed (test/fixtures/bitwarden, see its README), with the KDF
// settings Bitwarden uses by default: the reader is checked against fixed files too, not only
// against the ones this run's writer makes. They are in the repository, so these tests always run.
const COMMITTED = new URL("../../fixtures/bitwarden/", import.meta.url);

describe("committed password-protected exports with Bitwarden's default KDF settings", () => {
  it.each(["password-protected-pbkdf2.json", "password-protected-argon2id.json"])("opens %s with its password and refuses another", async (name) => {
    const file = new Uint8Array(readFileSync(new URL(name, COMMITTED)));
    const preview = await parseImport(file, { password: Secret.fromUtf8("fixture-export-password") });
    expect(preview.format).toBe("bitwarden");
    expect(preview.problems).toEqual([]);
    expect(preview.entries.map(({ name: title, username }) => ({ title, username }))).toEqual([{ title: "Team wiki", username: "wiki-admin" }]);
    // The login's totp is the bare key "jbswy3dpehpk3pxp", read as base32 (case-insensitive).
    expect(preview.entries[0]!.otp).toMatchObject({ type: "totp", algorithm: "SHA1", digits: 6, period: 30 });
    expect(preview.entries[0]!.otp.secret.reveal().toString("hex")).toBe(hexOf("JBSWY3DPEHPK3PXP"));
    const wrong = await rejection(parseImport(file, { password: Secret.fromUtf8("fixture-export-passworD") }));
    expect(isWrongPassword(wrong)).toBe(true);
  });
});
