// Opens FreeOTP 2's encrypted backup: a Java-serialized map of strings. "masterKey" holds the
// master key sealed with AES-256-GCM under PBKDF2-HMAC-SHA1 or -SHA512 of the backup password;
// each token's "<uuid>" holds its seed sealed by the master key, "<uuid>-token" its parameters in
// clear. Every seal authenticates its mToken as associated data. The iteration count comes from
// the file and is capped before use. Sources: Aegis's FreeOtpImporter; freeotp/freeotp-android.
import { invalidInput, isWatchwordError, problem } from "../errors.js";
import { derivePbkdf2Key, openAesGcm, passwordRequired, splitGcmTag } from "./export-crypto.js";
import type { FormatContext } from "./format-context.js";
import { readFreeOtpLabels, readFreeOtpToken, readSignedBytes } from "./freeotp-plus.js";
import { isJsonObject, numberMember, objectMember, parseBoundedJson, stringMember, type JsonObject } from "./import-source.js";
import { readJavaStringMap } from "./java-serialized-map.js";

const TITLE = "FreeOTP";
const MASTER_KEY = "masterKey";
const TOKEN_SUFFIX = "-token";
const CIPHER = "AES/GCM/NoPadding";
const DIGESTS: Readonly<Record<string, "sha1" | "sha512">> = { pbkdf2withhmacsha1: "sha1", pbkdf2withhmacsha512: "sha512" };


interface Sealed {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
  readonly nonce: Uint8Array;
  /** mToken, authenticated with the ciphertext. */
  readonly aad: Buffer;
}

export async function readFreeOtpBackup(bytes: Uint8Array, context: FormatContext): Promise<void> {
  // Each token takes two entries (seed and parameters); one more for the master key.
  const map = new Map(readJavaStringMap(bytes, 2 * context.limits.maxEntries + 1, TITLE));
  const master = readJson(map.get(MASTER_KEY));
  if (master === undefined) throw invalidInput(problem("import_freeotp_no_master_key"), "file");
  const digest = DIGESTS[stringMember(master, "mAlgorithm")?.toLowerCase() ?? ""];
  if (digest === undefined) throw invalidInput(problem("import_freeotp_digest_unknown"), "file");
  const sealedKey = readSealed(objectMember(master, "mEncryptedKey"));
  if (sealedKey === undefined) throw invalidInput(problem("import_freeotp_master_key_unreadable"), "file");
  const salt = readBytes(master["mSalt"]);
  if (salt === undefined) throw invalidInput(problem("import_freeotp_salt_unreadable"), "file");
  if (context.password === undefined) throw passwordRequired(TITLE);

  const key = await derivePbkdf2Key(context.password, salt, numberMember(master, "mIterations") ?? 0, digest, TITLE);
  let masterKey: Buffer;
  try {
    masterKey = openAesGcm(key, sealedKey.nonce, sealedKey.ciphertext, sealedKey.tag, sealedKey.aad);
  } finally {
    key.fill(0);
  }
  try {
    if (masterKey.length !== 32) throw invalidInput(problem("import_freeotp_master_key_size"), "file");
    let index = 0;
    for (const [name, value] of map) {
      if (name === MASTER_KEY || name.endsWith(TOKEN_SUFFIX)) continue;
      const token = readJson(map.get(`${name}${TOKEN_SUFFIX}`));
      const labels = token === undefined ? { issuer: undefined, account: undefined } : readFreeOtpLabels(token);
      const itemIndex = index++;
      context.collector.add(itemIndex, labels, () => {
        if (token === undefined) throw invalidInput(problem("import_freeotp_token_unreadable"), "token");
        return readFreeOtpToken(token, labels, openSeed(value, masterKey), "next");
      });
    }
  } finally {
    masterKey.fill(0);
  }
}

/** A token's seed, opened with the master key; its failure is the token's problem, not the file's. */
function openSeed(value: string, masterKey: Buffer): Buffer {
  const wrapper = readJson(value);
  const sealed = readSealed(readJson(wrapper === undefined ? undefined : stringMember(wrapper, "key")));
  if (sealed === undefined) throw invalidInput(problem("import_freeotp_seed_unreadable"), "secret");
  try {
    return openAesGcm(masterKey, sealed.nonce, sealed.ciphertext, sealed.tag, sealed.aad);
  } catch (error) {
    if (!isWatchwordError(error)) throw error;
    throw invalidInput(problem("import_freeotp_seed_not_opened"), "secret");
  }
}

/** An AES-GCM seal as FreeOTP's EncryptedKey writes it: cipher name, bytes, DER parameters, token. */
function readSealed(object: JsonObject | undefined): Sealed | undefined {
  if (object === undefined || stringMember(object, "mCipher") !== CIPHER) return undefined;
  const sealedBytes = readBytes(object["mCipherText"]);
  const parameters = readBytes(object["mParameters"]);
  const aad = object["mToken"];
  if (sealedBytes === undefined || parameters === undefined || typeof aad !== "string") return undefined;
  const nonce = readGcmNonce(parameters);
  if (nonce === undefined || sealedBytes.length < 16) return undefined;
  return { ...splitGcmTag(sealedBytes), nonce, aad: Buffer.from(aad, "utf8") };
}

/**
 * The nonce in Java's encoded GCMParameterSpec: DER SEQUENCE { OCTET STRING nonce, INTEGER tag
 * length } (RFC 5084 §3.2, GCMParameters), or, as older Android writes it, the OCTET STRING alone.
 * Short-form lengths only: a nonce is 12 bytes.
 */
function readGcmNonce(der: Buffer): Buffer | undefined {
  const octets = (at: number): Buffer | undefined => {
    const length = der[at + 1];
    if (der[at] !== 0x04 || length === undefined || length > 0x7f || at + 2 + length > der.length) return undefined;
    return der.subarray(at + 2, at + 2 + length);
  };
  if (der[0] === 0x04) return der.length === 2 + (der[1] ?? 0) ? octets(0) : undefined;
  if (der[0] === 0x30 && der[1] === der.length - 2) return octets(2);
  return undefined;
}

function readBytes(value: unknown): Buffer | undefined {
  try {
    return readSignedBytes(value);
  } catch (error) {
    if (!isWatchwordError(error)) throw error;
    return undefined;
  }
}

function readJson(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  try {
    const value = parseBoundedJson(text);
    return isJsonObject(value) ? value : undefined;
  } catch (error) {
    if (!isWatchwordError(error)) throw error;
    return undefined;
  }
}
