// Uploads that are damaged or of a type the vault does not take, on both databases: a damaged
// Google Authenticator transfer (bad base64, bad protobuf) is a 400 with a sentence, a file whose
// type is not allowed is a 415, and neither leaves a pending import behind.
import { expect, it } from "vitest";
import { sql } from "kysely";
import sharp from "sharp";
import QRCode from "qrcode";
import { rejection } from "../support/api-rejection.js";
import { databaseKinds } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import { describeWithFixtures, readFixture } from "../unit/intake/external-fixtures.js";

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

for (const kind of databaseKinds) {
  describeWithFixtures(`damaged and unsupported uploads on ${kind}`, () => {
    const app = useSignedInAdmin(kind);


    const pendingImports = () =>
      withRawDatabase(app.db, async (raw) => Number((await sql<{ n: number }>`select count(*) as n from pending_imports`.execute(raw)).rows[0]!.n));

    const damagedTransfers: [string, () => Uint8Array, string | undefined, RegExp][] = [
      ["test_export_wrong_data.txt (data=XXXX)", () => readFixture("gauth-export/test_export_wrong_data.txt"), undefined, /Line 1: The export data is damaged/],
      ["test_export_wrong_data.txt as gauth", () => readFixture("gauth-export/test_export_wrong_data.txt"), "gauth", /Line 1: The export data is damaged/],
      ["test_export_wrong_content.txt as gauth", () => readFixture("gauth-export/test_export_wrong_content.txt"), "gauth", /Line 1: The link must start with otpauth:\/\//],
      ["test_export_wrong_prefix.txt as gauth", () => readFixture("gauth-export/test_export_wrong_prefix.txt"), "gauth", /Line 1: /],
      ["a transfer whose data is not base64", () => Buffer.from("otpauth-migration://offline?data=%%%%\n"), undefined, /Line 1: .*(base64|percent-encoding)/],
      ["a transfer whose protobuf runs past its end", () => Buffer.from(`otpauth-migration://offline?data=${encodeURIComponent(b64(Buffer.from([0x0a, 0x7f, 0x01, 0x02])))}\n`), undefined, /damaged/],
      ["a transfer whose only account has no secret", () => Buffer.from(`otpauth-migration://offline?data=${encodeURIComponent(b64(Buffer.from([0x0a, 0x02, 0x10, 0x01])))}\n`), undefined, /secret is missing/],
    ];

    it.each(damagedTransfers)("answers %s with a 400 sentence and stores no pending import", async (_what, bytes, format, message) => {
      const before = await pendingImports();
      const refused = await rejection(app.admin.createImport({ data: b64(bytes()), ...(format === undefined ? {} : { format: format as "gauth" }) }));
      expect([refused.status, refused.code, refused.field]).toEqual([400, "invalid_input", "file"]);
      expect(refused.message).toMatch(/^Nothing in this file can be imported: /);
      // Why, row by row, beside the sentence (whose params say only how many).
      expect(refused.rows.map((row) => `${row.label}: ${row.message}`).join(" ")).toMatch(message);
      expect(refused.params).toEqual({ count: refused.rows.length });
      expect(await pendingImports()).toBe(before);
    });

    it("names each row that cannot be imported by key beside the sentence, and no row's English in the sentence's params", async () => {
      const bad = Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? `otpauth://totp/Bad${i}:ada?secret=1111` : `otpauth://hotp/Odd${i}:ada?secret=${SEED_B32}&counter=-4`));
      const before = await pendingImports();
      const refused = await rejection(app.admin.createImport({ data: b64(Buffer.from(bad.join("\n"))), format: "uris" }));
      expect([refused.status, refused.code, refused.key, refused.field]).toEqual([400, "invalid_input", "import_nothing_importable", "file"]);
      expect(refused.params).toEqual({ count: 25 });
      expect(refused.message).toBe("Nothing in this file can be imported: 25 items were found, and none of them can be.");
      // The first rows, in the preview's own shape: a label and a sentence, each by key.
      expect(refused.rows.length).toBeGreaterThan(0);
      expect(refused.rows.length).toBeLessThan(25);
      expect(refused.rows.slice(0, 2)).toEqual([
        { index: 0, label: "Line 1", labelKey: "line", labelParams: { number: 1 }, key: "base32_bad_character", params: expect.any(Object), message: expect.stringMatching(/base32/) },
        { index: 1, label: "Line 2", labelKey: "line", labelParams: { number: 2 }, key: expect.any(String), params: expect.any(Object), message: expect.any(String) },
      ]);
      const params = JSON.stringify(refused.params);
      for (const row of refused.rows) {
        expect(params).not.toContain(row.label);
        expect(params).not.toContain(row.message);
      }
      expect(await pendingImports()).toBe(before);
    });

    it("answers an Aegis vault with no entries with a 400, storing nothing", async () => {
      const before = await pendingImports();
      const empty = { version: 1, header: { slots: null, params: null }, db: { version: 2, entries: [] } };
      const refused = await rejection(app.admin.createImport({ data: b64(Buffer.from(JSON.stringify(empty))) }));
      expect([refused.status, refused.field]).toEqual([400, "file"]);
      expect(refused.message).toMatch(/no accounts with a one-time-password seed/);
      expect(await pendingImports()).toBe(before);
    });

    it("still previews a transfer with an unescaped '+' and keeps a partly damaged file's good entries", async () => {
      const plus = await app.admin.createImport({ data: b64(readFixture("gauth-export/test_plus_problem_export.txt")) });
      expect(plus.entries).toHaveLength(4);
      await app.admin.discardImport(plus.importId);
      const mixed = Buffer.concat([readFixture("gauth-export/test_export_wrong_data.txt"), Buffer.from(`otpauth://totp/Good:one?secret=${SEED_B32}\n`)]);
      const preview = await app.admin.createImport({ data: b64(mixed) });
      expect(preview.entries.map((e) => e.name)).toEqual(["Good (one)"]);
      expect(preview.problems.map((p) => p.label)).toEqual(["Line 1"]);
      await app.admin.discardImport(preview.importId);
    });

    const unsupported: [string, () => Promise<Uint8Array> | Uint8Array, string | undefined, string, RegExp][] = [
      ["text_masquerading_as_image.jpeg uploaded as an image", () => readFixture("gauth-export/text_masquerading_as_image.jpeg"), "image", "image", /not a PNG, JPEG, WebP or GIF image/],
      ["text_masquerading_as_image.jpeg", () => readFixture("gauth-export/text_masquerading_as_image.jpeg"), undefined, "file", /not a supported export/],
      ["test_export_wrong_content.txt", () => readFixture("gauth-export/test_export_wrong_content.txt"), undefined, "file", /not a supported export/],
      ["test_export_wrong_prefix.txt", () => readFixture("gauth-export/test_export_wrong_prefix.txt"), undefined, "file", /each line must start with otpauth:\/\//],
      ["a TIFF of a QR code uploaded as an image", async () => sharp(await QRCode.toBuffer(`otpauth://totp/T?secret=${SEED_B32}`)).tiff().toBuffer(), "image", "image", /not a PNG, JPEG, WebP or GIF image/],
      ["a TIFF of a QR code", async () => sharp(await QRCode.toBuffer(`otpauth://totp/T?secret=${SEED_B32}`)).tiff().toBuffer(), undefined, "file", /not a supported export/],
      ["a PDF", () => Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1"), undefined, "file", /not a supported export/],
    ];

    it.each(unsupported)("answers %s with 415 and stores nothing", async (_what, bytes, format, field, message) => {
      const before = await pendingImports();
      const refused = await rejection(app.admin.createImport({ data: b64(await bytes()), ...(format === undefined ? {} : { format: format as "image" }) }));
      expect([refused.status, refused.code, refused.field]).toEqual([415, "unsupported_media_type", field]);
      expect(refused.message).toMatch(message);
      expect(await pendingImports()).toBe(before);
    });

    it("keeps a damaged picture of an allowed type a 400, not a 415", async () => {
      const png = await QRCode.toBuffer(`otpauth://totp/T?secret=${SEED_B32}`);
      const refused = await rejection(app.admin.createImport({ data: b64(png.subarray(0, 60)), format: "image" }));
      expect([refused.status, refused.field]).toEqual([400, "image"]);
    });
  });
}
