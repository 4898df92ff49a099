// Hostile Authenticator Plus archives, made here with zip.js and edited byte by byte where zip.js
// would not write them: zip bombs (a huge declared size, a huge ratio, a size that lies), names
// that lead out of the archive, too many entries, no Accounts.txt — each refused before anything
// is inflated, quickly and with a sentence; and a well-formed ZipCrypto or AES archive imports.
import { BlobWriter, TextReader, Uint8ArrayReader, ZipWriter } from "@zip.js/zip.js";
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { parseImport } from "../../../src/core/intake/import-file.js";
import { Secret } from "../../../src/core/secret.js";
import { expectCodesMatchOathtool } from "./oathtool-codes.js";

const PASSWORD = "zip-password";
const LINKS = "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\notpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&counter=1\n";

interface ZipFile {
  readonly name: string;
  readonly content: string | Uint8Array;
}

/** An archive as zip.js writes it, sizes in the headers (no data descriptor) so they can be edited. */
async function makeZip(files: readonly ZipFile[], options: { password?: string; zipCrypto?: boolean } = {}): Promise<Buffer> {
  const writer = new ZipWriter(new BlobWriter("application/zip"), {
    useWebWorkers: false,
    dataDescriptor: false,
    ...(options.password === undefined ? {} : { password: options.password, zipCrypto: options.zipCrypto ?? true }),
  });
  for (const file of files) {
    await writer.add(file.name, typeof file.content === "string" ? new TextReader(file.content) : new Uint8ArrayReader(file.content));
  }
  return Buffer.from(await (await writer.close()).arrayBuffer());
}

/** Replaces every occurrence of `from` with `to` (same length), in the local header and the central directory alike. */
function replaceAll(bytes: Buffer, from: Buffer, to: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  for (let at = copy.indexOf(from); at >= 0; at = copy.indexOf(from, at + 1)) to.copy(copy, at);
  return copy;
}

/** Sets the uncompressed size of every entry, in the local headers (offset 22) and central directory records (offset 24). */
function declareSize(bytes: Buffer, size: number): Buffer {
  const copy = Buffer.from(bytes);
  for (let at = copy.indexOf("PK\u0003\u0004", 0, "latin1"); at >= 0; at = copy.indexOf("PK\u0003\u0004", at + 4, "latin1")) copy.writeUInt32LE(size, at + 22);
  for (let at = copy.indexOf("PK\u0001\u0002", 0, "latin1"); at >= 0; at = copy.indexOf("PK\u0001\u0002", at + 4, "latin1")) copy.writeUInt32LE(size, at + 24);
  return copy;
}

/** The import's error, asserting it came quickly; `null` imports without a password. */
async function refusal(bytes: Uint8Array, password: string | null = PASSWORD): Promise<WatchwordError> {
  const started = performance.now();
  const error: unknown = await parseImport(bytes, password === null ? {} : { password: Secret.fromUtf8(password) }).then(() => undefined, (caught: unknown) => caught);
  expect(performance.now() - started).toBeLessThan(2000);
  expect(error).toBeInstanceOf(WatchwordError);
  return error as WatchwordError;
}

describe("Authenticator Plus archives", () => {
  it.each([
    ["ZipCrypto", { password: PASSWORD, zipCrypto: true }],
    ["AES-256", { password: PASSWORD, zipCrypto: false }],
  ])("imports Accounts.txt from an archive encrypted with %s, given its password, wherever it sits", async (_kind, options) => {
    const bytes = await makeZip([{ name: "backup/Accounts.txt", content: LINKS }, { name: "backup/icons.txt", content: "-" }], options);
    const preview = await parseImport(bytes, { password: Secret.fromUtf8(PASSWORD) });
    expect(preview.format).toBe("authenticator-plus");
    expect(preview.entries.map((entry) => [entry.name, entry.otp.type])).toEqual([["Deno (Mason)", "totp"], ["Issuu (James)", "hotp"]]);
    expect(expectCodesMatchOathtool(preview.entries)).toBeLessThanOrEqual(2);
    expect((await refusal(bytes, "not it")).details.field).toBe("password");
  });

  it("refuses an archive whose Accounts.txt declares more than the import limit, before inflating", async () => {
    const bomb = await makeZip([{ name: "Accounts.txt", content: new Uint8Array(30 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    const error = await refusal(bomb);
    expect([error.details.field, error.message]).toEqual(["file", "This Authenticator Plus archive's Accounts.txt would be 30 MiB once extracted, more than the 20 MiB allowed."]);
  });

  it("refuses a file compressed more than 100 times over, as only a zip bomb is", async () => {
    const bomb = await makeZip([{ name: "Accounts.txt", content: "otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\n".repeat(200_000) }], { password: PASSWORD });
    const error = await refusal(bomb);
    expect(error.message).toMatch(/^This Authenticator Plus archive's Accounts\.txt is compressed more than 100 times over/u);
  });

  it("stops inflating a file that grows past the size its headers declare", async () => {
    const honest = await makeZip([{ name: "Accounts.txt", content: LINKS.repeat(20) }]);
    const lying = declareSize(honest, 100);
    const error = await refusal(lying);
    expect(error.details.field).toBe("file");
    expect(error.message).toBe("This Authenticator Plus archive's Accounts.txt inflates to more than it declares; it was not extracted.");
  });

  it.each([
    ["a parent folder", "../Accounts.txt"],
    ["a parent folder further in", "a/../../Accounts.txt"],
    ["an absolute path", "/etc/Accounts.txt"],
  ])("refuses an archive holding a name with %s, before extracting anything", async (_kind, name) => {
    const placeholder = "x".repeat(name.length - "Accounts.txt".length - 1);
    const made = await makeZip([{ name: `${placeholder}/Accounts.txt`, content: LINKS }], { password: PASSWORD });
    const hostile = replaceAll(made, Buffer.from(`${placeholder}/Accounts.txt`), Buffer.from(name));
    const error = await refusal(hostile);
    expect([error.details.field, error.message]).toEqual(["file", 'This Authenticator Plus archive holds a file whose name leads outside the archive (an absolute path or ".."); it was not opened.']);
  });

  it("refuses an archive listing more than 64 files, and one without Accounts.txt", async () => {
    const many = await makeZip(Array.from({ length: 65 }, (_, i) => ({ name: `f${i}.txt`, content: "x" })));
    expect((await refusal(many)).message).toBe("This Authenticator Plus archive lists more than 64 files, which the app never writes; it was not opened.");
    const other = await makeZip([{ name: "notes.txt", content: "hello" }]);
    expect((await refusal(other)).message).toMatch(/^This ZIP archive holds no Accounts\.txt, which every Authenticator Plus backup does/u);
  });

  it("asks for the password of an encrypted archive, and reads an unencrypted one without", async () => {
    const encrypted = await makeZip([{ name: "Accounts.txt", content: LINKS }], { password: PASSWORD });
    const missing = await refusal(encrypted, null);
    expect([missing.details.field, missing.message]).toEqual(["password", "This Authenticator Plus file is encrypted: give its password."]);
    const plain = await makeZip([{ name: "Accounts.txt", content: LINKS }]);
    expect((await parseImport(plain)).entries).toHaveLength(2);
  });
});
