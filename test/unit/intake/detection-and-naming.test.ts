// How an import decides the format, names entries, applies its limits, and reads Bitwarden's
// JSON and CSV; plus the two small readers underneath (CSV rows, protobuf fields), with properties.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { readCsvRows } from "../../../src/core/intake/csv-rows.js";
import { detectImportFormat, IMPORT_FORMAT_TITLES, nameEntry, parseImport } from "../../../src/core/intake/import-file.js";
import { readProtoFields } from "../../../src/core/intake/protobuf-reader.js";
import { rejection } from "../../support/watchword-rejection.js";
import { aegisDb, encryptedAndOtp, migrationUri, plainAegis } from "./build-exports.js";
import { renderProblem } from "../../../src/core/problems/catalogue.js";

const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const LINK = `otpauth://totp/GitHub:alice?secret=${KEY}&issuer=GitHub`;
const text = (value: string): Uint8Array => Buffer.from(value);
const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));

describe("format detection", () => {
  it.each([
    ["aegis", plainAegis(aegisDb([{ secret: KEY }]))],
    ["2fas", json({ schemaVersion: 2, services: [] })],
    ["bitwarden", json({ encrypted: false, items: [] })],
    ["bitwarden", text("folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\n")],
    ["freeotp-plus", json({ tokens: [] })],
    ["andotp", json([{ secret: KEY, type: "TOTP" }])],
    ["andotp", encryptedAndOtp([], "pw", 150_000, false)],
    ["uris", text(`\uFEFF# my keys\n\n${LINK}\n`)],
    ["gauth", text(migrationUri([{ secret: Buffer.from("12345678901234567890") }]))],
    ["keepass", new Uint8Array([0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0, 0, 4, 0])],
  ])("recognises %s by content", (format, bytes) => {
    expect(detectImportFormat(bytes)).toBe(format);
  });

  it("reads a file as the format it is told, and says when the file is not that format", async () => {
    expect((await parseImport(text(LINK), { format: "uris" })).entries).toHaveLength(1);
    expect((await rejection(parseImport(text(LINK), { format: "aegis" }))).message).toBe("This file looks like JSON but is not valid JSON; it may be damaged or cut short.");
    expect((await rejection(parseImport(json({ tokens: [] }), { format: "aegis" }))).message).toBe("This file is not an Aegis export.");
    expect((await rejection(parseImport(json([]), { format: "2fas" }))).message).toBe("This file is not a 2FAS backup.");
    const bad = await rejection(parseImport(text(LINK), { format: "lastpass" as "aegis" }));
    expect([bad.details.field, bad.message]).toEqual(["format", `The format must be auto or one of ${Object.keys(IMPORT_FORMAT_TITLES).join(", ")}.`]);
    expect(bad.message).toMatch(/^The format must be auto or one of aegis, 2fas, bitwarden, andotp, gauth, uris, keepass, freeotp-plus, steam, gauth-db, /u);
  });

  it("refuses a file that is no known export, naming what is supported", async () => {
    const error = await rejection(parseImport(json({ accounts: {} })));
    expect(error.message).toMatch(/^This file is not a supported export\. Watchword imports Aegis, 2FAS, Bitwarden/u);
    expect(error.details.field).toBe("file");
    expect(detectImportFormat(json({ accounts: {} }))).toBeUndefined();
  });
});

describe("entry names", () => {
  it("uses the item's own title, else 'Issuer (account)', else whichever exists, else 'Entry N'", () => {
    expect(nameEntry({ title: "AWS root", issuer: "AWS", account: "root" }, 0)).toBe("AWS root");
    expect(nameEntry({ issuer: "GitHub", account: "alice@example.com" }, 0)).toBe("GitHub (alice@example.com)");
    expect(nameEntry({ issuer: "Deno", account: "Deno" }, 0)).toBe("Deno");
    expect(nameEntry({ account: "alice" }, 0)).toBe("alice");
    expect(nameEntry({ issuer: " \n " }, 4)).toBe("Entry 5");
    expect(nameEntry({ issuer: "Line\nbreak\u0007", account: "a\tb" }, 0)).toBe("Line break (a b)");
  });

  it("reports an over-long label as a problem and shortens an over-long derived name", async () => {
    const long = "x".repeat(201);
    const preview = await parseImport(plainAegis(aegisDb([{ secret: KEY, issuer: long }, { secret: KEY, issuer: "y".repeat(150), name: "z".repeat(150) }])));
    expect(preview.problems[0]?.message).toBe("The issuer is longer than 200 characters.");
    expect(preview.problems[0]?.label).toHaveLength(200);
    expect(preview.entries[0]?.name).toHaveLength(200);
    expect(preview.entries[0]?.warnings.map(renderProblem)).toContain("The name was shortened to 200 characters.");
  });
});

describe("import limits", () => {
  it("refuses a file larger than the byte limit, and an empty one", async () => {
    const error = await rejection(parseImport(new Uint8Array(20 * 1024 * 1024 + 1)));
    expect(error.message).toBe("The file is larger than 20 MiB, the most that can be imported at once.");
    expect((await rejection(parseImport(text(LINK), { limits: { maxBytes: 10 } }))).message).toBe("The file is larger than 10 bytes, the most that can be imported at once.");
    expect((await rejection(parseImport(new Uint8Array(0)))).message).toBe("The file is empty.");
  });

  it("applies entry and text limits given by the caller, and refuses nonsense limits", async () => {
    const lines = text(`${LINK}\n${LINK}\n${LINK}`);
    expect((await rejection(parseImport(lines, { limits: { maxEntries: 2 } }))).message).toBe("This file holds more than 2 entries; import at most that many at once.");
    const bitwarden = json({ encrypted: false, items: [{ type: 1, name: "A", notes: "n".repeat(51), login: { totp: KEY } }] });
    expect((await parseImport(bitwarden, { limits: { maxTextLength: 50 } })).problems[0]?.message).toBe("The notes are longer than 50 characters.");
    expect((await rejection(parseImport(lines, { limits: { maxEntries: 0 } }))).details.field).toBe("limits");
  });
});

describe("Bitwarden", () => {
  it("keeps logins with a TOTP (link, steam:// or bare key) with their folder, URL, username and notes", async () => {
    const exportFile = {
      encrypted: false,
      folders: [{ id: "f1", name: "Shared" }],
      items: [
        { type: 1, name: "Vendor console", folderId: "f1", notes: "Ask Bob", login: { username: "ops", uris: [{ uri: "https://vendor.example" }], totp: `${KEY.toLowerCase()} ` } },
        { type: 1, name: "No TOTP", login: { username: "x", password: "y" } },
        { type: 2, name: "Secure note", notes: "text" },
        { type: 1, name: "Garbage", login: { totp: "otpauth://totp/x?secret=" } },
      ],
    };
    const preview = await parseImport(json(exportFile));
    expect(preview.entries).toEqual([
      expect.objectContaining({ index: 0, name: "Vendor console", folder: "Shared", username: "ops", url: "https://vendor.example", notes: "Ask Bob", otp: expect.objectContaining({ type: "totp", digits: 6 }) as unknown }),
    ]);
    expect(preview.problems.map((problem) => [problem.index, problem.label])).toEqual([[3, "Garbage"]]);
  });

  it("reads quoted CSV cells with commas, quotes and line breaks", async () => {
    const csv = [
      "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp",
      `Ops,1,login,"Console, prod","line one\nline ""two""",,0,"https://a.example,https://b.example",root,pw,${LINK}`,
      ",,note,Just a note,text,,0,,,,",
    ].join("\r\n");
    const preview = await parseImport(text(csv));
    expect(preview.entries.map(({ name, folder, notes, url, username }) => ({ name, folder, notes, url, username }))).toEqual([
      { name: "Console, prod", folder: "Ops", notes: 'line one\nline "two"', url: "https://a.example", username: "root" },
    ]);
  });

  it("refuses an account-restricted Bitwarden export with a way out (password-protected ones: bitwarden-encrypted.test.ts)", async () => {
    const error = await rejection(parseImport(json({ encrypted: true, encKeyValidation_DO_NOT_EDIT: "2.abc|def|ghi", items: [] })));
    expect(error.message).toMatch(/Export the vault again with the file type "Password protected"/u);
  });
});

describe("readCsvRows", () => {
  it("reads back any table it is given, quoted per RFC 4180", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é") });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 8 }), (rows) => {
        const csv = rows.map((row) => row.map((value) => `"${value.replaceAll('"', '""')}"`).join(",")).join("\r\n");
        const expected = rows.filter((row) => row.some((value) => value.trim() !== ""));
        expect(readCsvRows(csv)).toEqual(expected);
      }),
    );
  });

  it("says when a quoted field never ends", () => {
    expect(() => readCsvRows('a,"b\nc')).toThrow("This CSV file ends inside a quoted field; it may be cut short.");
  });
});

describe("readProtoFields", () => {
  it("reads varints up to 64 bits, nested bytes and skips fixed-width fields", () => {
    const bytes = Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readProtoFields(bytes)).toEqual([
      { number: 1, kind: "varint", value: 2n ** 64n - 1n },
      { number: 2, kind: "bytes", value: Buffer.from("hi") },
    ]);
  });

  it("throws only invalid_input on any bytes, and never reads past the end", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          for (const field of readProtoFields(bytes)) if (field.kind === "bytes") expect(field.value.length).toBeLessThanOrEqual(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(WatchwordError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
