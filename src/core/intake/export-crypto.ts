// Opens password-encrypted exports: scrypt, PBKDF2 and Argon2id key derivation, AES-256-GCM and
// AES-256-CBC. Every KDF parameter is checked against KDF_CAPS before the KDF runs (ASVS 5.0 5.2:
// a hostile upload must not buy minutes of CPU or gigabytes of memory). Errors never hold the
// password or a key.
import { createDecipheriv, pbkdf2, scrypt } from "node:crypto";
import { invalidInput, type WatchwordError } from "../errors.js";
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
  /** Argon2 memory in bytes (KeePassXC's and Stratum's default is 64 MiB). */
  argon2MaxMemoryBytes: 512 * 1024 * 1024,
  /** Argon2 passes. */
  argon2MaxIterations: 100,
  /** Argon2 parallelism (lanes). */
  argon2MaxParallelism: 64,
  /** Argon2 total work: memory × passes, in bytes (64 MiB × 32). */
  argon2MaxWork: 2 * 1024 * 1024 * 1024,
});

export const wrongPassword = (): WatchwordError => invalidInput("The password is wrong, or the file is damaged.", "password");

export const passwordRequired = (formatTitle: string): WatchwordError =>
  invalidInput(`This ${formatTitle} file is encrypted: give its password.`, "password");

export const tooMuchWork = (formatTitle: string, what: string): WatchwordError =>
  invalidInput(`This ${formatTitle} file asks for ${what}, more key-derivation work than Watchword allows; it cannot be imported.`, "file");

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
    throw invalidInput(`This ${formatTitle} file has invalid scrypt parameters (N must be a power of two, r and p positive).`, "file");
  }
  if (n > KDF_CAPS.scryptMaxN) throw tooMuchWork(formatTitle, `scrypt with N = ${n} (at most 2^20)`);
  if (r * p > KDF_CAPS.scryptMaxRp) throw tooMuchWork(formatTitle, `scrypt with r × p = ${r * p} (at most ${KDF_CAPS.scryptMaxRp})`);
  if (n * r * p > KDF_CAPS.scryptMaxWork) throw tooMuchWork(formatTitle, `scrypt with N × r × p = ${n * r * p} (at most 2^23)`);
  // Node's default maxmem (32 MiB) refuses N = 2^15 with r = 8; allow what the caps allow.
  const maxmem = 128 * n * r + 128 * r * p + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, params.salt, 32, { N: n, r, p, maxmem }, (error, key) => {
      if (error) reject(invalidInput(`This ${formatTitle} file's scrypt parameters could not be used.`, "file"));
      else resolve(key);
    });
  });
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
    throw invalidInput(`This ${formatTitle} file declares an invalid number of key-derivation iterations.`, "file");
  }
  if (iterations > KDF_CAPS.pbkdf2MaxIterations) {
    throw tooMuchWork(formatTitle, `${iterations.toLocaleString("en-US")} PBKDF2 iterations (at most ${KDF_CAPS.pbkdf2MaxIterations.toLocaleString("en-US")})`);
  }
  return new Promise((resolve, reject) => {
    pbkdf2(password.reveal(), salt, iterations, 32, digest, (error, key) => {
      if (error) reject(invalidInput(`This ${formatTitle} file's key-derivation parameters could not be used.`, "file"));
      else resolve(key);
    });
  });
}

export interface Argon2Parameters {
  readonly memoryKib: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: Uint8Array;
}

/** Argon2id (RFC 9106) to a 32-byte key, after checking memory, passes and lanes against KDF_CAPS. */
export async function deriveArgon2idKey(password: Secret, params: Argon2Parameters, formatTitle: string): Promise<Buffer> {
  const { memoryKib, iterations, parallelism } = params;
  if (![memoryKib, iterations, parallelism].every((value) => Number.isSafeInteger(value) && value >= 1)) {
    throw invalidInput(`This ${formatTitle} file has invalid Argon2 parameters.`, "file");
  }
  const memoryBytes = memoryKib * 1024;
  if (memoryBytes > KDF_CAPS.argon2MaxMemoryBytes) throw tooMuchWork(formatTitle, `Argon2 with ${Math.ceil(memoryKib / 1024)} MiB of memory`);
  if (iterations > KDF_CAPS.argon2MaxIterations) throw tooMuchWork(formatTitle, `Argon2 with ${iterations} passes`);
  if (parallelism > KDF_CAPS.argon2MaxParallelism) throw tooMuchWork(formatTitle, `Argon2 with ${parallelism} lanes`);
  if (memoryBytes * iterations > KDF_CAPS.argon2MaxWork) throw tooMuchWork(formatTitle, `Argon2 with ${Math.ceil(memoryKib / 1024)} MiB × ${iterations} passes`);
  // Loaded on first use: node-argon2 is a native module that only these imports need.
  const { default: argon2 } = await import("argon2");
  try {
    return await argon2.hash(password.reveal(), {
      raw: true,
      type: argon2.argon2id,
      salt: Buffer.from(params.salt),
      memoryCost: memoryKib,
      timeCost: iterations,
      parallelism,
      hashLength: 32,
    });
  } catch {
    throw invalidInput(`This ${formatTitle} file's Argon2 parameters could not be used.`, "file");
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

/** Splits Java's GCM output (ciphertext followed by its 16-byte tag), as 2FAS and andOTP write it. */
export function splitGcmTag(sealed: Uint8Array): { ciphertext: Uint8Array; tag: Uint8Array } {
  if (sealed.length < 16) throw wrongPassword();
  return { ciphertext: sealed.subarray(0, sealed.length - 16), tag: sealed.subarray(sealed.length - 16) };
}
