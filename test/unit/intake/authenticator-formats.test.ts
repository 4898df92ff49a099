// Authenticator app exports in shapes the real fixtures do not cover: Aegis groups, slots and
// scrypt caps, andOTP iteration caps and old labels, FreeOTP+ byte lists, Google Authenticator
// enums, batches and names, 2FAS groups — and a 10,000-entry vault, which must import quickly.
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { parseImport, type ImportPreview, type ParseImportOptions } from "../../../src/core/intake/import-file.js";
import { Secret } from "../../../src/core/secret.js";
import { rejection } from "../../support/watchword-rejection.js";
import { aegisDb, encryptedAegis, encryptedAndOtp, largeAegis, migrationUri, plainAegis } from "./build-exports.js";
import { renderProblem } from "../../../src/core/problems/catalogue.js";

const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const withPassword = (password: string): ParseImportOptions => ({ password: Secret.fromUtf8(password) });

describe("Aegis", () => {
  it("imports a 10,000-entry vault in well under a second", async () => {
    const bytes = largeAegis(10_000);
    const started = performance.now();
    const preview = await parseImport(bytes);
    const elapsed = performance.now() - started;
    expect(preview.entries).toHaveLength(10_000);
    expect(preview.problems).toEqual([]);
    expect(elapsed).toBeLessThan(1000);
  });

  it("refuses a vault of more entries than the limit, saying how many it allows", async () => {
    const error = await rejection(parseImport(largeAegis(10_001)));
    expect(error.message).toBe("This file holds more than 10,000 entries; import at most that many at once.");
    expect(error.details.field).toBe("file");
  });

  it("puts entries in the folder of their group, keeps notes, and reports unsupported types as problems", async () => {
    const db = aegisDb(
      [
        { secret: KEY, issuer: "GitHub", name: "alice", extra: { groups: ["g1", "g2"], note: "Team account" } },
        { secret: KEY, type: "yandex", issuer: "Yandex", name: "bob" },
        { secret: "NOT-BASE32!", issuer: "Broken", name: "carol" },
        { secret: KEY, issuer: "Old", name: "dave", extra: { group: "Legacy group" } },
      ],
      [{ uuid: "g1", name: "Infrastructure" }, { uuid: "g2", name: "Finance" }],
    );
    const preview = await parseImport(plainAegis(db));
    expect(preview.entries.map(({ index, name, folder, notes }) => ({ index, name, folder, notes }))).toEqual([
      { index: 0, name: "GitHub (alice)", folder: "Infrastructure", notes: "Team account" },
      { index: 3, name: "Old (dave)", folder: "Legacy group", notes: undefined },
    ]);
    expect(preview.entries[0]?.warnings).toEqual([{ key: "import_several_groups", params: { folder: "Infrastructure" } }]);
    expect(preview.entries[0]?.warnings.map(renderProblem)).toEqual(['The entry is in several Aegis groups; it was placed in the folder "Infrastructure".']);
    expect(preview.problems).toEqual([
      { index: 1, label: "Yandex (bob)", labelKey: null, labelParams: {}, key: "import_otp_type_unsupported", params: { value: "'yandex'" }, message: "The OTP type is 'yandex'; Watchword imports TOTP, HOTP and Steam seeds." },
      { index: 2, label: "Broken (carol)", labelKey: null, labelParams: {}, key: "base32_bad_character", params: { character: "'!'" }, message: "The secret contains '!', which is not a base32 character (A–Z and 2–7)." },
    ]);
  });

  it("unlocks any of several password slots, and a slot written before Aegis's issue #95 fix", async () => {
    const db = aegisDb([{ secret: KEY, issuer: "GitHub", name: "alice" }]);
    const twoSlots = encryptedAegis(db, [{ password: Buffer.from("first one") }, { password: Buffer.from("second one") }]);
    expect((await parseImport(twoSlots, withPassword("second one"))).entries).toHaveLength(1);
    // Java's old UTF_8.encode() array: 10 characters → capacity 11, a trailing zero byte.
    const legacy = Buffer.concat([Buffer.from("0123456789"), Buffer.alloc(1)]);
    const unrepaired = encryptedAegis(db, [{ password: legacy, repaired: false }]);
    expect((await parseImport(unrepaired, withPassword("0123456789"))).entries[0]?.name).toBe("GitHub (alice)");
  });

  it.each([
    [{ n: 2 ** 21 }, /scrypt with N = 2097152 \(at most 2\^20\)/u],
    [{ n: 2 ** 14, r: 16, p: 4 }, /scrypt with r × p = 64 \(at most 32\)/u],
    [{ n: 2 ** 20, r: 16, p: 1 }, /scrypt with N × r × p = 16777216 \(at most 2\^23\)/u],
    [{ n: 1000 }, /invalid scrypt parameters/u],
  ])("refuses scrypt parameters %o before running scrypt (ASVS 5.0 5.2)", async (params, message) => {
    const bytes = encryptedAegis(aegisDb([{ secret: KEY }]), [{ password: Buffer.from("test"), ...params }]);
    const started = performance.now();
    const error = await rejection(parseImport(bytes, withPassword("test")));
    expect(performance.now() - started).toBeLessThan(200);
    expect(error.message).toMatch(message);
    expect(error.details.field).toBe("file");
  });

  it("says a vault locked only by fingerprint must be exported again with a password", async () => {
    const bytes = encryptedAegis(aegisDb([{ secret: KEY }]), [{ password: Buffer.from("x"), type: 2 }]);
    expect((await rejection(parseImport(bytes, withPassword("x")))).message).toMatch(/export it again with a password/u);
  });
});

describe("andOTP", () => {
  const entries = [{ secret: KEY, issuer: "GitHub", label: "alice", digits: 6, type: "TOTP", algorithm: "SHA1", period: 30 }];

  it("refuses a backup that declares more PBKDF2 iterations than the cap, before deriving", async () => {
    const bytes = encryptedAndOtp(entries, "test", 5_000_000, false);
    const started = performance.now();
    const error = await rejection(parseImport(bytes, withPassword("test")));
    expect(performance.now() - started).toBeLessThan(200);
    expect(error.message).toBe("This andOTP file asks for 5,000,000 PBKDF2 iterations (at most 1,000,000), more key-derivation work than Watchword allows; it cannot be imported.");
    // Past 10,000,000 the first 4 bytes are no iteration count andOTP would write (Aegis's bound):
    // they are the random nonce of the old layout, tried instead, with no PBKDF2 run at all.
    const absurd = encryptedAndOtp(entries, "test", 2 ** 31, false);
    const absurdStarted = performance.now();
    expect((await rejection(parseImport(absurd, { ...withPassword("test"), format: "andotp" }))).message).toBe("The password is wrong, or the file is damaged.");
    expect(performance.now() - absurdStarted).toBeLessThan(200);
  });

  it("decrypts a backup with a modest iteration count, and splits old 'Issuer - account' labels", async () => {
    const bytes = encryptedAndOtp([...entries, { secret: KEY, label: "Legacy Bank - bob", digits: 8, type: "HOTP", algorithm: "SHA256", counter: 7 }], "pw", 1000);
    const preview = await parseImport(bytes, withPassword("pw"));
    expect(preview.entries.map((entry) => [entry.name, entry.otp.type, entry.otp.counter])).toEqual([
      ["GitHub (alice)", "totp", 0],
      ["Legacy Bank (bob)", "hotp", 7],
    ]);
  });
});

describe("FreeOTP+", () => {
  it("reads signed byte lists, adds one to HOTP counters, and treats issuer Steam as Steam Guard", async () => {
    const tokens = [
      { algo: "SHA1", counter: 9, digits: 6, issuerExt: "Bank", label: "alice", period: 30, secret: [-1, 0, 1, 127, -128, 72, 101, 108, 108, 111, 33, 222, 173, 190, 239, 1], type: "HOTP" },
      { algo: "SHA1", counter: 0, digits: 5, issuerExt: "Steam", label: "gamer", period: 30, secret: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], type: "TOTP" },
      { algo: "SHA1", digits: 6, issuerExt: "Broken", label: "x", period: 30, secret: [1, 2.5], type: "TOTP" },
    ];
    const preview: ImportPreview = await parseImport(json({ tokenOrder: [], tokens }));
    expect(preview.format).toBe("freeotp-plus");
    expect(preview.entries[0]?.otp.secret.reveal().toString("hex")).toBe("ff00017f8048656c6c6f21deadbeef01");
    expect(preview.entries[0]?.otp.counter).toBe(10);
    expect(preview.entries[1]?.otp).toMatchObject({ type: "steam", digits: 5 });
    expect(preview.problems).toEqual([{ index: 2, label: "Broken (x)", labelKey: null, labelParams: {}, key: "import_secret_list_not_bytes", params: {}, message: "The secret holds something other than bytes (whole numbers from -128 to 255)." }]);
  });
});

describe("Steam Guard", () => {
  const sharedSecret = Buffer.from("0123456789abcdef0123").toString("base64");

  it("reads a Steam Desktop Authenticator .maFile: one account, its shared_secret as a Steam seed", async () => {
    const preview = await parseImport(json({ shared_secret: sharedSecret, account_name: "gamer", identity_secret: "aWRlbnRpdHk=", revocation_code: "R12345" }));
    expect(preview.format).toBe("steam");
    expect(preview.entries).toHaveLength(1);
    expect(preview.entries[0]).toMatchObject({ name: "Steam (gamer)", issuer: "Steam", account: "gamer", otp: { type: "steam", digits: 5, algorithm: "SHA1" } });
    expect(preview.entries[0]?.otp.secret.reveal().toString()).toBe("0123456789abcdef0123");
    // The revocation code and the identity secret are not seeds: nothing of them is kept.
    expect(JSON.stringify(preview)).not.toMatch(/R12345|aWRlbnRpdHk/u);
  });

  it("reads the Steam app's file of several accounts, and names what is wrong with a bad one", async () => {
    const accounts = {
      a: { shared_secret: sharedSecret, account_name: "first" },
      b: { shared_secret: "not base64!", account_name: "second" },
      c: { shared_secret: "", account_name: "third" },
    };
    const preview = await parseImport(json({ accounts }));
    expect(preview.entries.map((entry) => entry.name)).toEqual(["Steam (first)"]);
    expect(preview.problems).toEqual([
      { index: 1, label: "Steam (second)", labelKey: null, labelParams: {}, key: "import_steam_secret_not_base64", params: {}, message: "The shared_secret is not base64." },
      { index: 2, label: "Steam (third)", labelKey: null, labelParams: {}, key: "import_steam_secret_missing", params: {}, message: "The shared_secret is missing." },
    ]);
  });

  it("refuses a Steam file with no account in it", async () => {
    const error = await parseImport(json({ accounts: {} }), { format: "steam" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WatchwordError);
    expect((error as WatchwordError).message).toBe("This file holds no Steam Guard account (an object with a shared_secret).");
  });
});

describe("Google Authenticator transfers", () => {
  const secret = Buffer.from("12345678901234567890");

  it("maps the algorithm, digit and type enums and strips an issuer repeated in the name", async () => {
    const line = migrationUri([
      { secret, name: "GitHub:alice", issuer: "GitHub", algorithm: 2, digits: 2, type: 2 },
      { secret, name: "bank", algorithm: 3, digits: 1, type: 1, counter: 12 },
      { secret, name: "old", algorithm: 4 },
      { secret, name: "odd", digits: 7 },
    ]);
    const preview = await parseImport(Buffer.from(`${line}\n`));
    expect(preview.entries.map(({ name, otp }) => [name, otp.type, otp.algorithm, otp.digits, otp.counter])).toEqual([
      ["GitHub (alice)", "totp", "SHA256", 8, 0],
      ["bank", "hotp", "SHA512", 6, 12],
    ]);
    expect(preview.problems.map(({ index, label, message }) => [index, label, message])).toEqual([
      [2, "old", "The algorithm is MD5 or unknown; Watchword supports SHA1, SHA256 and SHA512."],
      [3, "odd", "The number of digits is not one Google Authenticator defines (6 or 8)."],
    ]);
  });

  it("reads a batch spread over several lines, and names the parts that are missing", async () => {
    const parts = [0, 1, 2, 3].map((index) => migrationUri([{ secret, name: `account ${index}` }], { size: 4, index, id: 77 }));
    const preview = await parseImport(Buffer.from([parts[0], parts[2]].join("\r\n")));
    expect(preview.entries.map((entry) => entry.name)).toEqual(["account 0", "account 2"]);
    expect(preview.problems).toEqual([
      {
        index: 2,
        label: "Google Authenticator transfer",
        labelKey: "gauth_transfer",
        labelParams: {},
        key: "import_transfer_parts_missing",
        params: { size: 4, count: 2, parts: "2, 4" },
        message: "The transfer was split into 4 QR codes, but 2 of them are missing (parts 2, 4); add every part to import all accounts.",
      },
    ]);
    const complete = await parseImport(Buffer.from(parts.join("\n")));
    expect([complete.entries.length, complete.problems.length]).toEqual([4, 0]);
  });

  it("refuses a negative or oversized HOTP counter as a problem", async () => {
    const preview = await parseImport(Buffer.from(migrationUri([{ secret, name: "neg", type: 1, counter: -1n }, { secret, name: "big", type: 1, counter: 2n ** 60n }])));
    expect(preview.problems.map((problem) => problem.message)).toEqual([
      "The counter is outside 0 to 9007199254740991.",
      "The counter is outside 0 to 9007199254740991.",
    ]);
  });
});

describe("2FAS", () => {
  it("places services in the folder of their group and takes the service name for a missing issuer", async () => {
    const backup = {
      schemaVersion: 4,
      groups: [{ id: "grp", name: "Ops" }],
      services: [
        { name: "Cloudflare", secret: KEY, groupId: "grp", otp: { account: "ops@example.com", digits: 6, period: 30, algorithm: "SHA1", tokenType: "TOTP" } },
        { name: "Bad", secret: KEY, otp: { tokenType: "MOTP" } },
      ],
    };
    const preview = await parseImport(json(backup));
    expect(preview.entries.map(({ name, folder }) => [name, folder])).toEqual([["Cloudflare (ops@example.com)", "Ops"]]);
    expect(preview.problems[0]?.message).toBe("The OTP type is 'MOTP'; Watchword imports TOTP, HOTP and Steam seeds.");
  });
});

describe("Stratum", () => {
  it("names what is wrong with an account (mOTP, Yandex, an unknown algorithm) and imports the rest", async () => {
    const account = (fields: Record<string, unknown>) => ({ Type: 2, Issuer: "Vendor", Username: "ops", Secret: KEY, Algorithm: 0, Digits: 6, Period: 30, Counter: 0, ...fields });
    const preview = await parseImport(json({ Authenticators: [account({}), account({ Type: 3 }), account({ Type: 5 }), account({ Algorithm: 7 }), account({ Type: 1, Counter: 12 })] }));
    expect(preview.format).toBe("stratum");
    expect(preview.entries.map((entry) => [entry.index, entry.otp.type, entry.otp.counter])).toEqual([[0, "totp", 0], [4, "hotp", 12]]);
    expect(preview.problems.map((problem) => [problem.index, problem.message])).toEqual([
      [1, "mOTP codes are not supported; Watchword imports TOTP, HOTP and Steam seeds."],
      [2, "Yandex codes are not supported; Watchword imports TOTP, HOTP and Steam seeds."],
      [3, "The Stratum algorithm is not 0 (SHA-1), 1 (SHA-256) or 2 (SHA-512)."],
    ]);
  });

  it("checks Argon2id parameters against the caps before deriving any key", async () => {
    const { deriveArgon2Key } = await import("../../../src/core/intake/export-crypto.js");
    const salt = new Uint8Array(16);
    const started = performance.now();
    for (const [params, message] of [
      [{ memoryKib: 8 * 1024 * 1024, iterations: 3, parallelism: 4 }, /Argon2 with 8192 MiB of memory/u],
      [{ memoryKib: 64 * 1024, iterations: 1_000_000, parallelism: 4 }, /Argon2 with 1000000 passes/u],
      [{ memoryKib: 64 * 1024, iterations: 3, parallelism: 4096 }, /Argon2 with 4096 lanes/u],
      [{ memoryKib: 256 * 1024, iterations: 20, parallelism: 4 }, /Argon2 with 256 MiB × 20 passes/u],
    ] as const) {
      const error = await rejection(deriveArgon2Key(Buffer.from("pw"), { type: "argon2id", hashLength: 32, ...params, salt }, "Stratum"));
      expect([error.details.field, error.message]).toEqual(["file", expect.stringMatching(message) as unknown]);
    }
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("TOTP Authenticator", () => {
  it("reads keys in base 16, 32 and 64, and names an unknown base", async () => {
    const list = [
      { issuer: "Hex", name: "a", base: 16, key: "48656c6c6f21deadbeef", digits: "6", period: "30" },
      { issuer: "B32", name: "b", base: 32, key: KEY, digits: "8", period: "60" },
      { issuer: "B64", name: "c", base: 64, key: Buffer.from("Hello!deadbeef").toString("base64") },
      { issuer: "Odd", name: "d", base: 36, key: "zz" },
    ];
    const xml = `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <string name="STATIC_TOTP_CODES_LIST">${JSON.stringify(list).replaceAll('"', "&quot;")}</string>\n</map>\n`;
    const preview = await parseImport(Buffer.from(xml));
    expect(preview.format).toBe("totp-authenticator");
    expect(preview.entries.map((entry) => [entry.name, entry.otp.digits, entry.otp.period])).toEqual([["Hex (a)", 6, 30], ["B32 (b)", 8, 60], ["B64 (c)", 6, 30]]);
    expect(preview.entries[0]?.otp.secret.reveal().toString("hex")).toBe("48656c6c6f21deadbeef");
    expect(preview.problems).toEqual([{ index: 3, label: "Odd (d)", labelKey: null, labelParams: {}, key: "import_totp_auth_base", params: { base: 36, format: "TOTP Authenticator" }, message: "The key is written in base 36; TOTP Authenticator writes base 16, 32 or 64." }]);
  });

  it("opens a backup made without a password of one's own with the app's default one", async () => {
    const { createCipheriv, createHash } = await import("node:crypto");
    const list = JSON.stringify([{ issuer: "Default", name: "x", base: 32, key: KEY, digits: "6", period: "30" }]);
    const key = createHash("sha256").update("TotpAuthenticator").digest();
    const cipher = createCipheriv("aes-256-cbc", key, Buffer.alloc(16));
    const sealed = Buffer.concat([cipher.update(JSON.stringify({ [list]: "1608293023" })), cipher.final()]).toString("base64");
    const preview = await parseImport(Buffer.from(sealed));
    expect([preview.format, preview.entries.map((entry) => entry.name)]).toEqual(["totp-authenticator", ["Default (x)"]]);
  });
});
