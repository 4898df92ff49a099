// Why Watchword reads QR codes with zxing-wasm rather than jsQR: both decoders get the same pixels
// of every test picture (qr-pictures.ts, plus the Google Authenticator screenshots when present),
// one pass each; a picture counts when every code in it is read. The scoreboard this prints is the
// one recorded at the top of src/core/intake/qr-image.ts.

import { existsSync, readFileSync } from "node:fs";
import jsqrModule from "jsqr";
import sharp from "sharp";
import { expect, it } from "vitest";
import { decodeQrImage } from "../../../src/core/intake/qr-image.js";
import { findQrCodes, type RgbaPixels } from "../../../src/core/intake/qr-reader.js";
import { makeTestPictures, type TestPicture } from "./qr-pictures.js";

// jsqr is CommonJS with `exports.default`; Node's ESM loader hands over the whole exports object.
const jsQR = jsqrModule.default;

const EXTERNAL = new URL("../../../../shared/fixtures/external/gauth-export/", import.meta.url);

async function allPictures(): Promise<TestPicture[]> {
  const pictures = await makeTestPictures();
  if (!existsSync(EXTERNAL)) return pictures;
  const exported = readFileSync(new URL("example_export.png", EXTERNAL));
  const [migrationUri] = await decodeQrImage(exported); // its own test pins the prefix
  return [
    ...pictures,
    { name: "Google Authenticator export screenshot", bytes: exported, expected: [migrationUri ?? ""] },
    { name: "QR screenshot without OTP", bytes: readFileSync(new URL("qr_but_without_otp.png", EXTERNAL)), expected: ["NOT A otpauth-migration:// URL"] },
  ];
}

/** The pixels both decoders see: EXIF orientation applied, first frame, transparency on white. */
async function pixelsOf(bytes: Buffer): Promise<RgbaPixels> {
  const { data, info } = await sharp(bytes, { autoOrient: true, pages: 1 })
    .flatten({ background: "#ffffff" })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

const readsAll = (found: readonly string[], expected: readonly string[]): boolean =>
  expected.every((text) => found.includes(text));

it("zxing-wasm reads more test pictures than jsQR, and decodeQrImage reads them all", async ({ annotate }) => {
  const pictures = await allPictures();
  const rows: { name: string; zxing: boolean; jsqr: boolean; pipeline: boolean }[] = [];
  for (const { name, bytes, expected } of pictures) {
    const pixels = await pixelsOf(bytes);
    const zxing = (await findQrCodes(pixels)).map((code) => code.text);
    const jsqr = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" });
    const pipeline = await decodeQrImage(bytes);
    rows.push({
      name,
      zxing: readsAll(zxing, expected),
      jsqr: readsAll(jsqr === null ? [] : [jsqr.data], expected),
      pipeline: JSON.stringify(pipeline) === JSON.stringify(expected),
    });
  }
  const score = (decoder: "zxing" | "jsqr" | "pipeline"): number => rows.filter((row) => row[decoder]).length;
  const mark = (read: boolean): string => (read ? "read" : "-");
  await annotate(
    [
      `zxing-wasm one pass ${score("zxing")}/${rows.length}, jsQR one pass ${score("jsqr")}/${rows.length}, ` +
        `decodeQrImage ${score("pipeline")}/${rows.length}`,
      ...rows.map((row) => `${row.name}: zxing ${mark(row.zxing)}, jsQR ${mark(row.jsqr)}, decodeQrImage ${mark(row.pipeline)}`),
    ].join("\n"),
  );
  expect(score("zxing")).toBeGreaterThan(score("jsqr"));
  expect(rows.filter((row) => !row.pipeline).map((row) => row.name)).toEqual([]);
});
