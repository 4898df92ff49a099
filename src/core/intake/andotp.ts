// Reads andOTP backups: plain JSON (an array of entries) and the encrypted .json.aes/.bin form,
// laid out as iterations (4 bytes, big-endian) + salt (12) + nonce (12) + ciphertext + GCM tag
// (16), sealed with AES-256-GCM under a PBKDF2-HMAC-SHA1 key (andOTP's BackupHelper; Aegis's
// AndOtpImporter). The iteration count comes from the file and is capped before use. The older
// encrypted form (before andOTP 0.6.3) is nonce (12) + ciphertext + tag (16) under SHA-256 of the
// password; neither form has a magic number, so a file that fails as one is tried as the other.
import { createHash } from "node:crypto";
import { invalidInput, isWatchwordError, problem } from "../errors.js";
import { derivePbkdf2Key, openAesGcm, passwordRequired, splitGcmTag, wrongPassword } from "./export-crypto.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { isJsonObject, numberMember, parseBoundedJson, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtp, readBase32Secret } from "./otp-fields.js";
import type { Secret } from "../secret.js";

const TITLE = "andOTP";
const SALT_BYTES = 12;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 4 + SALT_BYTES + NONCE_BYTES;
/** Aegis's own sanity bound: a larger count means the file is not andOTP's (andOTP picks 140,000–160,000). */
const PLAUSIBLE_ITERATIONS = 10_000_000;

/** True for a plain andOTP backup: a JSON array of objects with a secret and a type. */
export function isAndOtpShape(json: unknown): boolean {
  return Array.isArray(json) && json.length > 0 && json.every((item) => isJsonObject(item) && typeof item["secret"] === "string");
}

/** True for bytes laid out like an encrypted andOTP backup (there is no magic number to check). */
export function looksLikeEncryptedAndOtp(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER_BYTES + TAG_BYTES) return false;
  const iterations = Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32BE(0);
  return iterations >= 1 && iterations <= PLAUSIBLE_ITERATIONS;
}

/** Long enough for the old encrypted form: a nonce, a tag and at least "[]" between them. */
export const looksLikeOldEncryptedAndOtp = (bytes: Uint8Array): boolean => bytes.length >= NONCE_BYTES + 2 + TAG_BYTES;

export async function parseAndOtp(source: ImportSource, context: FormatContext): Promise<void> {
  const entries = source.looksLikeJson ? source.json(TITLE) : await decryptBackup(source.bytes, context);
  if (!Array.isArray(entries)) throw invalidInput(problem("import_andotp_not_backup"), "file");
  entries.forEach((item, index) => {
    const fields = isJsonObject(item) ? item : {};
    const labels = readLabels(fields);
    context.collector.add(index, labels, () => readEntry(fields, labels));
  });
}

/**
 * andOTP before 0.6 had no issuer field and wrote "Issuer - account" as the label (Aegis's
 * importer), where the account part was often the whole otpauth label "Issuer:account" again.
 */
function readLabels(item: JsonObject): { issuer: string | undefined; account: string | undefined } {
  const label = stringMember(item, "label");
  let issuer = stringMember(item, "issuer");
  let account = label;
  if (!("issuer" in item) && label !== undefined) {
    const separator = label.indexOf(" - ");
    if (separator >= 0) {
      issuer = label.slice(0, separator).trim() || undefined;
      account = label.slice(separator + 3).trim() || undefined;
    }
  }
  if (issuer !== undefined && account?.startsWith(`${issuer}:`) === true) account = account.slice(issuer.length + 1).trim() || undefined;
  return { issuer, account };
}

function readEntry(item: JsonObject, labels: { issuer: string | undefined; account: string | undefined }): ItemDraft {
  const { secret, warnings } = readBase32Secret(stringMember(item, "secret"));
  const built = buildOtp({
    type: stringMember(item, "type"),
    secret,
    algorithm: stringMember(item, "algorithm"),
    digits: numberMember(item, "digits"),
    period: numberMember(item, "period"),
    counter: numberMember(item, "counter"),
  });
  secret.fill(0);
  const tags = Array.isArray(item["tags"]) ? item["tags"].filter((tag) => typeof tag === "string") : [];
  return { ...labels, otp: built.otp, tags, warnings: [...warnings, ...built.warnings] };
}

async function decryptBackup(bytes: Uint8Array, context: FormatContext): Promise<unknown> {
  const isCurrentLayout = looksLikeEncryptedAndOtp(bytes);
  if (!isCurrentLayout && !looksLikeOldEncryptedAndOtp(bytes)) throw invalidInput(problem("import_andotp_not_backup"), "file");
  const { password } = context;
  if (password === undefined) {
    if (isCurrentLayout) throw passwordRequired(TITLE);
    // Field "file": most binary files without a signature are no export at all, so this sentence,
    // not a password prompt, is what the person should see first.
    throw invalidInput(problem("import_andotp_maybe_old"), "file");
  }
  if (isCurrentLayout) {
    try {
      return await decryptCurrentLayout(bytes, password);
    } catch (error) {
      // The old layout's random nonce can look like a plausible iteration count (1 time in 400).
      if (!isWatchwordError(error) || error.details.field !== "password") throw error;
    }
  }
  return decryptOldLayout(bytes, password);
}

/** Before andOTP 0.6.3: the key is SHA-256 of the password, with no salt and no iterations. */
function decryptOldLayout(bytes: Uint8Array, password: Secret): unknown {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const key = createHash("sha256").update(password.reveal()).digest();
  try {
    const { ciphertext, tag } = splitGcmTag(data.subarray(NONCE_BYTES));
    const plain = openAesGcm(key, data.subarray(0, NONCE_BYTES), ciphertext, tag);
    return parseBoundedJson(plain.toString("utf8"));
  } catch (error) {
    throw isWatchwordError(error) ? error : wrongPassword();
  } finally {
    key.fill(0);
  }
}

async function decryptCurrentLayout(bytes: Uint8Array, password: Secret): Promise<unknown> {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const iterations = data.readUInt32BE(0);
  const salt = data.subarray(4, 4 + SALT_BYTES);
  const nonce = data.subarray(4 + SALT_BYTES, HEADER_BYTES);
  const ciphertext = data.subarray(HEADER_BYTES, data.length - TAG_BYTES);
  const tag = data.subarray(data.length - TAG_BYTES);
  const key = await derivePbkdf2Key(password, salt, iterations, "sha1", TITLE);
  try {
    return parseBoundedJson(openAesGcm(key, nonce, ciphertext, tag).toString("utf8"));
  } finally {
    key.fill(0);
  }
}
