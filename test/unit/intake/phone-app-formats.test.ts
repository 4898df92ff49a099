// Phone-app files in shapes Aegis's fixtures do not cover: Authy's own tokens, labels and KDF
// budget; FreeOTP 2 backups with hostile iteration counts, sizes and strings; preference files
// with a DOCTYPE; Microsoft Authenticator's other account types; Battle.net sealed by the phone;
// Duo Push accounts; Proton notes — and no planted seed or password in any message.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { detectImportFormat, parseImport, type ImportPreview, type ParseImportOptions } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { Secret } from "../../../src/core/secret.js";
import { readForeignTable } from "../../../src/store/foreign-database.js";
import { loadSqlite } from "../../../src/store/sqlite-module.js";
import { rejection } from "../../support/watchword-rejection.js";
import { authyXml, freeOtpBackup, javaStringMap, preferencesXml, sealAuthySecret } from "./build-phone-files.js";

const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const withPassword = (password: string): ParseImportOptions => ({ password: Secret.fromUtf8(password) });
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe("detection of the phone-app formats", () => {
  const token = { algo: "SHA1", digits: 6, issuerExt: "X", label: "y", secret: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], type: "TOTP" };
  it.each<[string, Uint8Array]>([
    ["authy", authyXml([])],
    ["freeotp", preferencesXml([["X:y", JSON.stringify(token)]])],
    ["freeotp", javaStringMap([])],
    ["battlenet", preferencesXml([["com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET", "00"]])],
    ["duo", json([{ name: "x", otpGenerator: { otpSecret: KEY } }])],
    ["proton", json({ version: 1, entries: [{ content: { uri: "otpauth://totp/x?secret=JBSWY3DP" } }] })],
    ["steam", json({ shared_secret: "AAAA", account_name: "x" })],
  ])("recognises %s by content", (format, bytes) => {
    expect(detectImportFormat(bytes)).toBe(format);
  });
});

describe("Authy", () => {
  it("reads Authy's own tokens (hex seed, 10-second codes) and finds issuers where originalIssuer is missing", async () => {
    const preview = await parseImport(
      authyXml([
        { accountType: "authy", secretSeed: "0102030405060708090a0b0c0d0e0f10", digits: 7, name: "Twitch" },
        { accountType: "authenticator", decryptedSecret: KEY, digits: 6, originalName: "GitHub:alice", name: "GitHub: alice" },
        { accountType: "authenticator", decryptedSecret: KEY, digits: 6, name: "Bank - bob" },
        { accountType: "dropbox", decryptedSecret: KEY, digits: 8, name: "carol@example.com" },
        { accountType: "authenticator", decryptedSecret: "NOT-BASE32!", digits: 6, name: "Broken - x" },
      ]),
    );
    expect(preview.format).toBe("authy");
    expect(preview.entries.map(({ name, issuer, account, otp }) => [name, issuer, account, otp.digits, otp.period])).toEqual([
      ["Twitch", "Twitch", undefined, 7, 10],
      ["GitHub (alice)", "GitHub", "alice", 6, 30],
      ["Bank (bob)", "Bank", "bob", 6, 30],
      ["Dropbox (carol@example.com)", "Dropbox", "carol@example.com", 8, 30],
    ]);
    expect(preview.entries[0]?.otp.secret.reveal().toString("hex")).toBe("0102030405060708090a0b0c0d0e0f10");
    expect(preview.problems).toEqual([{ index: 4, label: "Broken (x)", labelKey: null, labelParams: {}, key: "base32_bad_character", params: { character: "'!'" }, message: "The secret contains '!', which is not a base32 character (A–Z and 2–7)." }]);
  });

  it("opens sealed seeds with the backup password, each with its own salt", async () => {
    const tokens = ["salt-one", "salt-two"].map((salt, i) => ({ accountType: "authenticator", encryptedSecret: sealAuthySecret(KEY, "backup pw", salt), salt, digits: 6, originalIssuer: `Issuer ${i}`, name: `Issuer ${i}: user` }));
    const preview = await parseImport(authyXml(tokens), withPassword("backup pw"));
    expect(preview.entries.map((entry) => [entry.name, entry.otp.secret.reveal().toString("hex")])).toEqual([
      ["Issuer 0 (user)", decodeBase32(KEY).toString("hex")],
      ["Issuer 1 (user)", decodeBase32(KEY).toString("hex")],
    ]);
  });

  it("calls an unreadable seal that account's damage, not a wrong password", async () => {
    const tokens = [
      { accountType: "authenticator", encryptedSecret: "not base64!", salt: "s", digits: 6, originalIssuer: "A", name: "A: x" },
      { accountType: "authenticator", encryptedSecret: sealAuthySecret(KEY, "pw", "s"), digits: 6, originalIssuer: "B", name: "B: y" },
    ];
    const preview = await parseImport(authyXml(tokens), withPassword("pw"));
    expect(preview.entries).toEqual([]);
    expect(preview.problems.map((problem) => [problem.label, problem.message])).toEqual([
      ["A (x)", "This account's seed could not be decrypted; the file may be damaged."],
      ["B (y)", "This account's seed could not be decrypted; the file may be damaged."],
    ]);
  });

  it("refuses a file whose sealed seeds would cost more than 1,000,000 PBKDF2 iterations, before deriving any key", async () => {
    const sealed = sealAuthySecret(KEY, "pw", "salt");
    const tokens = Array.from({ length: 1001 }, (_, i) => ({ accountType: "authenticator", encryptedSecret: sealed, salt: "salt", digits: 6, name: `Account ${i}` }));
    const started = performance.now();
    const error = await rejection(parseImport(authyXml(tokens), withPassword("pw")));
    expect(performance.now() - started).toBeLessThan(500);
    expect([error.details.field, error.message]).toEqual([
      "file",
      "This Authy file asks for 1,001,000 PBKDF2 iterations in all, 1,000 per sealed account (at most 1,000,000), more key-derivation work than Watchword allows; it cannot be imported.",
    ]);
  });
});

describe("FreeOTP 2 backups", () => {
  const tokens = [
    { uuid: "6f1c0c3e-0000-4000-8000-000000000001", secret: decodeBase32(KEY), token: { algo: "SHA256", digits: 8, issuerExt: "Café ☕ 😀", label: "alice", period: 60, type: "TOTP" } },
    { uuid: "6f1c0c3e-0000-4000-8000-000000000002", secret: Buffer.from("0123456789abcdef0123"), token: { algo: "SHA1", counter: 7, digits: 6, issuerExt: "Bank", label: "bob", type: "HOTP" } },
    { uuid: "6f1c0c3e-0000-4000-8000-000000000003", secret: Buffer.from("0123456789abcdef0123"), token: { issuerExt: "Steam", label: "gamer", type: "TOTP" } },
  ];

  it("reads a backup made with PBKDF2-SHA1 or -SHA512: labels in Java's modified UTF-8, the HOTP counter as stored", async () => {
    for (const digest of ["sha1", "sha512"] as const) {
      const preview = await parseImport(freeOtpBackup(tokens, "pw", 2000, digest), withPassword("pw"));
      expect(preview.format).toBe("freeotp");
      expect(preview.problems).toEqual([]);
      expect(preview.entries.map(({ name, otp }) => [name, otp.type, otp.algorithm, otp.digits, otp.period, otp.counter])).toEqual([
        ["Café ☕ 😀 (alice)", "totp", "SHA256", 8, 60, 0],
        ["Bank (bob)", "hotp", "SHA1", 6, 30, 7],
        ["Steam (gamer)", "steam", "SHA1", 5, 30, 0],
      ]);
    }
  });

  it("refuses more PBKDF2 iterations than the cap before deriving the key", async () => {
    const started = performance.now();
    const error = await rejection(parseImport(freeOtpBackup(tokens, "pw", 5_000_000), withPassword("pw")));
    expect(performance.now() - started).toBeLessThan(200);
    expect([error.details.field, error.message]).toEqual([
      "file",
      "This FreeOTP file asks for 5,000,000 PBKDF2 iterations (at most 1,000,000), more key-derivation work than Watchword allows; it cannot be imported.",
    ]);
  });

  it("reports a token whose seed does not open as that token's problem, not the file's", async () => {
    const backup = freeOtpBackup(tokens.slice(0, 2), "pw", 1000);
    const text = backup.toString("latin1");
    // Overwrite one digit inside the second token's sealed seed, keeping every length.
    const at = text.indexOf("mCipherText", text.indexOf("6f1c0c3e-0000-4000-8000-000000000002")) + 20;
    backup[at] = backup[at] === 0x31 ? 0x32 : 0x31;
    const preview = await parseImport(backup, withPassword("pw"));
    expect(preview.entries.map((entry) => entry.name)).toEqual(["Café ☕ 😀 (alice)"]);
    expect(preview.problems).toEqual([{ index: 1, label: "Bank (bob)", labelKey: null, labelParams: {}, key: expect.stringMatching(/^import_freeotp_seed_(not_opened|unreadable)$/u) as unknown, params: {}, message: expect.stringMatching(/^This token's (seed does not open|sealed seed is unreadable)/u) as unknown }]);
  });

  it.each([
    ["a size of 2^31 pairs", javaStringMap([["a", "b"]], { size: 2 ** 31 })],
    ["a size larger than the file can hold", javaStringMap([["a", "b"]], { size: 1000 })],
    ["another class", javaStringMap([["a", "b"]], { className: "java.util.TreeMap" })],
    ["a back-reference to nothing", javaStringMap([["a", { reference: 99 }]])],
    ["a long string claiming 4 GiB", Buffer.concat([javaStringMap([]).subarray(0, -1), Buffer.from([0x7c, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])])],
    ["a cut-short stream", javaStringMap([["masterKey", "{}"]]).subarray(0, 70)],
  ])("calls a serialized map with %s damaged, quickly", async (_name, bytes) => {
    const started = performance.now();
    const error = await rejection(parseImport(bytes, withPassword("pw")));
    expect(performance.now() - started).toBeLessThan(200);
    expect(error.details.field).toBe("file");
    expect(error.message).toMatch(/^This FreeOTP backup (is damaged|has no readable master key)/u);
  });

  it("follows back-references to strings already read, as ObjectOutputStream writes repeated ones", async () => {
    // The map's strings are handles 2 onwards (0: the class descriptor, 1: the map itself), so
    // this maps "masterKey" to the string "masterKey": read, but no master key's JSON.
    const error = await rejection(parseImport(javaStringMap([["masterKey", { reference: 2 }]]), withPassword("pw")));
    expect(error.message).toBe("This FreeOTP backup has no readable master key.");
    // A reference to the map itself (handle 1) is no string.
    const self = await rejection(parseImport(javaStringMap([["masterKey", { reference: 1 }]]), withPassword("pw")));
    expect(self.message).toMatch(/^This FreeOTP backup is damaged/u);
  });
});

describe("Android preference files", () => {
  it.each([
    ["FreeOTP", "tokenOrder"],
    ["Authy", "com.authy.storage.tokens.authenticator.key"],
    ["Battle.net", "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET"],
    ["TOTP Authenticator", "STATIC_TOTP_CODES_LIST"],
  ])("refuses a DOCTYPE in a %s file, so no entity can expand (billion laughs), quickly", async (_format, preference) => {
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join("");
    const bomb = Buffer.from(`<?xml version="1.0"?><!DOCTYPE map [<!ENTITY l0 "lol">${entities}]><map><string name="${preference}">&l10;</string></map>`);
    const started = performance.now();
    const error = await rejection(parseImport(bomb));
    expect(performance.now() - started).toBeLessThan(200);
    expect(error.message).toBe("This XML file declares a DOCTYPE, which Android preference files never do; it is refused.");
  });

  it("calls broken XML damaged without quoting it, and reads entities, CDATA, sets and non-token values", async () => {
    const broken = await rejection(parseImport(Buffer.from(`<map><string name="tokenOrder">[${KEY}</strin></map>`)));
    expect(broken.message).toBe("This file looks like an Android preferences file but is not valid XML; it may be damaged or cut short.");
    const token = { algo: "SHA1", digits: 6, issuerExt: "A&B", label: "x", secret: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], type: "TOTP" };
    const xml = Buffer.from(
      `<map>\n<set name="other"><string>a</string><string>b</string></set>\n<string name="A&amp;B:x"><![CDATA[${JSON.stringify(token)}]]></string>\n<string name="tokenOrder">[&quot;A&amp;B:x&quot;]</string>\n</map>`,
    );
    const preview = await parseImport(xml);
    expect(preview.format).toBe("freeotp");
    expect(preview.entries.map((entry) => entry.name)).toEqual(["A&B (x)"]);
    // A set is no token: only string preferences are read as tokens.
    expect(preview.problems).toEqual([]);
    const notToken = await parseImport(Buffer.from(`<map><string name="tokenOrder">[]</string><string name="Bank:bob">not json</string></map>`));
    expect(notToken.problems).toEqual([{ index: 0, label: "Bank:bob", labelKey: null, labelParams: {}, key: "import_freeotp_token_not_json", params: {}, message: "This token is not the JSON object FreeOTP writes." }]);
  });
});

describe("Microsoft Authenticator database", () => {
  function database(rows: readonly [number, string, string, string][]): Buffer {
    const db = new (loadSqlite())(":memory:");
    try {
      db.exec("create table accounts (_id integer primary key autoincrement, name text not null, username text not null, oath_secret_key text not null, account_type integer not null)");
      const insert = db.prepare("insert into accounts (name, username, oath_secret_key, account_type) values (?, ?, ?, ?)");
      for (const [type, name, username, secret] of rows) insert.run(name, username, secret, type);
      return db.serialize();
    } finally {
      db.close();
    }
  }

  it("reads personal Microsoft accounts (base64 seed, 8 digits) and reports sign-in approvals as problems", async () => {
    const seed = Buffer.from("0123456789abcdef0123");
    const preview = await parseImport(database([[1, "Microsoft", "me@outlook.com", seed.toString("base64")], [0, "GitHub", "alice", KEY], [2, "Contoso", "me@contoso.com", ""]]), { readForeignTable });
    expect(preview.format).toBe("microsoft-db");
    expect(preview.entries.map(({ name, otp }) => [name, otp.digits, otp.secret.reveal().toString("hex")])).toEqual([
      ["Microsoft (me@outlook.com)", 8, seed.toString("hex")],
      ["GitHub (alice)", 6, decodeBase32(KEY).toString("hex")],
    ]);
    expect(preview.problems).toEqual([
      { index: 2, label: "Contoso (me@contoso.com)", labelKey: null, labelParams: {}, key: "import_microsoft_type", params: { type: 2 }, message: "The account's type is 2; Watchword reads only the app's one-time-password accounts (types 0 and 1), not sign-in approvals." },
    ]);
  });
});

describe("Battle.net, Duo and Proton Authenticator", () => {
  it("says a Battle.net authenticator sealed by the phone's keystore cannot be read", async () => {
    const xml = preferencesXml([
      ["com.blizzard.messenger.AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE", "KEYSTORE"],
      ["com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET", "00ff"],
    ]);
    const error = await rejection(parseImport(xml));
    expect(error.message).toBe("This Battle.net authenticator is sealed by the phone's keystore, not masked; it cannot be read outside the app.");
  });

  it("skips Duo Push accounts, which hold no seed, and reads the accounts that do", async () => {
    const preview = await parseImport(json([{ name: "Push only", accountType: "PushAccount" }, { name: "Mason", otpGenerator: { otpSecret: KEY } }]));
    expect(preview.format).toBe("duo");
    expect(preview.entries.map(({ index, name }) => [index, name])).toEqual([[1, "Mason"]]);
    expect(preview.problems).toEqual([]);
  });

  it("keeps a Proton Authenticator note, reads a steam:// link, and reports a bad link in its row", async () => {
    const entry = (name: string, uri: string, note: string | null = null) => ({ id: name, content: { uri, entry_type: "Totp", name }, note });
    const preview = await parseImport(
      json({ version: 1, entries: [entry("alice", `otpauth://totp/GitHub:alice?secret=${KEY}&issuer=GitHub`, "recovery codes in the safe"), entry("gamer", `steam://${KEY}`), entry("broken", `otpauth://totp/X?secret=${KEY}&digits=99`)] }),
    );
    expect(preview.format).toBe("proton");
    expect(preview.entries.map(({ name, notes, otp }) => [name, notes, otp.type])).toEqual([
      ["GitHub (alice)", "recovery codes in the safe", "totp"],
      ["Steam (gamer)", undefined, "steam"],
    ]);
    expect(preview.problems).toMatchObject([{ index: 2, label: "broken" }]);
  });
});

describe("planted secrets never leak from the new formats", () => {
  const SEED = "PLANTEDSEEDQWERTYZXCVBNMASDFGHJK";
  const PASSWORD = "planted-password-7f3a";
  const seedHex = decodeBase32(SEED).toString("hex");
  const leaks = (value: unknown): boolean => {
    const printed = `${JSON.stringify(value)}\n${inspect(value, { depth: 10 })}\n${value instanceof Error ? value.message : ""}`;
    return [SEED, SEED.toLowerCase(), seedHex, decodeBase32(SEED).toString("base64"), PASSWORD].some((secret) => printed.includes(secret));
  };
  const settle = (bytes: Uint8Array, options: ParseImportOptions = {}): Promise<ImportPreview | unknown> => parseImport(bytes, { readForeignTable, ...options }).catch((error: unknown) => error);

  it.each<[string, Uint8Array, ParseImportOptions?]>([
    ["Authy with a wrong password", authyXml([{ accountType: "authenticator", encryptedSecret: sealAuthySecret(SEED, "right", "s"), salt: "s", digits: 6, name: "x" }]), withPassword(PASSWORD)],
    ["Authy with a bad digit count", authyXml([{ accountType: "authenticator", decryptedSecret: SEED, digits: 99, name: "x" }])],
    ["Authy cut inside the seed", authyXml([{ accountType: "authenticator", decryptedSecret: SEED, digits: 6, name: "x" }]).subarray(0, 200)],
    ["FreeOTP 2 with a wrong password", freeOtpBackup([{ uuid: "u", secret: decodeBase32(SEED), token: { type: "TOTP", issuerExt: "x" } }], "right", 1000), withPassword(PASSWORD)],
    ["FreeOTP 2 with an unknown type", freeOtpBackup([{ uuid: "u", secret: decodeBase32(SEED), token: { type: "MOTP", issuerExt: "x" } }], PASSWORD, 1000), withPassword(PASSWORD)],
    ["Duo with a bad character", json([{ name: "x", otpGenerator: { otpSecret: `${SEED}!` } }])],
    ["Proton with bad digits", json({ version: 1, entries: [{ content: { uri: `otpauth://totp/x?secret=${SEED}&digits=99`, name: "x" } }] })],
    ["Battle.net with a seed too long to unmask", preferencesXml([["com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET", seedHex.repeat(4)]])],
  ])("%s", async (_name, bytes, options) => {
    expect(leaks(await settle(bytes, options))).toBe(false);
  });
});
