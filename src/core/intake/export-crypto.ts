// Opens password-encrypted exports: scrypt, PBKDF2 and Argon2 key derivation, HKDF-Expand, AES-256-GCM,
// -CBC and -CBC with HMAC-SHA256. Every KDF parameter read from a file is capped before the KDF runs
// (ASVS 5.0 5.2: a hostile upload must not buy minutes of CPU or gigabytes of memory). Errors never
// hold the password or a key.
//
// Every key is derived on the calling thread — node:crypto's synchronous scrypt and PBKDF2, Argon2
// in WebAssembly (hash-wasm) — never as a job on libuv's thread pool: the server parses uploads in
// import worker threads (services/import-pool.ts), and the pool's four threads are shared by the
// whole process, where sign-in's argon2 would wait behind an import's KDF. Formats derive keys only
// through this module (eslint.config.js refuses the async KDFs and the argon2 package in intake/).
import { createDecipheriv, createHmac, pbkdf2Sync, scryptSync, timingSafeEqual } from "node:crypto";
import { argon2d, argon2id } from "hash-wasm";
import { invalidInput, isWatchwordError, problem, type ProblemText, type WatchwordError } from "../errors.js";
import type { Secret } from "../secret.js";

/** The most work an encrypted export may ask for; each is a few times the apps' own defaults. */
export const KDF_CAPS = Object.freeze({
  /** scrypt cost N (Aegis uses 2^15); 2^20 is scrypt's suggested cost for file encryption (Percival, 2009). */
  scryptMaxN: 2 ** 20,
  /** scrypt r × p (Aegis uses 8 × 1). */
  scryptMaxRp: 32,
  /** scrypt total work N × r × p: N = 2^20 with r = 8, p = 1 — a few seconds, and 1 GiB of memory. */
  scryptMaxWork: 2 ** 23,
  /** PBKDF2 iterations (andOTP picks 140,000 to 160,000); 1,000,000 of SHA-1 take well under a second. */
  pbkdf2MaxIterations: 1_000_000,
  /** KeePass AES-KDF rounds (KeePass and KeePassXC calibrate to about a second: millions); 10^8 take a few seconds. */
  aesKdfMaxRounds: 100_000_000,
  /** KeePass Argon2 memory in bytes (KeePassXC's default is 64 MiB). */
  argon2MaxMemoryBytes: 512 * 1024 * 1024,
  /** KeePass Argon2 passes. */
  argon2MaxIterations: 100,
  /** KeePass Argon2 parallelism (lanes). */
  argon2MaxParallelism: 64,
  /** KeePass Argon2 total work: memory × passes, in bytes (64 MiB × 32). */
  argon2MaxWork: 2 * 1024 * 1024 * 1024,
});

export const wrongPassword = (): WatchwordError => invalidInput(problem("import_password_wrong"), "password");

/** True for the error a format throws when the password does not open the file (what is throttled per user). */
export const isWrongPassword = (error: unknown): boolean =>
  isWatchwordError(error) && error.code === "invalid_input" && error.details.field === "password" && error.key === "import_password_wrong";

export const passwordRequired = (formatTitle: string): WatchwordError =>
  invalidInput(problem("import_password_required", { format: formatTitle }), "password");

/** The file asks for more key-derivation work than the caps allow: the problem says which work (its key is import_kdf_…). */
export const tooMuchWork = (text: ProblemText): WatchwordError => invalidInput(text, "file");

export interface ScryptParameters {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Uint8Array;
}

/** scrypt (RFC 7914) to a 32-byte key, after checking N, r and p against KDF_CAPS. */
export async function deriveScryptKey(password: Uint8Array, params: ScryptParameters, formatTitle: string): Promise<Buffer> {
  const { n, r, p } = params;
  const isPositiveInteger = (value: number): boolean => Number.isSafeInteger(value) && value >= 1;
  if (!isPositiveInteger(n) || !isPositiveInteger(r) || !isPositiveInteger(p) || n < 2 || (n & (n - 1)) !== 0) {
    throw invalidInput(problem("import_scrypt_invalid", { format: formatTitle }), "file");
  }
  if (n > KDF_CAPS.scryptMaxN) throw tooMuchWork(problem("import_kdf_scrypt_n", { format: formatTitle, n }));
  if (r * p > KDF_CAPS.scryptMaxRp) throw tooMuchWork(problem("import_kdf_scrypt_rp", { format: formatTitle, value: r * p, max: KDF_CAPS.scryptMaxRp }));
  if (n * r * p > KDF_CAPS.scryptMaxWork) throw tooMuchWork(problem("import_kdf_scrypt_work", { format: formatTitle, value: n * r * p }));
  // Node's default maxmem (32 MiB) refuses N = 2^15 with r = 8; allow what the caps allow.
  const maxmem = 128 * n * r + 128 * r * p + 1024 * 1024;
  try {
    return scryptSync(password, params.salt, 32, { N: n, r, p, maxmem });
  } catch {
    throw invalidInput(problem("import_scrypt_unusable", { format: formatTitle }), "file");
  }
}

/** PBKDF2 (RFC 8018) to a 32-byte key, after checking the iteration count against KDF_CAPS. */
export async function derivePbkdf2Key(
  password: Secret,
  salt: Uint8Array,
  iterations: number,
  digest: "sha1" | "sha256" | "sha512",
  formatTitle: string,
): Promise<Buffer> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw invalidInput(problem("import_pbkdf2_iterations_invalid", { format: formatTitle }), "file");
  }
  if (iterations > KDF_CAPS.pbkdf2MaxIterations) {
    throw tooMuchWork(problem("import_kdf_pbkdf2_iterations", { format: formatTitle, value: iterations, max: KDF_CAPS.pbkdf2MaxIterations }));
  }
  try {
    return pbkdf2Sync(password.reveal(), salt, iterations, 32, digest);
  } catch {
    throw invalidInput(problem("import_kdf_unusable", { format: formatTitle }), "file");
  }
}

export interface Argon2Parameters {
  readonly type: "argon2d" | "argon2id";
  /** Memory in KiB. */
  readonly memoryKib: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: Uint8Array;
  readonly hashLength: number;
}

/**
 * Argon2 (RFC 9106, version 1.3) after checking memory, passes and lanes against KDF_CAPS. The
 * WebAssembly instance is made for this call and dropped after it, so its memory goes with it.
 */
export async function deriveArgon2Key(password: Uint8Array, params: Argon2Parameters, formatTitle: string): Promise<Uint8Array> {
  const { memoryKib, iterations, parallelism, hashLength } = params;
  checkArgon2Cost(memoryKib * 1024, iterations, parallelism, formatTitle);
  if (!Number.isSafeInteger(hashLength) || hashLength < 4 || hashLength > 1024) throw invalidInput(problem("import_argon2_length_invalid", { format: formatTitle }), "file");
  const derive = params.type === "argon2id" ? argon2id : argon2d;
  try {
    return await derive({ password, salt: params.salt, memorySize: memoryKib, iterations, parallelism, hashLength, outputType: "binary" });
  } catch {
    throw invalidInput(problem("import_argon2_unusable", { format: formatTitle }), "file");
  }
}

const MIB = 1024 * 1024;

/** Refuses Argon2 parameters (memory in bytes) that are not positive integers or cost more than KDF_CAPS allow. */
export function checkArgon2Cost(memory: number | undefined, iterations: number | undefined, parallelism: number | undefined, formatTitle: string): void {
  if ([memory, iterations, parallelism].some((value) => value === undefined || !Number.isSafeInteger(value) || value < 1)) {
    throw invalidInput(problem("import_argon2_invalid", { format: formatTitle }), "file");
  }
  const m = memory as number;
  const t = iterations as number;
  const p = parallelism as number;
  if (m > KDF_CAPS.argon2MaxMemoryBytes) throw tooMuchWork(problem("import_kdf_argon2_memory", { format: formatTitle, value: Math.ceil(m / MIB), max: KDF_CAPS.argon2MaxMemoryBytes / MIB }));
  if (t > KDF_CAPS.argon2MaxIterations) throw tooMuchWork(problem("import_kdf_argon2_passes", { format: formatTitle, value: t, max: KDF_CAPS.argon2MaxIterations }));
  if (p > KDF_CAPS.argon2MaxParallelism) throw tooMuchWork(problem("import_kdf_argon2_lanes", { format: formatTitle, value: p, max: KDF_CAPS.argon2MaxParallelism }));
  if (m * t > KDF_CAPS.argon2MaxWork) {
    throw tooMuchWork(problem("import_kdf_argon2_work", { format: formatTitle, memory: Math.ceil(m / MIB), passes: t, max: KDF_CAPS.argon2MaxWork / MIB }));
  }
}

/** AES-256-GCM decryption, with optional associated data; a failed tag means a wrong password (or a damaged file). */
export function openAesGcm(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer {
  if (key.length !== 32 || nonce.length < 8 || nonce.length > 64 || tag.length !== 16) throw wrongPassword();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    if (aad !== undefined) decipher.setAAD(aad);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw wrongPassword();
  }
}

/**
 * AES-256-CBC decryption with PKCS #7 padding. CBC has no tag: bad padding means a wrong key, but
 * a wrong key passes the padding check about once in 256 tries, so callers must check the result.
 */
export function openAesCbc(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer {
  if (key.length !== 32 || iv.length !== 16 || ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw wrongPassword();
  try {
    const decipher = createDecipheriv("aes-256-cbc", key, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw wrongPassword();
  }
}

/**
 * HKDF-Expand (RFC 5869 §2.3) with SHA-256 to one 32-byte block, T(1) = HMAC(PRK, info ‖ 0x01), for
 * a key that is already uniformly random (Bitwarden stretches its KDF output so). Written out since
 * node:crypto's hkdfSync always runs HKDF-Extract first, which gives other keys.
 */
export function expandHkdfSha256(prk: Uint8Array, info: string): Buffer {
  return createHmac("sha256", prk).update(info, "utf8").update(Uint8Array.of(1)).digest();
}

/**
 * Encrypt-then-MAC: HMAC-SHA256 over IV ‖ ciphertext, then AES-256-CBC (Bitwarden's EncString type 2).
 * The MAC is compared in constant time and nothing is decrypted unless it matches; a mismatch (a
 * wrong key or changed bytes) throws wrongPassword(), as does bad padding.
 */
export function openAesCbcHmacSha256(keys: { readonly enc: Uint8Array; readonly mac: Uint8Array }, iv: Uint8Array, ciphertext: Uint8Array, mac: Uint8Array): Buffer {
  const expected = createHmac("sha256", keys.mac).update(iv).update(ciphertext).digest();
  if (mac.length !== expected.length || !timingSafeEqual(expected, mac)) throw wrongPassword();
  return openAesCbc(keys.enc, iv, ciphertext);
}

/** Splits Java's GCM output (ciphertext followed by its 16-byte tag), as 2FAS and andOTP write it. */
export function splitGcmTag(sealed: Uint8Array): { ciphertext: Uint8Array; tag: Uint8Array } {
  if (sealed.length < 16) throw wrongPassword();
  return { ciphertext: sealed.subarray(0, sealed.length - 16), tag: sealed.subarray(sealed.length - 16) };
}
