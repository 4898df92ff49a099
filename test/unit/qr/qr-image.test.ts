import { existsSync, readFileSync } from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { deflateSync, crc32 } from "node:zlib";
import fc from "fast-check";
import QRCode from "qrcode";
import sharp, { type Sharp } from "sharp";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isWatchwordError, type ErrorCode } from "../../../src/core/errors.js";
import { DEFAULT_QR_LIMITS, decodeQrImage, detectImageType } from "../../../src/core/intake/qr-image.js";
import { TOTP_URI, largePhoto, makeTestPictures, qrPng } from "./qr-pictures.js";

const pictures = await makeTestPictures();
const totpPng = await qrPng(TOTP_URI, 8);

/** Well inside "a couple of seconds" on a 2-core machine, far from anything that could hang. */
const QUICKLY_MS = 2_000;

describe("decodeQrImage reads QR codes from screenshots and photos", () => {
  it.each(pictures)("reads $name", async ({ bytes, expected }) => {
    expect(await decodeQrImage(bytes)).toEqual(expected);
  });

  it("reads a code drawn on a transparent background", async () => {
    const transparent = await QRCode.toBuffer(TOTP_URI, { scale: 6, color: { dark: "#000000ff", light: "#00000000" } });
    expect(await decodeQrImage(transparent)).toEqual([TOTP_URI]);
  });

  it("returns the text of a code that is not an otpauth URI: the caller decides what to do with it", async () => {
    expect(await decodeQrImage(await qrPng("https://example.com/welcome", 6))).toEqual(["https://example.com/welcome"]);
  });

  it("says plainly when a picture holds no QR code, with a hint", async () => {
    const landscape = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#7a9cc6" } }).jpeg().toBuffer();
    await expectRefusal(decodeQrImage(landscape), "invalid_input", /^No QR code was found in this image\. .*closer.*lit/);
  });

  it("gives up on a 12-megapixel photo without a code within seconds", async () => {
    const started = performance.now();
    await expect(decodeQrImage(await largePhoto())).rejects.toThrow(/No QR code/);
    expect(performance.now() - started).toBeLessThan(8_000); // ~1 s here; every pass is bounded
  });

  it("loads zxing-wasm's WebAssembly once, from node_modules, and shares it between concurrent calls", async () => {
    vi.resetModules();
    const reads: string[] = [];
    vi.doMock("node:fs/promises", async (importOriginal) => {
      const actual = await importOriginal<typeof FsPromises>();
      const readFile = ((...args: Parameters<typeof actual.readFile>) => {
        reads.push(String(args[0]));
        return actual.readFile(...args);
      }) as typeof actual.readFile;
      return { ...actual, readFile, default: { ...actual, readFile } };
    });
    const fetch = vi.spyOn(globalThis, "fetch").mockRejectedValue(new Error("no network in unit tests"));
    const fresh = await import("../../../src/core/intake/qr-image.js");
    const some = pictures.slice(0, 6);
    const results = await Promise.all(some.map((picture) => fresh.decodeQrImage(picture.bytes)));
    expect(results).toEqual(some.map((picture) => picture.expected));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/node_modules\/zxing-wasm\/dist\/reader\/zxing_reader\.wasm$/);
    expect(fetch).not.toHaveBeenCalled();
  });

  afterEach(() => {
    vi.doUnmock("node:fs/promises");
    vi.restoreAllMocks();
  });
});

const EXTERNAL = new URL("../../../../shared/fixtures/external/gauth-export/", import.meta.url);
const hasExternal = existsSync(EXTERNAL);

describe("decodeQrImage on Google Authenticator fixtures (../shared/fixtures/external/gauth-export)", () => {
  if (!hasExternal) {
    // A skipped test proves nothing: without the fixtures (a clone outside the workspace) this fails.
    it(`needs ${EXTERNAL.pathname} (run from a clone inside the shared workspace)`, () => {
      expect(hasExternal).toBe(true);
    });
    return;
  }
  const fixture = (name: string): Buffer => readFileSync(new URL(name, EXTERNAL));

  it("reads the export screenshot as an otpauth-migration URI", async () => {
    const texts = await decodeQrImage(fixture("example_export.png"));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^otpauth-migration:\/\/offline\?data=[A-Za-z0-9%]+$/);
  });

  it("returns the text of a code that is not an export, as it is", async () => {
    expect(await decodeQrImage(fixture("qr_but_without_otp.png"))).toEqual(["NOT A otpauth-migration:// URL"]);
  });

  it("refuses a text file named .jpeg", async () => {
    await expectRefusal(decodeQrImage(fixture("text_masquerading_as_image.jpeg")), "unsupported_media_type", NOT_AN_IMAGE);
  });
});

const NOT_AN_IMAGE = /^This file is not a PNG, JPEG, WebP or GIF image\.$/;
const UNREADABLE = /^This image could not be read/;
const TOO_MANY_PIXELS = /^The image is \d+ × \d+ pixels; images up to 40 megapixels are accepted\.$/;

describe("decodeQrImage refuses hostile and broken uploads quickly, with a clear error", () => {
  it("refuses an empty upload", async () => {
    await expectRefusal(decodeQrImage(new Uint8Array(0)), "invalid_input", /^The image is empty\.$/);
  });

  it.each([
    ["a text file", Buffer.from(`${TOTP_URI}\n`)],
    ["an SVG image", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')],
    ["a TIFF image", Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 0, 0])],
    ["a BMP image", Buffer.from("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00")],
    ["a PDF", Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")],
    ["a lone JPEG marker byte", Buffer.from([0xff, 0xd8])],
  ])("refuses %s by its magic bytes", async (_what, bytes) => {
    await expectRefusal(decodeQrImage(bytes), "unsupported_media_type", NOT_AN_IMAGE);
  });

  it("refuses an upload over the byte limit before looking inside", async () => {
    const huge = new Uint8Array(DEFAULT_QR_LIMITS.maxBytes + 1);
    huge.set(totpPng);
    await expectRefusal(decodeQrImage(huge), "payload_too_large", /^The image is 10 MB; images up to 10 MB are accepted\.$/);
    await expectRefusal(decodeQrImage(totpPng, { maxBytes: 1024, maxPixels: 1e6 }), "payload_too_large", /up to 1 KB/);
  });

  it.each([
    ["a PNG header declaring 50000 × 50000 pixels", () => pngDeclaring(50_000, 50_000)],
    ["a real 100-megapixel PNG of 12 KB", () => realPngBomb()],
    ["a JPEG header declaring 60000 × 60000 pixels", () => patchedJpeg(60_000, 60_000)],
    ["a GIF declaring 65535 × 65535 pixels", () => patchedGif(65_535, 65_535)],
    ["a WebP declaring 16383 × 16383 pixels", () => patchedWebp(16_383, 16_383)],
  ])("refuses a decompression bomb from its header: %s", async (_what, make) => {
    await expectRefusal(decodeQrImage(await make()), "payload_too_large", TOO_MANY_PIXELS);
  });

  it("does bounded work on a JPEG or GIF whose header promises 36 megapixels it does not hold", async () => {
    // Within the limits, so libvips decodes it (filling in grey) and every pass runs: the slowest legal upload.
    for (const liar of [await patchedJpeg(6_000, 6_000), await patchedGif(6_000, 6_000)]) {
      const started = performance.now();
      await expect(decodeQrImage(liar)).rejects.toMatchObject({ code: "invalid_input", details: { field: "image" } });
      expect(performance.now() - started).toBeLessThan(8_000); // ~1 s here
    }
  });

  it("applies the caller's pixel limit", async () => {
    await expectRefusal(decodeQrImage(totpPng, { maxBytes: 1e6, maxPixels: 100_000 }), "payload_too_large", /up to 100,000 pixels/);
  });

  it.each([
    ["PNG", (png: Buffer) => Promise.resolve(png)],
    ["JPEG", (png: Buffer) => sharp(png).jpeg().toBuffer()],
    ["WebP", (png: Buffer) => sharp(png).webp().toBuffer()],
    ["GIF", (png: Buffer) => sharp(png).gif().toBuffer()],
  ])("refuses a truncated %s", async (_type, encode) => {
    const whole = await encode(totpPng);
    for (const length of [Math.floor(whole.length / 2), 40]) {
      await expectRefusal(decodeQrImage(whole.subarray(0, length)), "invalid_input", UNREADABLE);
    }
  });

  it("never crashes or hangs on random bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => expectCleanOutcome(bytes)),
      { numRuns: 60 },
    );
  });

  it("never crashes or hangs on corrupted PNG, JPEG, WebP and GIF files", async () => {
    const small = await sharp(totpPng).resize(120).png().toBuffer();
    const originals = await Promise.all([
      small,
      sharp(small).jpeg().toBuffer(),
      sharp(small).webp().toBuffer(),
      sharp(small).gif().toBuffer(),
    ]);
    const corruption = fc.record({
      original: fc.constantFrom(...originals),
      // Header bytes are where parsers are most fragile: aim half of the changes at the first 64.
      changes: fc.array(fc.tuple(fc.oneof(fc.nat(63), fc.nat(1 << 16)), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.nat(1 << 16)),
    });
    await fc.assert(
      fc.asyncProperty(corruption, async ({ original, changes, cut }) => {
        const bytes = Buffer.from(original);
        for (const [at, value] of changes) bytes[at % bytes.length] = value;
        await expectCleanOutcome(cut === null ? bytes : bytes.subarray(0, cut % bytes.length));
      }),
      { numRuns: 80 },
    );
  });
});

describe("detectImageType", () => {
  it("tells the four accepted types by their magic bytes", () => {
    expect(detectImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("png");
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(detectImageType(Buffer.from("RIFF\x24\x00\x00\x00WEBPVP8 "))).toBe("webp");
    expect(detectImageType(Buffer.from("GIF87a"))).toBe("gif");
    expect(detectImageType(Buffer.from("GIF89a"))).toBe("gif");
  });

  it("accepts nothing else, however it starts", () => {
    for (const other of ["", "GIF8", "GIF88a", "RIFF\x24\x00\x00\x00WAVEfmt ", "\x89PNG\r\n\x1a", "<svg", "II*\x00", "\x00\x00\x00\x1cftypavif"]) {
      expect(detectImageType(Buffer.from(other, "latin1"))).toBeUndefined();
    }
  });

  it("decides by the first bytes alone, whatever follows", () => {
    const prefixes = { png: "\x89PNG\r\n\x1a\n", jpeg: "\xff\xd8\xff", webp: "RIFF\x00\x00\x00\x00WEBP", gif: "GIF89a" } as const;
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(prefixes) as (keyof typeof prefixes)[])), fc.uint8Array(), (type, tail) => {
        const head = Buffer.from(prefixes[type], "latin1");
        const bytes = Buffer.concat([head, tail]);
        if (type === "webp") bytes.set(tail.subarray(0, 4), 4); // the RIFF size field may hold anything
        expect(detectImageType(bytes)).toBe(type);
      }),
    );
  });
});

async function expectRefusal(outcome: Promise<unknown>, code: ErrorCode, message: RegExp): Promise<void> {
  const started = performance.now();
  const error: unknown = await outcome.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(performance.now() - started).toBeLessThan(QUICKLY_MS);
  if (!isWatchwordError(error)) throw new Error(`expected a WatchwordError, got ${String(error)}`);
  expect({ code: error.code, field: error.details.field }).toEqual({ code, field: "image" });
  expect(error.message).toMatch(message);
}

/** Either some text (a corruption may leave a readable picture) or a WatchwordError, in time. */
async function expectCleanOutcome(bytes: Uint8Array): Promise<void> {
  const started = performance.now();
  try {
    expect(await decodeQrImage(bytes)).toEqual(expect.any(Array));
  } catch (error) {
    if (!isWatchwordError(error)) throw error;
    expect(["invalid_input", "unsupported_media_type", "payload_too_large"]).toContain(error.code);
  }
  expect(performance.now() - started).toBeLessThan(QUICKLY_MS);
}

// Decompression bombs. Each is tiny on disk and enormous once decoded; a header read must stop it.

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number, bitDepth: number, colourType: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = colourType;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk("IHDR", header), pngChunk("IDAT", deflateSync(pixels)), pngChunk("IEND", Buffer.alloc(0))]);
}

const pngDeclaring = (width: number, height: number): Buffer => png(width, height, 8, 2, Buffer.alloc(16));

/** 10000 × 10000 black pixels, one bit each: 12.5 MB of rows that deflate to 12 KB. */
const realPngBomb = (): Buffer => png(10_000, 10_000, 1, 0, Buffer.alloc((1 + 10_000 / 8) * 10_000));

const tinyImage = (): Sharp => sharp({ create: { width: 16, height: 16, channels: 3, background: "#ffffff" } });

async function patchedJpeg(width: number, height: number): Promise<Buffer> {
  const jpeg = await tinyImage().jpeg().toBuffer();
  const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0])); // SOF0: length(2) precision(1) height(2) width(2)
  jpeg.writeUInt16BE(height, frame + 5);
  jpeg.writeUInt16BE(width, frame + 7);
  return jpeg;
}

async function patchedGif(width: number, height: number): Promise<Buffer> {
  const gif = await tinyImage().gif().toBuffer();
  gif.writeUInt16LE(width, 6); // logical screen
  gif.writeUInt16LE(height, 8);
  const flags = gif[10] ?? 0;
  let at = 13 + (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0); // past the global colour table
  while (gif[at] === 0x21) {
    at += 2; // an extension: introducer and label, then sub-blocks up to an empty one
    while ((gif[at] ?? 0) > 0) at += (gif[at] ?? 0) + 1;
    at += 1;
  }
  expect(gif[at]).toBe(0x2c); // the image descriptor: left(2) top(2) width(2) height(2)
  gif.writeUInt16LE(width, at + 5);
  gif.writeUInt16LE(height, at + 7);
  return gif;
}

async function patchedWebp(width: number, height: number): Promise<Buffer> {
  const webp = await tinyImage().webp().toBuffer();
  expect(webp.toString("latin1", 12, 16)).toBe("VP8 "); // lossy: frame tag(3) start code(3) width(2) height(2)
  webp.writeUInt16LE(width, 26);
  webp.writeUInt16LE(height, 28);
  return webp;
}
