// What crosses the thread boundary between the server and an import worker, in both directions.
// A Secret cannot be cloned into another thread (its bytes are private), so secrets travel as
// bytes in ArrayBuffers that are transferred, not copied: the sender's view is emptied by the
// move, and the receiver wraps the bytes in a Secret again and zeroes the buffer they came in.
// A WatchwordError travels as its code, sentence and details, and becomes one again.
import { WatchwordError, isWatchwordError, type ErrorCode, type ErrorDetails, type ProblemText } from "../core/errors.js";
import type { ImportedEntry, ImportProblem } from "../core/intake/import-file.js";
import type { OtpParameters } from "../core/otp/types.js";
import { Secret } from "../core/secret.js";
import type { ImportFormatName } from "../contract/imports.js";
import type { ReadUpload, UploadToRead } from "./import-reading.js";

/** What a worker says when it takes a job, so that the pool counts jobs on a thread, not jobs admitted. */
export const JOB_STARTED = "watchword import job started";

export interface PackedUpload {
  readonly bytes: Uint8Array;
  readonly format: ImportFormatName;
  readonly password: Uint8Array | undefined;
  readonly keyFile: Uint8Array | undefined;
}

interface PackedOtp extends Omit<OtpParameters, "secret"> {
  /** Where this entry's seed lies in PackedResult.seeds. */
  readonly seedOffset: number;
  readonly seedLength: number;
}

interface PackedEntry extends Omit<ImportedEntry, "otp"> {
  readonly otp: PackedOtp;
}

export type PackedResult =
  | { readonly ok: true; readonly format: string; readonly entries: PackedEntry[]; readonly problems: ImportProblem[]; readonly seeds: ArrayBuffer }
  | { readonly ok: false; readonly error: { readonly code: ErrorCode; readonly message: string | ProblemText; readonly details: ErrorDetails } }
  | { readonly ok: false; readonly unexpected: { readonly name: string; readonly message: string; readonly stack: string | undefined } };

/** A fresh ArrayBuffer holding a copy of `bytes`: never a view of Node's shared Buffer pool, which cannot be transferred. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
}

/** The upload as the worker receives it, and the buffers to transfer with it. */
export function packUpload(bytes: Uint8Array, format: ImportFormatName, password: Secret | undefined, keyFile?: Secret): { upload: PackedUpload; transfer: ArrayBuffer[] } {
  const upload: PackedUpload = {
    bytes: ownBuffer(bytes),
    format,
    password: password === undefined ? undefined : ownBuffer(password.reveal()),
    keyFile: keyFile === undefined ? undefined : ownBuffer(keyFile.reveal()),
  };
  const transfer = [upload.bytes.buffer as ArrayBuffer];
  for (const secret of [upload.password, upload.keyFile]) if (secret !== undefined) transfer.push(secret.buffer as ArrayBuffer);
  return { upload, transfer };
}

/** In the worker: the upload with its password and key file as Secrets again; the received bytes are zeroed. */
export function unpackUpload(upload: PackedUpload): UploadToRead {
  const password = upload.password === undefined ? undefined : Secret.fromBytes(upload.password);
  const keyFile = upload.keyFile === undefined ? undefined : Secret.fromBytes(upload.keyFile);
  upload.password?.fill(0);
  upload.keyFile?.fill(0);
  return { bytes: upload.bytes, format: upload.format, password, keyFile };
}

/** In the worker: the result, every seed copied into one buffer to transfer and then destroyed here. */
export function packResult(read: ReadUpload): { result: PackedResult; transfer: ArrayBuffer[] } {
  const total = read.entries.reduce((sum, entry) => sum + entry.otp.secret.length, 0);
  const seeds = new ArrayBuffer(total);
  const view = new Uint8Array(seeds);
  let offset = 0;
  const entries = read.entries.map(({ otp, ...rest }): PackedEntry => {
    const { secret, ...parameters } = otp;
    const packed = { ...rest, otp: { ...parameters, seedOffset: offset, seedLength: secret.length } };
    view.set(secret.reveal(), offset);
    offset += secret.length;
    secret.destroy();
    return packed;
  });
  return { result: { ok: true, format: read.format, entries, problems: read.problems, seeds }, transfer: [seeds] };
}

/** In the worker: a failure as data. Only a WatchwordError's sentence is meant for people; anything else is reported as unexpected. */
export function packFailure(error: unknown): PackedResult {
  if (isWatchwordError(error)) return { ok: false, error: { code: error.code, message: error.problemText ?? error.message, details: { ...error.details } } };
  const name = error instanceof Error ? error.name : typeof error;
  return { ok: false, unexpected: { name, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined } };
}

/** In the server: the entries with their seeds as Secrets again, and the buffer they came in zeroed; a failure is thrown. */
export function unpackResult(result: PackedResult): ReadUpload {
  if (!result.ok) {
    if ("error" in result) throw new WatchwordError(result.error.code, result.error.message, result.error.details);
    const error = new Error(`Reading the import failed in its worker thread: ${result.unexpected.name}: ${result.unexpected.message}`);
    if (result.unexpected.stack !== undefined) error.stack = result.unexpected.stack;
    throw error;
  }
  const view = new Uint8Array(result.seeds);
  try {
    const entries = result.entries.map(({ otp, ...rest }): ImportedEntry => {
      const { seedOffset, seedLength, ...parameters } = otp;
      return { ...rest, otp: { ...parameters, secret: Secret.fromBytes(view.subarray(seedOffset, seedOffset + seedLength)) } };
    });
    return { format: result.format, entries, problems: result.problems };
  } finally {
    view.fill(0);
  }
}
