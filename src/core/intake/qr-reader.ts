// Finds QR codes in decoded pixels with zxing-wasm (ZXing-C++ compiled to WebAssembly).
// Loads the WebAssembly binary once, lazily, from the zxing-wasm package itself — never from the
// jsDelivr CDN the package fetches it from by default.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  prepareZXingModule,
  purgeZXingModule,
  readBarcodes,
  type ZXingModuleOverrides,
} from "zxing-wasm/reader";

/** Decoded pixels, four bytes (RGBA) per pixel, row by row. */
export interface RgbaPixels {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

export interface QrCorner {
  readonly x: number;
  readonly y: number;
}

export interface FoundQrCode {
  readonly text: string;
  /** Top-left, top-right, bottom-right, bottom-left as the code is meant to be read. */
  readonly corners: readonly [QrCorner, QrCorner, QrCorner, QrCorner];
}

/** More codes than this in one picture is not an authenticator screen; stop looking. */
export const MAX_CODES_PER_IMAGE = 32;

let overridesPromise: Promise<ZXingModuleOverrides> | undefined;

// The binary is part of the library's code, as much as the JavaScript `import` loads: reading it
// from node_modules is loading a module, not reading input. Node has no fetch for file: URLs, and
// zxing-wasm's default `locateFile` would go to the network, so hand it the bytes (`wasmBinary`).
function loadOverrides(): Promise<ZXingModuleOverrides> {
  overridesPromise ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve("zxing-wasm/reader/zxing_reader.wasm");
    const bytes = await readFile(wasmPath);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return Object.freeze({ wasmBinary }) as ZXingModuleOverrides;
  })().catch((error: unknown) => {
    overridesPromise = undefined; // let the next call try again rather than fail forever
    throw error;
  });
  return overridesPromise;
}

async function prepareReader(): Promise<void> {
  const overrides = await loadOverrides();
  // zxing-wasm keeps one instance per module while the overrides stay shallow-equal, so stating
  // the same frozen object on every call is free, shares one instantiation between concurrent
  // first calls, and undoes any other caller's prepareZXingModule that would point at the CDN.
  try {
    await prepareZXingModule({ overrides, fireImmediately: true });
  } catch (error) {
    purgeZXingModule(); // drop the failed instance so that a later call can retry
    throw error;
  }
}

/** Every valid QR code zxing finds in one pass over the pixels. */
export async function findQrCodes(pixels: RgbaPixels): Promise<FoundQrCode[]> {
  await prepareReader();
  // One synchronous call into the single-threaded module: concurrent callers cannot interleave.
  const results = await readBarcodes(pixels, {
    formats: ["QRCode"],
    tryHarder: true,
    tryRotate: true,
    tryInvert: true, // light modules on a dark background (dark mode screens)
    tryDownscale: true,
    tryDenoise: false, // experimental in zxing-cpp; the clean-up passes in qr-image.ts do better
    binarizer: "LocalAverage",
    isPure: false,
    maxNumberOfSymbols: MAX_CODES_PER_IMAGE,
    textMode: "Plain",
    returnErrors: false,
  });
  return results
    .filter((result) => result.isValid)
    .map(({ text, position: p }) => ({ text, corners: [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft] }));
}
