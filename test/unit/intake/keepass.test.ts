// KeePass databases built here with kdbxweb itself (there is no KeePass fixture): KDBX 4 with
// Argon2d and Argon2id, KDBX 4 and 3.1 with AES-KDF, holding every OTP field layout of the
// KeePass family, then imported with their password.
import argon2 from "argon2";
import kdbxweb from "kdbxweb";
import { describe, expect, it } from "vitest";
import { parseImport, type ImportPreview, type ParseImportOptions } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { Secret } from "../../../src/core/secret.js";
import { rejection } from "../../support/watchword-rejection.js";

const { Consts, Credentials, Kdbx, ProtectedValue } = kdbxweb;
const PASSWORD = "correct horse battery staple";
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memory, iterations, length, parallelism, type, version) => {
  const key = await argon2.hash(Buffer.from(password), { raw: true, salt: Buffer.from(salt), memoryCost: memory, timeCost: iterations, hashLength: length, parallelism, type, version });
  return key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer;
});

type Layout = { version: 3 | 4; kdf: "argon2d" | "argon2id" | "aes" };

/** A database with one entry per OTP field layout, plus entries that must not import. */
async function buildDatabase(layout: Layout, extra?: (db: InstanceType<typeof Kdbx>) => void): Promise<Uint8Array> {
  const db = Kdbx.create(new Credentials(ProtectedValue.fromString(PASSWORD)), "Vault");
  if (layout.version === 3) db.setVersion(3);
  else db.setKdf(layout.kdf === "aes" ? Consts.KdfId.Aes : layout.kdf === "argon2id" ? Consts.KdfId.Argon2id : Consts.KdfId.Argon2d);
  const root = db.getDefaultGroup();
  const cloud = db.createGroup(db.createGroup(root, "Work"), "Cloud");
  const add = (group: typeof root, fields: Record<string, string>, isProtected: readonly string[] = []): void => {
    const entry = db.createEntry(group);
    for (const [name, value] of Object.entries(fields)) entry.fields.set(name, isProtected.includes(name) ? ProtectedValue.fromString(value) : value);
  };
  add(cloud, { Title: "AWS root", UserName: "root@example.com", URL: "https://aws.amazon.com", Notes: "Break glass.", otp: `otpauth://totp/AWS:root%40example.com?secret=${KEY}&issuer=AWS&digits=8&period=60&algorithm=SHA256` }, ["otp"]);
  add(root, { Title: "Registrar", "TOTP Seed": KEY, "TOTP Settings": "30;7" }, ["TOTP Seed"]);
  add(root, { Title: "Steam", "TOTP Seed": KEY, "TOTP Settings": "30;S" });
  add(root, { Title: "KeeOtp vendor", otp: `key=${KEY}&size=8&step=45&otpHashMode=Sha512` });
  add(root, { Title: "KeePassXC Steam", otp: `otpauth://totp/Steam:gamer?secret=${KEY}&period=30&digits=5&issuer=Steam&encoder=steam` });
  add(root, { Title: "KeePass native", "TimeOtp-Secret-Base32": KEY, "TimeOtp-Length": "7", "TimeOtp-Period": "20", "TimeOtp-Algorithm": "HMAC-SHA-256" });
  add(root, { Title: "KeePass HOTP", "HmacOtp-Secret-Hex": "3132333435363738393031323334353637383930", "HmacOtp-Counter": "41" });
  add(root, { Title: "Password only", UserName: "alice", Password: "hunter2" });
  add(root, { Title: "Broken", otp: "otpauth://totp/Broken?secret=JBSWY3DP!EHPK3PXP" });
  db.createRecycleBin();
  const bin = db.getGroup(db.meta.recycleBinUuid ?? "");
  if (bin !== undefined) add(bin, { Title: "Deleted", otp: `otpauth://totp/Deleted?secret=${KEY}` });
  extra?.(db);
  return new Uint8Array(await db.save());
}

const open = (bytes: Uint8Array, options: ParseImportOptions = { password: Secret.fromUtf8(PASSWORD) }): Promise<ImportPreview> => parseImport(bytes, options);

describe.each<Layout>([
  { version: 4, kdf: "argon2d" },
  { version: 4, kdf: "argon2id" },
  { version: 4, kdf: "aes" },
  { version: 3, kdf: "aes" },
])("a KDBX $version database with $kdf", (layout) => {
  it("imports every OTP field layout with its password, and skips the rest", async () => {
    const preview = await open(await buildDatabase(layout));
    expect(preview.format).toBe("keepass");
    const key = decodeBase32(KEY).toString("hex");
    const rows = preview.entries.map(({ name, folder, otp }) => [name, folder, otp.type, otp.algorithm, otp.digits, otp.period, otp.counter, otp.secret.reveal().toString("hex") === key]);
    expect(rows).toEqual([
      ["Registrar", undefined, "totp", "SHA1", 7, 30, 0, true],
      ["Steam", undefined, "steam", "SHA1", 5, 30, 0, true],
      ["KeeOtp vendor", undefined, "totp", "SHA512", 8, 45, 0, true],
      ["KeePassXC Steam", undefined, "steam", "SHA1", 5, 30, 0, true],
      ["KeePass native", undefined, "totp", "SHA256", 7, 20, 0, true],
      ["KeePass HOTP", undefined, "hotp", "SHA1", 6, 30, 41, false],
      ["AWS root", "Work/Cloud", "totp", "SHA256", 8, 60, 0, true],
    ]);
    expect(preview.entries.find((entry) => entry.name === "AWS root")).toMatchObject({
      issuer: "AWS",
      account: "root@example.com",
      username: "root@example.com",
      url: "https://aws.amazon.com",
      notes: "Break glass.",
    });
    expect(preview.entries.find((entry) => entry.name === "KeePass HOTP")?.otp.secret.reveal().toString("utf8")).toBe("12345678901234567890");
    expect(preview.problems).toEqual([{ index: 7, label: "Broken", labelKey: null, labelParams: {}, key: "base32_bad_character", params: { character: "'!'" }, message: expect.stringMatching(/'!'/u) as unknown }]);
    expect(JSON.stringify(preview)).not.toMatch(/JBSWY3DP/u);
  });

  it("refuses a wrong password and asks for a missing one", async () => {
    const bytes = await buildDatabase(layout);
    const wrong = await rejection(open(bytes, { password: Secret.fromUtf8("wrong") }));
    expect([wrong.message, wrong.details.field]).toEqual(["The password is wrong (or the database also needs its key file), or the file is damaged.", "password"]);
    const missing = await rejection(open(bytes, {}));
    expect(missing.message).toBe("This KeePass file is encrypted: give its password, its key file, or both.");
  });
});

/** Rewrites one KDF parameter in a saved KDBX 4 header; the check runs before the header HMAC. */
function setKdfParameter(bytes: Uint8Array, key: string, value: bigint): Uint8Array {
  const copy = Buffer.from(bytes);
  const is64 = key !== "P";
  const needle = Buffer.concat([Buffer.from([is64 ? 0x05 : 0x04, key.length, 0, 0, 0]), Buffer.from(key), Buffer.from([is64 ? 8 : 4, 0, 0, 0])]);
  const at = copy.indexOf(needle);
  if (at < 0) throw new Error(`no ${key} in the header`);
  if (is64) copy.writeBigUInt64LE(value, at + needle.length);
  else copy.writeUInt32LE(Number(value), at + needle.length);
  return new Uint8Array(copy);
}

/** Rewrites KDBX 3.1's TransformRounds header field (id 6). */
function setTransformRounds(bytes: Uint8Array, rounds: bigint): Uint8Array {
  const copy = Buffer.from(bytes);
  for (let offset = 12; offset < copy.length; ) {
    const id = copy[offset] ?? 0;
    const size = copy.readUInt16LE(offset + 1);
    if (id === 6) {
      copy.writeBigUInt64LE(rounds, offset + 3);
      return new Uint8Array(copy);
    }
    if (id === 0) break;
    offset += 3 + size;
  }
  throw new Error("no TransformRounds field");
}

describe("KeePass key derivation caps (ASVS 5.0 5.2)", () => {
  it.each([
    ["argon2d", "M", 8n * 1024n ** 3n, /Argon2 with 8192 MiB of memory \(at most 512 MiB\)/u],
    ["argon2id", "I", 1_000_000n, /Argon2 with 1000000 passes \(at most 100\)/u],
    ["argon2d", "P", 4096n, /Argon2 with 4096 lanes \(at most 64\)/u],
    ["argon2d", "M", 256n * 1024n ** 2n, /Argon2 with 256 MiB × 20 passes \(at most 2048 MiB in all\)/u],
    ["aes", "R", 2n ** 40n, /1,099,511,627,776 AES-KDF rounds \(at most 100,000,000\)/u],
  ] as const)("refuses %s with a huge %s before deriving any key", async (kdf, key, value, message) => {
    let bytes = await buildDatabase({ version: 4, kdf });
    // 256 MiB alone is allowed; with 20 passes it is too much work in all.
    if (value === 256n * 1024n ** 2n) bytes = setKdfParameter(setKdfParameter(bytes, "I", 20n), "M", value);
    else bytes = setKdfParameter(bytes, key, value);
    const started = performance.now();
    const error = await rejection(open(bytes));
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.message).toMatch(message);
    expect(error.details.field).toBe("file");
  });

  it("refuses a KDBX 3.1 file with 2^50 transform rounds before deriving any key", async () => {
    const bytes = setTransformRounds(await buildDatabase({ version: 3, kdf: "aes" }), 2n ** 50n);
    const error = await rejection(open(bytes));
    expect(error.message).toMatch(/AES-KDF rounds \(at most 100,000,000\)/u);
  });

  it("refuses a database that would inflate past the limit (a gzip bomb), before kdbxweb inflates it", async () => {
    const bytes = await buildDatabase({ version: 4, kdf: "argon2d" }, (db) => {
      db.createEntry(db.getDefaultGroup()).fields.set("Notes", "A".repeat(2 * 1024 * 1024));
    });
    expect(bytes.length).toBeLessThan(64 * 1024);
    const error = await rejection(open(bytes, { password: Secret.fromUtf8(PASSWORD), limits: { maxInflatedBytes: 1024 * 1024 } }));
    expect(error.message).toMatch(/holds more than 1 MiB once uncompressed/u);
    const bytes3 = await buildDatabase({ version: 3, kdf: "aes" }, (db) => {
      db.createEntry(db.getDefaultGroup()).fields.set("Notes", "A".repeat(2 * 1024 * 1024));
    });
    expect((await rejection(open(bytes3, { password: Secret.fromUtf8(PASSWORD), limits: { maxInflatedBytes: 1024 * 1024 } }))).message).toMatch(/once uncompressed/u);
  });

  it("says a KeePass 1 database must be saved as .kdbx first, and calls a truncated one damaged", async () => {
    const kdb = new Uint8Array([0x03, 0xd9, 0xa2, 0x9a, 0x65, 0xfb, 0x4b, 0xb5, ...new Array<number>(120).fill(0)]);
    expect((await rejection(open(kdb))).message).toMatch(/KeePass 1 \(\.kdb\)/u);
    const bytes = await buildDatabase({ version: 4, kdf: "argon2d" });
    for (const length of [12, 100, 300, bytes.length - 40]) {
      const error = await rejection(open(bytes.subarray(0, length)));
      expect(error.details.field).toMatch(/^(file|password)$/u);
    }
  });
});

describe("KeePass key files", () => {
  /** A KDBX 4 database with one entry, locked with `keyFile` and, when given, a password. */
  async function lockedWith(keyFile: Uint8Array, password?: string): Promise<Uint8Array> {
    // kdbxweb takes ownership of a 32-byte key file and overwrites it: hand it a copy.
    const credentials = new Credentials(password === undefined ? null : ProtectedValue.fromString(password), new Uint8Array(keyFile));
    await credentials.ready;
    const db = Kdbx.create(credentials, "Vault");
    db.createEntry(db.getDefaultGroup()).fields.set("otp", `otpauth://totp/Bank:carol?secret=${KEY}&issuer=Bank`);
    return new Uint8Array(await db.save());
  }
  const names = (preview: ImportPreview): string[] => preview.entries.map((entry) => entry.name);

  it.each([
    ["32 raw bytes", Buffer.alloc(32, 7)],
    ["64 hex digits", Buffer.from("ab".repeat(32))],
    ["any other file (hashed)", Buffer.from("a photo, say: ".repeat(100))],
  ])("opens a database whose key file is %s, with or without a password", async (_kind, keyFile) => {
    expect(names(await open(await lockedWith(keyFile), { keyFile: Secret.fromBytes(keyFile) }))).toEqual(["Bank (carol)"]);
    const both = await lockedWith(keyFile, PASSWORD);
    expect(names(await open(both, { keyFile: Secret.fromBytes(keyFile), password: Secret.fromUtf8(PASSWORD) }))).toEqual(["Bank (carol)"]);
  });

  it("opens a database whose key file is KeePass's XML (version 1 and 2), and calls an edited version 2 file damaged", async () => {
    const key = Buffer.alloc(32, 9);
    const v2 = Buffer.from(await Credentials.createKeyFileWithHash(key.buffer.slice(key.byteOffset, key.byteOffset + 32), 2));
    const v1 = Buffer.from(await Credentials.createKeyFileWithHash(key.buffer.slice(key.byteOffset, key.byteOffset + 32), 1));
    const bytes = await lockedWith(v2);
    expect(names(await open(bytes, { keyFile: Secret.fromBytes(v2) }))).toEqual(["Bank (carol)"]);
    expect(names(await open(bytes, { keyFile: Secret.fromBytes(v1) }))).toEqual(["Bank (carol)"]);
    const edited = Buffer.from(v2.toString("utf8").replace(/Hash="[0-9A-F]{8}"/u, 'Hash="00000000"'));
    const damaged = await rejection(open(bytes, { keyFile: Secret.fromBytes(edited) }));
    expect([damaged.details.field, damaged.message]).toEqual(["keyFile", "The key file is damaged: it is a KeePass XML key file whose checksum does not match its key."]);
  });

  it("refuses a key file larger than 4 MiB before reading it, and never names its bytes", async () => {
    const keyFile = Buffer.alloc(4 * 1024 * 1024 + 1, 0x41);
    const error = await rejection(open(await buildDatabase({ version: 4, kdf: "aes" }), { keyFile: Secret.fromBytes(keyFile) }));
    expect([error.details.field, error.message]).toEqual(["keyFile", "The key file is larger than 4 MiB; KeePass key files are small (KeePass and KeePassXC make them of a few hundred bytes)."]);
    const planted = Buffer.from("planted-key-file-5c1d".repeat(4));
    const wrong = await rejection(open(await lockedWith(Buffer.alloc(32, 1)), { keyFile: Secret.fromBytes(planted) }));
    expect(wrong.message).toBe("The key file is wrong (or the database also needs its password), or the file is damaged.");
    expect(JSON.stringify(wrong) + String(wrong.stack)).not.toMatch(/planted-key-file/u);
  });
});
