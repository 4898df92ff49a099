// Takes one file out of an uploaded ZIP archive (password-protected or not) through zip.js, with
// every bound checked before any data is inflated (ASVS 5.0 5.2): how many entries the archive
// lists, that no name is a path out of it, the file's declared size and its compression ratio;
// then the bytes actually inflated are counted and extraction stops past the declared size.
// Nothing touches the disk. Errors name the fault, never the archive's content or the password.
import { ERR_ENCRYPTED, ERR_INVALID_PASSWORD, ERR_INVALID_UNCOMPRESSED_SIZE, ERR_UNSAFE_FILENAME, Uint8ArrayReader, ZipReader, type Entry } from "@zip.js/zip.js";
import { invalidInput, isWatchwordError, problem } from "../errors.js";
import type { Secret } from "../secret.js";
import { passwordRequired, wrongPassword } from "./export-crypto.js";

export interface ZipBounds {
  /** Most entries (files and folders) the archive may list. */
  readonly maxEntries: number;
  /** Largest the wanted file may be once inflated, in bytes. */
  readonly maxFileBytes: number;
  /** Largest ratio of inflated to stored size (a few for text; a zip bomb's is in the thousands). */
  readonly maxRatio: number;
}

/** ZIP's local file header signature, "PK\x03\x04" (APPNOTE.TXT 4.3.7). */
export function hasZipSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** A name that would land outside the folder it is extracted to, or that no export would use. */
function isUnsafeName(name: string): boolean {
  return name.startsWith("/") || name.includes("\\") || name.includes("\u0000") || /^[A-Za-z]:/u.test(name) || name.split("/").includes("..");
}

/**
 * The bytes of the one file whose last path part is `fileName`. Throws invalid_input with field
 * "file" for an archive that breaks a bound or lacks the file, "password" for a missing or wrong
 * password.
 */
export async function extractZipFile(bytes: Uint8Array, request: { fileName: string; password: Secret | undefined; bounds: ZipBounds; title: string }): Promise<Uint8Array> {
  const { fileName, password, bounds, title } = request;
  const reader = new ZipReader(new Uint8ArrayReader(bytes), {
    // The password's bytes as given (a copy zip.js may keep), never turned into a string.
    ...(password === undefined ? {} : { rawPassword: new Uint8Array(password.reveal()) }),
    checkCrc32: true,
    filenameValidation: "strict",
    // Inflate on this thread: zip.js would otherwise start web workers of its own.
    useWebWorkers: false,
  });
  try {
    const wanted = await findEntry(reader, fileName, bounds, title);
    checkDeclaredSize(wanted, bounds, title);
    if (wanted.encrypted && password === undefined) throw passwordRequired(title);
    return await inflate(wanted, bounds, title);
  } catch (error) {
    throw describeFailure(error, password !== undefined, title);
  } finally {
    await reader.close();
  }
}

/** Walks the central directory one record at a time, so a huge listing is refused after maxEntries + 1 records. */
async function findEntry(reader: ZipReader<unknown>, fileName: string, bounds: ZipBounds, title: string): Promise<Entry> {
  let count = 0;
  let wanted: Entry | undefined;
  for await (const entry of reader.getEntriesGenerator()) {
    count += 1;
    if (count > bounds.maxEntries) throw invalidInput(problem("import_zip_too_many_files", { format: title, max: bounds.maxEntries }), "file");
    if (isUnsafeName(entry.filename)) throw unsafePath(title);
    if (!entry.directory && entry.filename.split("/").at(-1) === fileName && wanted === undefined) wanted = entry;
  }
  if (wanted === undefined) throw invalidInput(problem("import_zip_file_missing", { file: fileName, format: title }), "file");
  return wanted;
}

function checkDeclaredSize(entry: Entry, bounds: ZipBounds, title: string): void {
  const { uncompressedSize, compressedSize } = entry;
  if (uncompressedSize > bounds.maxFileBytes) {
    throw invalidInput(problem("import_zip_file_too_large", { format: title, file: entry.filename, size: formatMiB(uncompressedSize), max: formatMiB(bounds.maxFileBytes) }), "file");
  }
  if (uncompressedSize > 0 && (compressedSize === 0 || uncompressedSize / compressedSize > bounds.maxRatio)) {
    throw invalidInput(problem("import_zip_bomb", { format: title, file: entry.filename, max: bounds.maxRatio }), "file");
  }
}

/** Inflates into memory, counting: more bytes than declared (or allowed) stops the extraction. */
async function inflate(entry: Entry, bounds: ZipBounds, title: string): Promise<Uint8Array> {
  if (entry.directory) throw invalidInput(problem("import_zip_damaged", { format: title }), "file");
  const limit = Math.min(entry.uncompressedSize, bounds.maxFileBytes);
  const oversized = () => invalidInput(problem("import_zip_inflates_more", { format: title, file: entry.filename }), "file");
  const chunks: Uint8Array[] = [];
  let total = 0;
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      total += chunk.length;
      if (total > limit) throw oversized();
      chunks.push(chunk);
    },
  });
  try {
    await entry.getData(writable);
  } catch (error) {
    // zip.js counts too, and stops at the declared size itself.
    if (error instanceof Error && error.message === ERR_INVALID_UNCOMPRESSED_SIZE) throw oversized();
    throw error;
  }
  return Buffer.concat(chunks, total);
}

function describeFailure(error: unknown, hasPassword: boolean, title: string): unknown {
  if (isWatchwordError(error)) return error;
  const message = error instanceof Error ? error.message : "";
  if (message === ERR_INVALID_PASSWORD) return wrongPassword();
  if (message === ERR_ENCRYPTED) return passwordRequired(title);
  if (message === ERR_UNSAFE_FILENAME) return unsafePath(title);
  // A failed CRC or inflate under ZipCrypto is most often a wrong password that passed its 1-byte check.
  if (hasPassword && /crc|signature|compressed data/iu.test(message)) return wrongPassword();
  return invalidInput(problem("import_zip_unreadable", { format: title }), "file");
}

const unsafePath = (title: string) => invalidInput(problem("import_zip_unsafe_path", { format: title }), "file");
const formatMiB = (bytes: number): string => `${(bytes / 1024 / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} MiB`;
