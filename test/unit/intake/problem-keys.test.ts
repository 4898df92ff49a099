// The import parsers' refusals carry a catalogue key and its parameters (issue 7), so the web app
// can say them in the reader's language; the English message is the catalogue's sentence. A wrong
// export password is recognised by its key (what the per-user throttle counts), not its wording.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { invalidInput } from "../../../src/core/errors.js";
import { isWrongPassword } from "../../../src/core/intake/export-crypto.js";
import { parseImport } from "../../../src/core/intake/import-file.js";
import { renderProblem } from "../../../src/core/problems/catalogue.js";
import { Secret } from "../../../src/core/secret.js";
import { rejection } from "../../support/watchword-rejection.js";
import { aegisDb, encryptedAegis, encryptedAndOtp } from "./build-exports.js";

const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe("import refusals", () => {
  it("name the kind of file picked by mistake as a parameter, in the same English sentence", async () => {
    const error = await rejection(parseImport(PNG));
    expect(error.code).toBe("unsupported_media_type");
    expect(error.key).toBe("import_unsupported_image");
    expect(error.params).toEqual({ kind: "PNG" });
    expect(error.message).toMatch(/^This file is not a supported export \(it is a PNG image: add it as a QR code instead\)\. Watchword imports Aegis, 2FAS/u);
    expect(renderProblem({ key: "import_unsupported_image", params: error.params })).toBe(error.message);
  });

  it("share one key across formats, the format's name its parameter", async () => {
    const aegis = encryptedAegis(aegisDb([{ secret: KEY, issuer: "GitHub", name: "alice" }]), [{ password: Buffer.from("test"), n: 2 ** 10 }]);
    const error = await rejection(parseImport(aegis));
    expect(error).toMatchObject({ key: "import_password_required", params: { format: "Aegis" }, message: "This Aegis file is encrypted: give its password." });
    const andOtp = await rejection(parseImport(encryptedAndOtp([], "test", 5_000_000, false), { password: Secret.fromUtf8("test") }));
    expect(andOtp).toMatchObject({ key: "import_kdf_pbkdf2_iterations", params: { format: "andOTP", value: 5_000_000, max: 1_000_000 } });
  });

  it("recognise a wrong password by its key, not by a sentence that happens to read the same", async () => {
    const aegis = encryptedAegis(aegisDb([{ secret: KEY, issuer: "GitHub", name: "alice" }]), [{ password: Buffer.from("right"), n: 2 ** 10 }]);
    const error = await rejection(parseImport(aegis, { password: Secret.fromUtf8("wrong") }));
    expect(error).toMatchObject({ key: "import_password_wrong", message: "The password is wrong, or the file is damaged.", details: { field: "password" } });
    expect(isWrongPassword(error)).toBe(true);
    expect(isWrongPassword(invalidInput("The password is wrong, or the file is damaged.", "password"))).toBe(false);
  });

  it("are all catalogued: no parser throws a plain English sentence", () => {
    const folder = join(import.meta.dirname, "../../../src/core/intake");
    // A sentence given as text, on the call's line or the next (a long call is wrapped).
    const plain = /\b(?:invalidInput|unsupportedMediaType|tooLarge|conflict|internal)\(\s*[`"']/gu;
    const offenders = readdirSync(folder)
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) => {
        const source = readFileSync(join(folder, name), "utf8");
        return [...source.matchAll(plain)].map((match) => `${name}:${source.slice(0, match.index).split("\n").length}`);
      });
    expect(offenders).toEqual([]);
  });
});
