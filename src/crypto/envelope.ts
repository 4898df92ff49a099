// Seals and opens single values with AES-256-GCM in a self-describing format bound to where the
// value lives. Never returns null for "could not open" and never puts key or plaintext bytes in
// an error: anything doubtful throws a WatchwordError whose message names only header fields.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { internal, problem, type ProblemText, WatchwordError } from "../core/errors.js";
import { Secret } from "../core/secret.js";

/** Where a sealed field lives. Bound as associated data, so a ciphertext moved elsewhere fails. */
export interface FieldBinding {
  readonly recordId: string;
  readonly field: string;
}

export const FORMAT_VERSION = 1;
export const ALGORITHM_AES_256_GCM = 1;
/** AES-256 (ASVS 5.0 11.3.2: approved cipher, 256-bit key). */
export const KEY_BYTES = 32;
/** NIST SP 800-38D §8.2: a 96-bit nonce is the recommended IV length for GCM. */
export const NONCE_BYTES = 12;
/** NIST SP 800-38D §5.2.1.2: the full 128-bit tag; shorter tags weaken forgery resistance. */
export const TAG_BYTES = 16;
/** [format version][algorithm][key version, uint32 BE]. */
export const HEADER_BYTES = 6;
export const MAX_KEY_VERSION = 0xffff_ffff;

const MIN_SEALED_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
const FIELD_CONTEXT_LABEL = Buffer.from("watchword/field\0", "utf8");

/**
 * Seals a secret field under a data key. A fresh random nonce per seal (ASVS 5.0 11.3.4), so the
 * same plaintext sealed twice gives different ciphertexts. NIST SP 800-38D §8.3 caps random-nonce
 * use at 2^32 seals per key; rotation to a new data key version keeps far below that.
 */
export function sealField(dataKey: Secret, version: number, plaintext: Secret, binding: FieldBinding): Buffer {
  return sealWithContext(dataKey, version, plaintext, encodeFieldContext(binding));
}

/** Opens a value sealed by sealField with the data key of `version`; throws if anything is off. */
export function openField(dataKey: Secret, version: number, sealed: Uint8Array, binding: FieldBinding): Secret {
  return openWithContext(dataKey, version, sealed, encodeFieldContext(binding));
}

/** The data-key version a sealed value names in its header, after checking format and length. */
export function readSealedKeyVersion(sealed: Uint8Array): number {
  return readHeader(sealed).keyVersion;
}

/**
 * The primitive under sealField, also used to wrap data keys under the key-encryption key.
 * The associated data is the 6-byte header followed by `context`, so the header (format,
 * algorithm, key version) cannot be rewritten without failing the tag.
 */
export function sealWithContext(key: Secret, keyVersion: number, plaintext: Secret, context: Uint8Array): Buffer {
  assertKey(key);
  const header = encodeHeader(keyVersion);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.reveal(), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, context]));
  const ciphertext = Buffer.concat([cipher.update(plaintext.reveal()), cipher.final()]);
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()]);
}

export function openWithContext(key: Secret, keyVersion: number, sealed: Uint8Array, context: Uint8Array): Secret {
  assertKey(key);
  const { keyVersion: sealedVersion } = readHeader(sealed);
  if (sealedVersion !== keyVersion) {
    throw broken(problem("sealed_version_mismatch", { sealedVersion, keyVersion }));
  }
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const header = bytes.subarray(0, HEADER_BYTES);
  const nonce = bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const ciphertext = bytes.subarray(HEADER_BYTES + NONCE_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);

  const decipher = createDecipheriv("aes-256-gcm", key.reveal(), nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.concat([header, context]));
  decipher.setAuthTag(tag);
  const head = decipher.update(ciphertext);
  let tail: Buffer;
  try {
    tail = decipher.final();
  } catch {
    // GCM released unauthenticated bytes from update(); wipe them before they can travel.
    // The library error is dropped on purpose: the message below is the whole story.
    head.fill(0);
    throw broken(problem("sealed_authentication_failed"));
  }
  const plaintext = Buffer.concat([head, tail]);
  head.fill(0);
  tail.fill(0);
  const secret = Secret.fromBytes(plaintext);
  plaintext.fill(0);
  return secret;
}

/** The parts of a sealed value, for a KEK that runs AES-GCM elsewhere (an HSM) in the same format. */
export interface SealedParts {
  readonly header: Buffer;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** The header a value sealed under `keyVersion` starts with (it is also the start of its associated data). */
export function encodeSealedHeader(keyVersion: number): Buffer {
  return encodeHeader(keyVersion);
}

/** Splits a sealed value after checking its header names `keyVersion`; throws like openWithContext. */
export function splitSealed(sealed: Uint8Array, keyVersion: number): SealedParts {
  const { keyVersion: sealedVersion } = readHeader(sealed);
  if (sealedVersion !== keyVersion) {
    throw broken(problem("sealed_version_mismatch", { sealedVersion, keyVersion }));
  }
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  return {
    header: bytes.subarray(0, HEADER_BYTES),
    nonce: bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES),
    ciphertext: bytes.subarray(HEADER_BYTES + NONCE_BYTES, bytes.length - TAG_BYTES),
    tag: bytes.subarray(bytes.length - TAG_BYTES),
  };
}

/** The error every failed tag gives, whoever ran the cipher. */
export function authenticationFailed(): WatchwordError {
  return broken(problem("sealed_authentication_failed"));
}

interface SealedHeader {
  readonly keyVersion: number;
}

function readHeader(sealed: Uint8Array): SealedHeader {
  // Check the two self-describing bytes before the length, so a value from a future format
  // says so instead of "truncated".
  if (sealed.byteLength >= 1 && sealed[0] !== FORMAT_VERSION) {
    throw broken(problem("sealed_format_unknown", { version: String(sealed[0]) }));
  }
  if (sealed.byteLength >= 2 && sealed[1] !== ALGORITHM_AES_256_GCM) {
    throw broken(problem("sealed_algorithm_unknown", { algorithm: String(sealed[1]) }));
  }
  if (sealed.byteLength < MIN_SEALED_BYTES) {
    throw broken(problem("sealed_truncated", { length: sealed.byteLength, min: MIN_SEALED_BYTES }));
  }
  const keyVersion = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).readUInt32BE(2);
  if (keyVersion === 0) {
    throw broken(problem("sealed_key_version_zero"));
  }
  return { keyVersion };
}

function encodeHeader(keyVersion: number): Buffer {
  assertKeyVersion(keyVersion);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = FORMAT_VERSION;
  header[1] = ALGORITHM_AES_256_GCM;
  header.writeUInt32BE(keyVersion, 2);
  return header;
}

/**
 * Length-prefixed, so that no two different bindings encode alike ("ab"+"c" vs "a"+"bc"), and
 * labelled, so that a field context can never equal a wrapped-data-key context.
 */
function encodeFieldContext(binding: FieldBinding): Buffer {
  if (binding.recordId.length === 0 || binding.field.length === 0) {
    throw internal(problem("seal_binding_missing"));
  }
  return Buffer.concat([FIELD_CONTEXT_LABEL, lengthPrefixed(binding.recordId), lengthPrefixed(binding.field)]);
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

export function assertKeyVersion(keyVersion: number): void {
  if (!Number.isInteger(keyVersion) || keyVersion < 1 || keyVersion > MAX_KEY_VERSION) {
    throw internal(problem("key_version_invalid", { max: MAX_KEY_VERSION }));
  }
}

function assertKey(key: Secret): void {
  if (key.length !== KEY_BYTES) {
    // The length is not secret; the bytes are, so only the length is named.
    throw internal(problem("key_wrong_length", { bytes: KEY_BYTES, length: key.length }));
  }
}

/**
 * Stored data that cannot be opened is a server-side integrity failure, not bad user input; the
 * services tell the person which secret is damaged (services/damaged-secrets.ts).
 */
function broken(message: ProblemText): WatchwordError {
  return new WatchwordError("internal", message, { isDamagedData: true });
}
