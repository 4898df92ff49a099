// The rows of an import that cannot be imported carry keys (issue 7): the problem by its catalogue
// key and parameters, and a label the server made up ("Line 3", "Entry 2") by a label key and its
// number, so the web app can say both in the reader's language. Labels the file gives stay as written.
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { ImportPreview } from "../../../src/contract/imports.js";
import { parseImport } from "../../../src/core/intake/import-file.js";
import { IMPORT_ITEM_LABELS, ITEM_LABEL_KEYS } from "../../../src/core/problems/import-preview.js";
import { PROBLEM_CATALOGUE, renderProblem } from "../../../src/core/problems/catalogue.js";
import { aegisDb, plainAegis } from "./build-exports.js";

const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const text = (value: string): Uint8Array => Buffer.from(value, "utf8");

describe("an import's problem rows", () => {
  it("label a line of links by its number, and say the problem by key with the English the key renders", async () => {
    const preview = await parseImport(text(`otpauth://totp/Good?secret=${KEY}\n\notpauth://totp/Bad?secret=1111\n`), { format: "uris" });
    expect(preview.problems).toEqual([
      { index: 1, label: "Line 3", labelKey: "line", labelParams: { number: 3 }, key: "base32_bad_character", params: { character: "'1'" }, message: expect.any(String) as unknown },
    ]);
    const [row] = preview.problems;
    expect(row!.message).toBe(renderProblem({ key: row!.key, params: row!.params }));
  });

  it("label an item without a name of its own as its position, and one with a name by that name", async () => {
    const aegis = plainAegis(aegisDb([{ secret: KEY, issuer: "GitHub", name: "alice" }, { secret: "!!!!", issuer: "", name: "" }, { secret: "!!!!", issuer: "Bank", name: "bob" }]));
    const { problems } = await parseImport(aegis);
    expect(problems.map((p) => [p.index, p.label, p.labelKey, p.labelParams, p.key])).toEqual([
      [1, "Entry 2", "entry", { number: 2 }, "base32_bad_character"],
      [2, "Bank (bob)", null, {}, "base32_bad_character"],
    ]);
  });

  it("label a Bitwarden item without a title as an item", async () => {
    const csv = `folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\n,,login,,,,,,,otpauth://totp/X?secret=1111\n,,login,Fine,,,,,,${KEY}\n`;
    const { problems } = await parseImport(text(csv), { format: "bitwarden" });
    expect(problems.map((p) => [p.label, p.labelKey, p.labelParams])).toEqual([["Item 1", "item", { number: 1 }]]);
  });

  it("fit the preview contract, and never carry a key the catalogues lack", async () => {
    const { problems } = await parseImport(text(`otpauth://totp/Bad?secret=1111\notpauth://totp/Good?secret=${KEY}\n`), { format: "uris" });
    const preview = { importId: "6f1d2c3b-4a5e-4f60-8b7a-9c8d7e6f5a4b", format: "uris", expiresAt: "2026-12-01T10:30:00.000Z", entries: [], problems };
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    const fits = ajv.compile(ImportPreview);
    expect(fits(preview), JSON.stringify(fits.errors)).toBe(true);
    expect(fits({ ...preview, problems: [{ ...problems[0], labelKey: "paragraph" }] })).toBe(false);
    const { key: _key, ...keyless } = problems[0]!;
    expect(fits({ ...preview, problems: [keyless] })).toBe(false);
    for (const row of problems) expect(Object.hasOwn(PROBLEM_CATALOGUE, row.key)).toBe(true);
    expect([...ITEM_LABEL_KEYS].sort()).toEqual(Object.keys(IMPORT_ITEM_LABELS).sort());
  });
});
