// Turns a chosen, dropped or pasted file into the base64 text the import API takes. Reads the
// bytes with Blob.arrayBuffer() (no FileReader, no data: URL), so it works the same in tests.

/** The API takes at most 30,000,000 base64 characters: 22.5 MB of file. */
export const MAX_UPLOAD_BYTES = 22_000_000;

/** The QR image types the server decodes (decided again by magic bytes on the server). */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  // fromCharCode takes its arguments on the stack: a few thousand at a time is safe.
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

export async function readFileAsBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

export const isImageFile = (file: Blob): boolean => (IMAGE_TYPES as readonly string[]).includes(file.type);

/** The first image among pasted or dropped files, if any. */
export function firstImageFile(files: Iterable<File> | ArrayLike<File> | null | undefined): File | undefined {
  if (files === null || files === undefined) return undefined;
  return Array.from(files).find(isImageFile);
}
