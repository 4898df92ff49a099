// Bounds what opening a KeePass database may cost before kdbxweb does the work (ASVS 5.0 5.2):
// the KDF parameters in the header (AES-KDF rounds; Argon2 memory, passes and lanes) are checked
// before any key is derived, and the compressed XML is measured, with a ceiling, before kdbxweb
// inflates it — a few megabytes of gzip can otherwise expand to gigabytes.
// Formats: KeePass's "KDBX 4" and "KDBX 3.1" specifications (keepass.info/help/kb/kdbx*.html).
import { gunzipSync } from "node:zlib";
import kdbxweb from "kdbxweb";
import { invalidInput, isWatchwordError, problem, type WatchwordError } from "../errors.js";
import { KDF_CAPS, checkArgon2Cost as checkArgon2Caps, deriveArgon2Key, tooMuchWork } from "./export-crypto.js";

const { BinaryStream, Consts, Int64, KdbxContext, KdbxHeader } = kdbxweb;
type Kdbx = InstanceType<typeof kdbxweb.Kdbx>;
type KdbxFormat = InstanceType<typeof kdbxweb.KdbxFormat>;

export const TITLE = "KeePass";
const MIB = 1024 * 1024;

export const damagedKeePass = (): WatchwordError => invalidInput(problem("import_keepass_damaged"), "file");

/** Reads the outer header (kdbxweb's reader; no key needed) and refuses a KDF that costs too much. */
export function checkKdfCost(data: ArrayBuffer, kdbx: Kdbx): void {
  let header: InstanceType<typeof KdbxHeader>;
  try {
    header = KdbxHeader.read(new BinaryStream(data), new KdbxContext({ kdbx }));
  } catch {
    throw damagedKeePass();
  }
  if (header.versionMajor < 4) {
    checkAesRounds(header.keyEncryptionRounds);
    return;
  }
  const params = header.kdfParameters;
  const uuid = params?.get("$UUID");
  if (params === undefined || !(uuid instanceof ArrayBuffer)) throw damagedKeePass();
  const kdf = Buffer.from(uuid).toString("base64");
  if (kdf === Consts.KdfId.Aes) {
    checkAesRounds(toNumber(params.get("R")));
  } else if (kdf === Consts.KdfId.Argon2d || kdf === Consts.KdfId.Argon2id) {
    checkArgon2Cost(toNumber(params.get("M")), toNumber(params.get("I")), toNumber(params.get("P")));
  } else {
    throw invalidInput(problem("import_keepass_kdf_unknown"), "file");
  }
}

function checkAesRounds(rounds: number | undefined): void {
  if (rounds === undefined || !Number.isSafeInteger(rounds) || rounds < 1) throw damagedKeePass();
  if (rounds > KDF_CAPS.aesKdfMaxRounds) {
    throw tooMuchWork(problem("import_kdf_aes_rounds", { format: TITLE, value: rounds, max: KDF_CAPS.aesKdfMaxRounds }));
  }
}

/** Memory in bytes, as KDBX 4 stores it. */
function checkArgon2Cost(memory: number | undefined, iterations: number | undefined, parallelism: number | undefined): void {
  if ([memory, iterations, parallelism].some((value) => value === undefined || !Number.isSafeInteger(value) || value < 1)) throw damagedKeePass();
  checkArgon2Caps(memory, iterations, parallelism, TITLE);
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value instanceof Int64) return value.value;
  return undefined;
}

/** KDBX 4's Argon2 version field: 1.3, what KeePass 2.35 and later and KeePassXC write. */
const ARGON2_VERSION_13 = 0x13;

/**
 * kdbxweb leaves Argon2 to the application (CryptoEngine.setArgon2Impl); this derives the key in
 * export-crypto.ts (on this thread, never on libuv's pool). It re-checks the cost itself, so no
 * path into kdbxweb can bypass the caps.
 */
export function installArgon2(): void {
  kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memoryKib, iterations, length, parallelism, type, version) => {
    checkArgon2Cost(memoryKib * 1024, iterations, parallelism);
    if (version !== ARGON2_VERSION_13) throw invalidInput(problem("import_keepass_argon2_10"), "file");
    const key = await deriveArgon2Key(
      new Uint8Array(password),
      { type: type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? "argon2id" : "argon2d", memoryKib, iterations, parallelism, salt: new Uint8Array(salt), hashLength: length },
      TITLE,
    );
    return key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer;
  });
}

type DecryptData = (data: ArrayBuffer, cipherKey: ArrayBuffer) => Promise<ArrayBuffer>;

/**
 * Wraps this one KdbxFormat's decryptData (the step before kdbxweb inflates) so the gzip payload
 * is first inflated here with Node's zlib and a ceiling; an instance property, not a global patch.
 */
export function limitInflatedSize(format: KdbxFormat, kdbx: Kdbx, maxBytes: number): void {
  const target = format as unknown as { decryptData: DecryptData };
  const decrypt = target.decryptData.bind(format);
  target.decryptData = async (data, cipherKey) => {
    const plain = await decrypt(data, cipherKey);
    if (kdbx.header.compression !== Consts.CompressionAlgorithm.GZip) return plain;
    const gzip = kdbx.header.versionMajor >= 4 ? new Uint8Array(plain) : unwrapV3Blocks(plain, kdbx);
    // undefined: a wrong key for KDBX 3, which kdbxweb itself reports as such.
    if (gzip !== undefined) measureGzip(gzip, maxBytes);
    return plain;
  };
}

function measureGzip(gzip: Uint8Array, maxBytes: number): void {
  try {
    gunzipSync(gzip, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw invalidInput(
        problem("import_keepass_too_large", { size: (maxBytes / MIB).toLocaleString("en-US", { maximumFractionDigits: 1 }) }),
        "file",
      );
    }
    if (isWatchwordError(error)) throw error;
    throw damagedKeePass();
  }
}

/** KDBX 3.1: stream start bytes, then hashed blocks (index, SHA-256, length, data) ending with length 0. */
function unwrapV3Blocks(plain: ArrayBuffer, kdbx: Kdbx): Uint8Array | undefined {
  const startBytes = kdbx.header.streamStartBytes;
  const data = Buffer.from(plain);
  if (startBytes === undefined || data.length < startBytes.byteLength || !data.subarray(0, startBytes.byteLength).equals(Buffer.from(startBytes))) {
    return undefined;
  }
  const blocks: Buffer[] = [];
  let offset = startBytes.byteLength;
  for (;;) {
    if (offset + 40 > data.length) throw damagedKeePass();
    const length = data.readUInt32LE(offset + 36);
    offset += 40;
    if (length === 0) return Buffer.concat(blocks);
    if (length > data.length - offset) throw damagedKeePass();
    blocks.push(data.subarray(offset, offset + length));
    offset += length;
  }
}
