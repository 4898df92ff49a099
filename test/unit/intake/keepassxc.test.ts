// KeePass databases written by KeePassXC 2.7's own keepassxc-cli (KDBX 3.1 with AES-KDF, which
// it writes by default, and KDBX 4), opened with a password, a password and a key file, or a key
// file alone. Codes are compared with oathtool and with `keepassxc-cli show --totp` itself.
import { describe, expect, it } from "vitest";
import { parseImport, type ImportPreview, type ParseImportOptions } from "../../../src/core/intake/import-file.js";
import { generateTotp } from "../../../src/core/otp/generate.js";
import { Secret } from "../../../src/core/secret.js";
import { createKeePassXcDatabase, isKeePassXcInstalled, keePassXcSkipNote, type KeePassXcEntry } from "../../support/keepassxc.js";
import { rejection } from "../../support/watchword-rejection.js";
import { expectCodesMatchOathtool } from "./oathtool-codes.js";

const PASSWORD = "kpxc-test-password";
const ENTRIES: readonly KeePassXcEntry[] = [
  { title: "GitHub", username: "alice", otp: "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&period=30&digits=6&issuer=GitHub" },
  { title: "AWS root", group: "Work", otp: "otpauth://totp/AWS:root?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=60&digits=8&algorithm=SHA256&issuer=AWS" },
  { title: "Steam", otp: "otpauth://totp/Steam:gamer?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&period=30&digits=5&issuer=Steam&encoder=steam" },
  { title: "Mail password", username: "bob" },
];

/**
 * The file as a view into a larger buffer, with other bytes before and after it — what a small
 * Buffer decoded from the upload's base64 is (Node hands out slices of one pooled 8 KiB buffer).
 */
function asUploaded(bytes: Uint8Array): Buffer {
  const pool = Buffer.alloc(bytes.length + 8192, 0x5a);
  pool.set(bytes, 3000);
  return pool.subarray(3000, 3000 + bytes.length);
}

/** The current code as keepassxc-cli computes it, with ours for the same step (retried across a step boundary). */
function keePassXcAndEngineCodes(preview: ImportPreview, run: (args: readonly string[]) => string, title: string): [string, string] {
  const entry = preview.entries.find((candidate) => candidate.name === title);
  if (entry === undefined) throw new Error(`no entry ${title}`);
  for (;;) {
    const before = generateTotp(entry.otp, Date.now());
    const theirs = run(["show", "--totp", entry.folder === undefined ? title : `${entry.folder}/${title}`]);
    const after = generateTotp(entry.otp, Date.now());
    if (before.step === after.step) return [theirs, before.code];
  }
}

describe.skipIf(!isKeePassXcInstalled).each(["3.1", "4"] as const)(`a KDBX %s database made by keepassxc-cli${keePassXcSkipNote}`, (version) => {
  it("imports its TOTP entries with the password, even when the upload is a small pooled Buffer", async () => {
    const database = createKeePassXcDatabase({ version, entries: ENTRIES, password: PASSWORD });
    try {
      // KDBX 3.1 or 4: the version field of the header (minor, major; little-endian).
      expect(Buffer.from(database.bytes).readUInt16LE(10)).toBe(version === "4" ? 4 : 3);
      expect(database.bytes.length).toBeLessThan(4096);
      const decoded = Buffer.from(Buffer.from(database.bytes).toString("base64"), "base64");
      expect(decoded.buffer.byteLength).toBeGreaterThan(decoded.length);
      expect((await parseImport(decoded, { password: Secret.fromUtf8(PASSWORD) })).entries).toHaveLength(3);
      const preview = await parseImport(asUploaded(database.bytes), { password: Secret.fromUtf8(PASSWORD) });
      expect(preview.format).toBe("keepass");
      expect(preview.problems).toEqual([]);
      expect(preview.entries.map(({ name, folder, username, otp }) => [name, folder, username, otp.type, otp.algorithm, otp.digits, otp.period])).toEqual([
        ["GitHub", undefined, "alice", "totp", "SHA1", 6, 30],
        ["Steam", undefined, undefined, "steam", "SHA1", 5, 30],
        ["AWS root", "Work", undefined, "totp", "SHA256", 8, 60],
      ]);
      expect(expectCodesMatchOathtool(preview.entries)).toBe(2);
      for (const title of ["GitHub", "AWS root", "Steam"]) {
        const [theirs, ours] = keePassXcAndEngineCodes(preview, database.run, title);
        expect(ours, title).toBe(theirs);
      }
    } finally {
      database.remove();
    }
  });

  it("opens a database locked with a password and a key file only with both", async () => {
    const database = createKeePassXcDatabase({ version, entries: ENTRIES.slice(0, 1), password: PASSWORD, withKeyFile: true });
    try {
      const keyFile = Secret.fromBytes(database.keyFile ?? new Uint8Array());
      const both: ParseImportOptions = { password: Secret.fromUtf8(PASSWORD), keyFile };
      const preview = await parseImport(asUploaded(database.bytes), both);
      expect(preview.entries.map((entry) => entry.name)).toEqual(["GitHub"]);
      // One call: its two codes are for the same time step (two calls may straddle a boundary).
      const [theirs, ours] = keePassXcAndEngineCodes(preview, database.run, "GitHub");
      expect(ours).toBe(theirs);
      const passwordOnly = await rejection(parseImport(asUploaded(database.bytes), { password: Secret.fromUtf8(PASSWORD) }));
      expect([passwordOnly.details.field, passwordOnly.message]).toEqual(["password", "The password is wrong (or the database also needs its key file), or the file is damaged."]);
      const wrongPassword = await rejection(parseImport(asUploaded(database.bytes), { password: Secret.fromUtf8("nope"), keyFile }));
      expect([wrongPassword.details.field, wrongPassword.message]).toEqual(["password", "The password or the key file is wrong, or the file is damaged."]);
    } finally {
      database.remove();
    }
  });

  it("opens a database locked with a key file alone, and refuses another key file", async () => {
    const database = createKeePassXcDatabase({ version, entries: ENTRIES.slice(0, 2), withKeyFile: true });
    const other = createKeePassXcDatabase({ version, entries: [], withKeyFile: true });
    try {
      const preview = await parseImport(asUploaded(database.bytes), { keyFile: Secret.fromBytes(database.keyFile ?? new Uint8Array()) });
      expect(preview.entries.map((entry) => entry.name)).toEqual(["GitHub", "AWS root"]);
      expect(expectCodesMatchOathtool(preview.entries)).toBe(2);
      const wrong = await rejection(parseImport(asUploaded(database.bytes), { keyFile: Secret.fromBytes(other.keyFile ?? new Uint8Array()) }));
      expect([wrong.details.field, wrong.message]).toEqual(["keyFile", "The key file is wrong (or the database also needs its password), or the file is damaged."]);
      const none = await rejection(parseImport(asUploaded(database.bytes)));
      expect([none.details.field, none.message]).toEqual(["password", "This KeePass file is encrypted: give its password, its key file, or both."]);
    } finally {
      database.remove();
      other.remove();
    }
  });
});
