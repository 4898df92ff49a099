// Clean-ups for pictures whose QR code zxing could not read as they are: contrast stretching,
// unsharp masking against blur, and rescaling, on one grey byte per pixel.
// Plain arithmetic here plus libvips' blur and resize, which are fast; libvips' own normalise and
// sharpen go through the LAB colour space and cost ten times as much.

import sharp, { type Sharp } from "sharp";

/** One grey byte per pixel, row by row. */
export interface GreyPicture {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** A stuck libvips pipeline fails after this long instead of holding the request. */
export const LIBVIPS_TIMEOUT_SECONDS = 10;

/** The first channel of sharp's raw output (already one channel for a greyscale pipeline). */
export function greyFromRaw(data: Uint8Array, info: { width: number; height: number; channels: number }): GreyPicture {
  if (info.channels === 1) return { data, width: info.width, height: info.height };
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels] ?? 0;
  return { data: grey, width: info.width, height: info.height };
}

/** Four bytes per pixel, as zxing-wasm takes them. */
export function toRgba(picture: GreyPicture): { data: Uint8ClampedArray; width: number; height: number } {
  const rgba = new Uint8ClampedArray(picture.width * picture.height * 4);
  for (let i = 0; i < picture.data.length; i++) {
    const value = picture.data[i] ?? 0;
    rgba[i * 4] = value;
    rgba[i * 4 + 1] = value;
    rgba[i * 4 + 2] = value;
    rgba[i * 4 + 3] = 255;
  }
  return { data: rgba, width: picture.width, height: picture.height };
}

async function throughLibvips(picture: GreyPicture, pipeline: (image: Sharp) => Sharp): Promise<GreyPicture> {
  const image = sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 1 } });
  const { data, info } = await pipeline(image.timeout({ seconds: LIBVIPS_TIMEOUT_SECONDS }))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return greyFromRaw(data, info);
}

export function rescale(picture: GreyPicture, factor: number): Promise<GreyPicture> {
  const width = Math.max(1, Math.round(picture.width * factor));
  const height = Math.max(1, Math.round(picture.height * factor));
  return throughLibvips(picture, (image) => image.resize(width, height, { fit: "fill", kernel: "cubic" }));
}

/** Maps the darkest and lightest 1 % to black and white: a washed-out or dim code gets full contrast. */
export function stretchContrast(picture: GreyPicture): GreyPicture {
  const histogram = new Uint32Array(256);
  for (const value of picture.data) histogram[value] = (histogram[value] ?? 0) + 1;
  const clip = Math.floor(picture.data.length / 100);
  let low = 0;
  for (let seen = 0; low < 255 && (seen += histogram[low] ?? 0) <= clip; ) low++;
  let high = 255;
  for (let seen = 0; high > 0 && (seen += histogram[high] ?? 0) <= clip; ) high--;
  if (high <= low) return picture; // a flat picture: nothing to stretch
  const scale = 255 / (high - low);
  const data = new Uint8Array(picture.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.max(0, Math.round(((picture.data[i] ?? 0) - low) * scale)));
  return { ...picture, data };
}

/** Unsharp mask: adds back `amount` times the detail a Gaussian of `sigma` removes, undoing some blur. */
export async function sharpen(picture: GreyPicture, sigma: number, amount: number): Promise<GreyPicture> {
  const blurred = await throughLibvips(picture, (image) => image.blur(sigma));
  const data = new Uint8Array(picture.data.length);
  for (let i = 0; i < data.length; i++) {
    const value = picture.data[i] ?? 0;
    data[i] = Math.min(255, Math.max(0, Math.round(value + amount * (value - (blurred.data[i] ?? 0)))));
  }
  return { ...picture, data };
}
