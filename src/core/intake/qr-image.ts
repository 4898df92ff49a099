// Reads the text of every QR code in an uploaded picture: a screenshot or a phone photo in PNG,
// JPEG, WebP or GIF. Owns the upload checks for pictures (DESIGN "Security model: Uploads"): type by
// magic bytes, size and pixel count before a single pixel is decoded, bounded work after that.
// It never interprets the text; the caller decides whether it is an otpauth URI.
//
// Decoder: zxing-wasm (qr-reader.ts). On the 26 test pictures of test/unit/qr (screenshots, photos
// in perspective, blurred, compressed, inverted, several codes, plus Google Authenticator's export
// screenshot), one pass each on the same pixels: zxing-wasm 22/26, jsQR 17/26 (jsQR finds at most
// one code per picture and misses steep perspective and blurred photos); this module, with its
// clean-up passes, 26/26. test/unit/qr/qr-decoders.test.ts prints the scoreboard.

import sharp, { type Metadata } from "sharp";
import { invalidInput, problem, unsupportedMediaType, WatchwordError, type ProblemText } from "../errors.js";
import {
  LIBVIPS_TIMEOUT_SECONDS,
  greyFromRaw,
  rescale,
  sharpen,
  stretchContrast,
  toRgba,
  type GreyPicture,
} from "./qr-preprocess.js";
import { findQrCodes, type FoundQrCode } from "./qr-reader.js";

export interface QrImageLimits {
  /** Largest upload accepted, in bytes. */
  readonly maxBytes: number;
  /** Largest width × height accepted, read from the image header before decoding. */
  readonly maxPixels: number;
}

// 10 MiB holds any phone photo; 40 megapixels holds a 7200 × 5400 photo and is ~160 MB at the
// four bytes per pixel libvips may need while decoding it, which bounds memory per upload.
export const DEFAULT_QR_LIMITS: QrImageLimits = Object.freeze({ maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 });

export type ImageType = "png" | "jpeg" | "webp" | "gif";

const FIELD = "image";

/**
 * The first pass reads at most this many pixels: a 12-megapixel phone photo at full resolution,
 * where a code may be only 150 pixels wide; larger photos are shrunk to it.
 */
const MAX_SCAN_PIXELS = 12_500_000;
/** The clean-up passes work on at most this side: enough for a code that fills a tenth of the photo. */
const MAX_CLEANUP_SIDE = 2048;

/** The type of an image by its magic bytes alone; the file name and declared type play no part. */
export function detectImageType(bytes: Uint8Array): ImageType | undefined {
  const startsWith = (signature: readonly number[], offset = 0): boolean =>
    bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith([0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return "webp"; // RIFF....WEBP
  if (startsWith([0x47, 0x49, 0x46, 0x38]) && (startsWith([0x37, 0x61], 4) || startsWith([0x39, 0x61], 4))) return "gif"; // GIF87a, GIF89a
  return undefined;
}

/**
 * The text of every QR code found in the picture, in reading order (rows top to bottom, codes
 * left to right within a row). Throws unsupported_media_type (field "image") for a file that is
 * no PNG, JPEG, WebP or GIF by its magic bytes, invalid_input for an empty or unreadable
 * picture or one without a QR code, and payload_too_large for one over `limits`.
 */
export async function decodeQrImage(bytes: Uint8Array, limits: QrImageLimits = DEFAULT_QR_LIMITS): Promise<string[]> {
  if (bytes.byteLength === 0) throw invalidInput(problem("image_empty"), FIELD);
  if (bytes.byteLength > limits.maxBytes) {
    throw tooLarge(problem("image_too_large", { size: formatBytes(bytes.byteLength), max: formatBytes(limits.maxBytes) }));
  }
  const type = detectImageType(bytes);
  if (type === undefined) throw unsupportedMediaType(problem("image_not_image"), FIELD);
  const size = await readOrientedSize(bytes, type, limits);
  const picture = await decodeToGrey(bytes, limits, fitToPixels(size, MAX_SCAN_PIXELS));
  let working: GreyPicture | undefined;
  for (const { prepare } of ATTEMPTS) {
    let variant = picture;
    if (prepare !== "as is") {
      working ??= await shrinkForCleanup(picture);
      variant = await prepare(working);
    }
    const found = await findQrCodes(toRgba(variant));
    if (found.length > 0) return inReadingOrder(found).map((code) => code.text);
  }
  throw invalidInput(problem("image_no_qr_code"), FIELD);
}

const tooLarge = (message: ProblemText): WatchwordError => new WatchwordError("payload_too_large", message, { field: FIELD });
const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(n / 1024)} KB`;
const tooManyPixels = (width: number, height: number, max: number): ProblemText =>
  max >= 1_000_000
    ? problem("image_too_many_pixels", { width, height, max: Math.round(max / 100_000) / 10 })
    : problem("image_too_many_pixels_small", { width, height, max });

// Reads the header only: a 50000 × 50000 "decompression bomb" is refused here, in microseconds.
async function readOrientedSize(bytes: Uint8Array, type: ImageType, limits: QrImageLimits): Promise<Size> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw invalidInput(problem("image_unreadable"), FIELD);
  }
  // libvips sniffs the type itself; it must agree with the magic bytes we accepted.
  if (metadata.format !== type || !(metadata.width > 0 && metadata.height > 0)) throw invalidInput(problem("image_unreadable"), FIELD);
  const { width, height } = metadata; // of one frame, for an animation: only the first is decoded
  if (width * height > limits.maxPixels) {
    throw tooLarge(tooManyPixels(width, height, limits.maxPixels));
  }
  return metadata.autoOrient; // as the picture is meant to be seen: EXIF may turn it a quarter
}

interface Size {
  readonly width: number;
  readonly height: number;
}

function fitToPixels(size: Size, maxPixels: number): Size {
  const scale = Math.sqrt(maxPixels / (size.width * size.height));
  if (scale >= 1) return size;
  return { width: Math.max(1, Math.floor(size.width * scale)), height: Math.max(1, Math.floor(size.height * scale)) };
}

// EXIF orientation applied, the first frame of an animation only, transparency laid on white (the
// usual dark-on-transparent export), resized to `size`, one grey byte per pixel.
async function decodeToGrey(bytes: Uint8Array, limits: QrImageLimits, size: Size): Promise<GreyPicture> {
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: limits.maxPixels, // the header check already ran; this is the second lock
      failOn: "error", // a phone's slightly broken JPEG still decodes; a truncated file does not
      autoOrient: true,
      pages: 1,
      page: 0,
    })
      .timeout({ seconds: LIBVIPS_TIMEOUT_SECONDS })
      .resize(size.width, size.height, { fit: "fill" }) // a no-op at the picture's own size
      .flatten({ background: "#ffffff" })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return greyFromRaw(data, info);
  } catch {
    throw invalidInput(problem("image_unreadable"), FIELD);
  }
}

function shrinkForCleanup(picture: GreyPicture): Promise<GreyPicture> | GreyPicture {
  const side = Math.max(picture.width, picture.height);
  return side > MAX_CLEANUP_SIDE ? rescale(picture, MAX_CLEANUP_SIDE / side) : picture;
}

interface Attempt {
  readonly name: string;
  /** "as is" reads the picture at full scan size; the others clean up the working copy first. */
  readonly prepare: "as is" | ((working: GreyPicture) => Promise<GreyPicture>);
}

// A fixed ladder, so that the work per upload is bounded: the picture as it is, then one clean-up
// per way photos defeat the reader. zxing itself already tries the 90° rotations, inversion
// (light on dark), and a downscaled copy on every pass. Each step reads a test picture no other can.
const ATTEMPTS: readonly Attempt[] = [
  { name: "as is", prepare: "as is" },
  {
    // Defocus, and small screenshots whose modules are two or three pixels wide.
    name: "sharpened",
    prepare: async (working) =>
      Math.max(working.width, working.height) <= MAX_CLEANUP_SIDE / 2
        ? sharpen(stretchContrast(await rescale(working, 2)), 2, 1.5)
        : sharpen(stretchContrast(working), 3, 2),
  },
  {
    // Heavy sensor noise (a dim room): halving averages it away.
    name: "halved and sharpened",
    prepare: async (working) => sharpen(stretchContrast(await rescale(working, 0.5)), 1, 1.5),
  },
];

/** Rows top to bottom, then left to right within a row, as a person reads a page of codes. */
function inReadingOrder(codes: readonly FoundQrCode[]): FoundQrCode[] {
  const boxes = codes
    .map((code) => {
      const ys = code.corners.map((corner) => corner.y);
      const xs = code.corners.map((corner) => corner.x);
      const top = Math.min(...ys);
      const bottom = Math.max(...ys);
      return { code, top, bottom, middle: (top + bottom) / 2, left: Math.min(...xs) };
    })
    .sort((a, b) => a.top - b.top);
  const ordered: FoundQrCode[] = [];
  while (boxes.length > 0) {
    const first = boxes[0];
    if (first === undefined) break;
    // A code shares the row of the topmost remaining one when its middle lies within that one's height.
    const row = boxes.filter((box) => box.middle >= first.top && box.middle <= first.bottom);
    row.sort((a, b) => a.left - b.left);
    for (const box of row) {
      ordered.push(box.code);
      boxes.splice(boxes.indexOf(box), 1);
    }
  }
  return ordered;
}
