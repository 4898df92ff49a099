// Decodes Google Authenticator's "Transfer accounts" links, otpauth-migration://offline?data=…,
// whose data is a base64 protobuf MigrationPayload (schema: Aegis's google_auth.proto, also used
// by scito/extract_otp_secrets). One link is one QR code; a large export is a batch of several.
import { invalidInput, problem } from "../errors.js";
import { decodeBase64 } from "./byte-text.js";
import type { ItemDraft } from "./import-collector.js";
import { MAX_HOTP_COUNTER } from "../otp/types.js";
import { buildOtp } from "./otp-fields.js";
import { readProtoFields, toSigned, type ProtoField } from "./protobuf-reader.js";

/** Far more than a QR code holds (2,953 bytes), so a text export's one line per code always fits. */
export const MAX_MIGRATION_URI_LENGTH = 16_384;

export interface MigrationBatch {
  /** Each item is one encoded OtpParameters message. */
  readonly items: readonly Uint8Array[];
  readonly batchSize: number;
  readonly batchIndex: number;
  readonly batchId: number;
}

// MigrationPayload field numbers.
const PAYLOAD_OTP_PARAMETERS = 1;
const PAYLOAD_BATCH_SIZE = 3;
const PAYLOAD_BATCH_INDEX = 4;
const PAYLOAD_BATCH_ID = 5;
// MigrationPayload.OtpParameters field numbers.
const SECRET = 1;
const NAME = 2;
const ISSUER = 3;
const ALGORITHM = 4;
const DIGITS = 5;
const TYPE = 6;
const COUNTER = 7;

/** Algorithm enum: 0 unspecified (SHA1, as the app computes it), 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5. */
const ALGORITHMS: Readonly<Record<number, string>> = { 0: "SHA1", 1: "SHA1", 2: "SHA256", 3: "SHA512" };
/** DigitCount enum: 0 unspecified (6), 1 six, 2 eight. */
const DIGIT_COUNTS: Readonly<Record<number, number>> = { 0: 6, 1: 6, 2: 8 };
/** OtpType enum: 1 HOTP, 2 TOTP; 0 unspecified is read as TOTP, as Aegis's GoogleAuthInfo does. */
const TYPES: Readonly<Record<number, string>> = { 0: "totp", 1: "hotp", 2: "totp" };

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Reads one otpauth-migration:// link into its batch position and encoded items. */
export function readMigrationUri(uri: string): MigrationBatch {
  if (uri.length > MAX_MIGRATION_URI_LENGTH) {
    throw invalidInput(problem("import_migration_too_long", { max: MAX_MIGRATION_URI_LENGTH }), "uri");
  }
  const match = /^otpauth-migration:\/\/offline\?(.*)$/isu.exec(uri.trim());
  if (match === null) throw invalidInput(problem("import_migration_not_link"), "uri");
  const dataParameter = (match[1] ?? "").split("&").find((part) => part.toLowerCase().startsWith("data="));
  if (dataParameter === undefined) throw invalidInput(problem("import_migration_no_data"), "data");
  // Decoded by hand, not as a form: a literal '+' (some tools leave it unescaped) is base64, not a space.
  let encoded: string;
  try {
    encoded = decodeURIComponent(dataParameter.slice("data=".length));
  } catch {
    throw invalidInput(problem("import_migration_bad_percent"), "data");
  }
  const payload = decodeBase64(encoded);
  if (payload === undefined || payload.length === 0) throw invalidInput(problem("import_migration_not_base64"), "data");

  const items: Uint8Array[] = [];
  let batchSize = 1;
  let batchIndex = 0;
  let batchId = 0;
  for (const field of readProtoFields(payload)) {
    if (field.number === PAYLOAD_OTP_PARAMETERS && field.kind === "bytes") items.push(field.value);
    else if (field.kind === "varint" && field.number === PAYLOAD_BATCH_SIZE) batchSize = toInt32(field.value);
    else if (field.kind === "varint" && field.number === PAYLOAD_BATCH_INDEX) batchIndex = toInt32(field.value);
    else if (field.kind === "varint" && field.number === PAYLOAD_BATCH_ID) batchId = toInt32(field.value);
  }
  if (items.length === 0) throw invalidInput(problem("import_migration_empty"), "data");
  return { items, batchSize, batchIndex, batchId };
}

/** The issuer and account of an encoded item, for naming it even when the rest is invalid. */
export function readMigrationLabels(item: Uint8Array): { issuer: string | undefined; account: string | undefined } {
  try {
    const fields = readProtoFields(item);
    return splitName(text(fields, NAME), text(fields, ISSUER));
  } catch {
    return { issuer: undefined, account: undefined };
  }
}

export function readMigrationItem(item: Uint8Array): ItemDraft {
  const fields = readProtoFields(item);
  const secretField = last(fields, SECRET);
  if (secretField?.kind !== "bytes" || secretField.value.length === 0) throw invalidInput(problem("import_secret_missing"), "secret");
  const algorithm = ALGORITHMS[enumValue(fields, ALGORITHM)];
  if (algorithm === undefined) throw invalidInput(problem("import_migration_algorithm"), "algorithm");
  const digits = DIGIT_COUNTS[enumValue(fields, DIGITS)];
  if (digits === undefined) throw invalidInput(problem("import_migration_digits"), "digits");
  const type = TYPES[enumValue(fields, TYPE)];
  if (type === undefined) throw invalidInput(problem("import_migration_type"), "type");
  const counterField = last(fields, COUNTER);
  const counter = counterField?.kind === "varint" ? toSigned(counterField.value) : 0n;
  if (counter < 0n || counter > BigInt(MAX_HOTP_COUNTER)) {
    throw invalidInput(problem("import_migration_counter", { max: MAX_HOTP_COUNTER }), "counter");
  }
  const built = buildOtp({ type, secret: secretField.value, algorithm, digits, counter: Number(counter) });
  return { ...splitName(text(fields, NAME), text(fields, ISSUER)), otp: built.otp, warnings: built.warnings };
}

/**
 * Google Authenticator writes the issuer as its own field and often again as a prefix of the
 * name ("GitHub:alice"); the prefix is dropped when it repeats the issuer. A name without an
 * issuer stays whole, colon and all ("encoding: ¿äÄéÉ? (demo)" is one account name).
 */
function splitName(name: string | undefined, issuer: string | undefined): { issuer: string | undefined; account: string | undefined } {
  if (name !== undefined && issuer !== undefined && name.startsWith(`${issuer}:`)) {
    return { issuer, account: name.slice(issuer.length + 1).trim() || undefined };
  }
  return { issuer, account: name };
}

function last(fields: readonly ProtoField[], number: number): ProtoField | undefined {
  return fields.findLast((field) => field.number === number);
}

function enumValue(fields: readonly ProtoField[], number: number): number {
  const field = last(fields, number);
  if (field === undefined) return 0;
  if (field.kind !== "varint" || field.value > 1000n) return -1;
  return Number(field.value);
}

function text(fields: readonly ProtoField[], number: number): string | undefined {
  const field = last(fields, number);
  if (field?.kind !== "bytes") return undefined;
  try {
    return UTF8.decode(field.value).trim() || undefined;
  } catch {
    throw invalidInput(problem("import_migration_name_not_utf8"), "name");
  }
}

function toInt32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}
