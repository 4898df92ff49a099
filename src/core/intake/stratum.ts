// Reads Stratum (formerly Authenticator Pro) backups: plain JSON ({"Authenticators": [...]}), the
// encrypted .bin ("AUTHENTICATORPRO", salt 16, IV 12, AES-256-GCM under an Argon2id key with
// m = 64 MiB, t = 3, p = 4), the legacy encrypted .bin ("AuthenticatorPro", salt 20, IV 16,
// AES-256-CBC under PBKDF2-HMAC-SHA1 with 64,000 iterations), and the app's own database
// (authenticator.db3, table `authenticator`). Layouts as Aegis's StratumImporter reads them. The
// KDF parameters are constants of the app, still checked against KDF_CAPS like any other.
import { invalidInput, problem } from "../errors.js";
import { deriveArgon2Key, derivePbkdf2Key, openAesCbc, openAesGcm, passwordRequired, splitGcmTag, wrongPassword } from "./export-crypto.js";
import type { ForeignRow, FormatContext } from "./format-context.js";
import { hasSqliteSignature } from "./gauth-database.js";
import type { ItemDraft } from "./import-collector.js";
import { arrayMember, isJsonObject, parseBoundedJson, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtpAndZeroSecret, readBase32Secret } from "./otp-fields.js";

const TITLE = "Stratum";
const HEADER = Buffer.from("AUTHENTICATORPRO", "latin1");
const LEGACY_HEADER = Buffer.from("AuthenticatorPro", "latin1");
const ARGON2 = { memoryKib: 64 * 1024, iterations: 3, parallelism: 4 } as const;
const LEGACY_PBKDF2_ITERATIONS = 64_000;
/** Stratum's AuthenticatorType: 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex. */
const TYPES: Readonly<Record<number, "hotp" | "totp" | "steam" | undefined>> = { 1: "hotp", 2: "totp", 4: "steam" };
const UNSUPPORTED_TYPES: Readonly<Record<number, string>> = { 3: "mOTP", 5: "Yandex" };
/** Stratum's Algorithm enum, by index. */
const ALGORITHMS = ["SHA1", "SHA256", "SHA512"] as const;
const COLUMNS = ["type", "issuer", "username", "secret", "algorithm", "digits", "period", "counter"] as const;
/** The table of the app's database that holds the accounts. */
export const STRATUM_TABLE = "authenticator";

/** The first bytes of an encrypted Stratum backup, either layout. */
export function hasStratumHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, HEADER.length));
  return head.equals(HEADER) || head.equals(LEGACY_HEADER);
}

/** True for a plain Stratum backup: an object with an Authenticators list. */
export function isStratumShape(json: unknown): boolean {
  return isJsonObject(json) && Array.isArray(json["Authenticators"]);
}

/** The fields of one account, as the JSON backup and the database both name them (in any case). */
type Account = Readonly<Record<(typeof COLUMNS)[number], unknown>>;

export async function parseStratum(source: ImportSource, context: FormatContext): Promise<void> {
  const accounts = hasSqliteSignature(source.bytes) ? readDatabase(source.bytes, context) : readBackup(await openBackup(source, context));
  accounts.forEach((account, index) => {
    const labels = { issuer: stringMember(account, "issuer"), account: stringMember(account, "username") };
    context.collector.add(index, labels, () => readAccount(account, labels));
  });
}

async function openBackup(source: ImportSource, context: FormatContext): Promise<unknown> {
  if (!hasStratumHeader(source.bytes)) return source.json(TITLE);
  if (context.password === undefined) throw passwordRequired(TITLE);
  const data = Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
  const isLegacy = data.subarray(0, LEGACY_HEADER.length).equals(LEGACY_HEADER);
  const saltBytes = isLegacy ? 20 : 16;
  const ivBytes = isLegacy ? 16 : 12;
  const body = HEADER.length + saltBytes + ivBytes;
  if (data.length <= body + (isLegacy ? 0 : 16)) throw invalidInput(problem("import_stratum_cut_short", { format: TITLE }), "file");
  const salt = data.subarray(HEADER.length, HEADER.length + saltBytes);
  const iv = data.subarray(HEADER.length + saltBytes, body);
  const sealed = data.subarray(body);
  const key = isLegacy
    ? await derivePbkdf2Key(context.password, salt, LEGACY_PBKDF2_ITERATIONS, "sha1", TITLE)
    : Buffer.from(await deriveArgon2Key(context.password.reveal(), { type: "argon2id", hashLength: 32, ...ARGON2, salt }, TITLE));
  try {
    let plain: Buffer;
    if (isLegacy) {
      plain = openAesCbc(key, iv, sealed);
    } else {
      const { ciphertext, tag } = splitGcmTag(sealed);
      plain = openAesGcm(key, iv, ciphertext, tag);
    }
    try {
      return parseBoundedJson(plain.toString("utf8"));
    } catch {
      // CBC has no tag: a wrong password can leave valid padding over garbage.
      throw isLegacy ? wrongPassword() : invalidInput(problem("import_stratum_not_json", { format: TITLE }), "file");
    }
  } finally {
    key.fill(0);
  }
}

function readBackup(json: unknown): Account[] {
  const list = isJsonObject(json) ? arrayMember(json, "Authenticators") : undefined;
  if (list === undefined) throw invalidInput(problem("import_stratum_no_list", { format: TITLE }), "file");
  return list.map((item) => {
    const fields: JsonObject = isJsonObject(item) ? item : {};
    const field = (name: string): unknown => fields[name.charAt(0).toUpperCase() + name.slice(1)];
    return Object.fromEntries(COLUMNS.map((column) => [column, field(column)])) as Account;
  });
}

function readDatabase(bytes: Uint8Array, context: FormatContext): Account[] {
  if (context.readForeignTable === undefined) throw invalidInput(problem("import_app_database_needs_server"), "file");
  const rows = context.readForeignTable(bytes, { table: STRATUM_TABLE, columns: COLUMNS, maxRows: context.limits.maxEntries });
  if (rows === undefined) throw invalidInput(problem("import_stratum_db_no_table", { table: STRATUM_TABLE, format: TITLE }), "file");
  return rows.map((row: ForeignRow) => row as Account);
}

function readAccount(account: Account, labels: { issuer: string | undefined; account: string | undefined }): ItemDraft {
  const typeNumber = whole(account.type);
  const type = typeNumber === undefined ? undefined : TYPES[typeNumber];
  if (type === undefined) {
    const name = typeNumber === undefined ? undefined : UNSUPPORTED_TYPES[typeNumber];
    throw invalidInput(name === undefined ? problem("import_stratum_type_missing", { format: TITLE }) : problem("import_stratum_type_unsupported", { type: name }), "type");
  }
  const algorithm = ALGORITHMS[whole(account.algorithm) ?? 0];
  if (algorithm === undefined) throw invalidInput(problem("import_stratum_algorithm", { format: TITLE }), "algorithm");
  const { secret, warnings } = readBase32Secret(stringMember(account, "secret"));
  return { ...labels, ...buildOtpAndZeroSecret({ type, secret, algorithm, digits: whole(account.digits), period: whole(account.period), counter: whole(account.counter) }, warnings) };
}

/** A whole number, also from the text a database column may hold; NaN (refused by buildOtp) for anything else. */
function whole(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = typeof value === "number" ? value : typeof value === "string" && /^\s*\d{1,16}\s*$/u.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(number) ? number : Number.NaN;
}
