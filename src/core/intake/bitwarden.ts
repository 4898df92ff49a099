// Reads Bitwarden's exports, JSON and CSV, keeping the logins that carry a TOTP (login.totp /
// login_totp: an otpauth:// link, a steam:// link or a bare base32 key — Bitwarden's own TotpService
// accepts all three). Logins without one hold no seed and are skipped, not reported. A password-
// protected JSON export is opened with its password; an account-restricted one (sealed with the
// account's key, which never leaves Bitwarden) is refused with a sentence saying how to export.
import { createHash } from "node:crypto";
import { invalidInput, problem, type WatchwordError } from "../errors.js";
import { itemLabel } from "../problems/import-preview.js";
import { parseOtpauthUri, parseSetupKey } from "../otp/otpauth-uri.js";
import type { Secret } from "../secret.js";
import { decodeBase64 } from "./byte-text.js";
import { readCsvRows } from "./csv-rows.js";
import { deriveArgon2Key, derivePbkdf2Key, expandHkdfSha256, isWrongPassword, openAesCbcHmacSha256, passwordRequired } from "./export-crypto.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { arrayMember, isJsonObject, numberMember, objectMember, parseBoundedJson, stringMember, type ImportSource, type JsonObject } from "./import-source.js";

const TITLE = "Bitwarden";
/** Bitwarden's item type for a login (CipherType.Login). */
const LOGIN_TYPE = 1;

interface BitwardenLogin {
  readonly title: string | undefined;
  readonly totp: string | undefined;
  readonly folder: string | undefined;
  readonly notes: string | undefined;
  readonly url: string | undefined;
  readonly username: string | undefined;
}

/** True for the shape of a Bitwarden JSON export: an item list and an `encrypted` flag. */
export function isBitwardenShape(json: unknown): boolean {
  return isJsonObject(json) && typeof json["encrypted"] === "boolean" && (Array.isArray(json["items"]) || json["encrypted"] === true);
}

/** True for a Bitwarden CSV export: a header row naming login_totp among its columns. */
export function isBitwardenCsvText(text: string): boolean {
  const firstLine = text.slice(0, 1024).split(/\r?\n/u, 1)[0] ?? "";
  return /(^|,)"?login_totp"?(,|$)/u.test(firstLine) && /(^|,)"?name"?(,|$)/u.test(firstLine);
}

export async function parseBitwarden(source: ImportSource, context: FormatContext): Promise<void> {
  const text = source.requireText(TITLE);
  const logins = source.looksLikeJson ? readJsonLogins(await readJsonExport(source.json(TITLE), context.password)) : readCsvLogins(text);
  logins.forEach((login, index) => {
    context.collector.add(index, login.title === undefined ? itemLabel("item", index + 1) : { title: login.title }, () => readLogin(login));
  });
}

function readLogin(login: BitwardenLogin): ItemDraft | undefined {
  const { totp, ...labels } = login;
  if (totp === undefined) return undefined;
  const intake = /^[a-z][a-z0-9+.-]*:/iu.test(totp) ? parseOtpauthUri(totp) : parseSetupKey(totp);
  return { ...labels, issuer: intake.issuer, account: intake.account, otp: intake.otp, warnings: intake.warnings };
}

/** The plain export: the file itself, or what its password-protected data holds. */
async function readJsonExport(root: unknown, password: Secret | undefined): Promise<JsonObject> {
  if (!isJsonObject(root) || !isBitwardenShape(root)) throw invalidInput(problem("import_bitwarden_not_export"), "file");
  if (root["encrypted"] !== true) return root;
  const inner = await openPasswordProtected(root, password);
  // What Bitwarden seals is the unencrypted export; anything else (another encrypted one) is not.
  if (!isJsonObject(inner) || inner["encrypted"] !== false || !Array.isArray(inner["items"])) throw damaged("data");
  return inner;
}

function readJsonLogins(root: JsonObject): BitwardenLogin[] {
  const folders = new Map<string, string>();
  for (const folder of arrayMember(root, "folders") ?? []) {
    if (!isJsonObject(folder)) continue;
    const id = stringMember(folder, "id");
    const name = stringMember(folder, "name");
    if (id !== undefined && name !== undefined) folders.set(id, name);
  }
  return (arrayMember(root, "items") ?? []).map((entry) => {
    const item: JsonObject = isJsonObject(entry) ? entry : {};
    const login = item["type"] === LOGIN_TYPE || item["type"] === undefined ? (objectMember(item, "login") ?? {}) : {};
    const firstUri = (arrayMember(login, "uris") ?? []).find(isJsonObject);
    const folderId = stringMember(item, "folderId");
    return {
      title: stringMember(item, "name"),
      totp: stringMember(login, "totp"),
      folder: folderId === undefined ? undefined : folders.get(folderId),
      notes: stringMember(item, "notes"),
      url: firstUri === undefined ? undefined : stringMember(firstUri, "uri"),
      username: stringMember(login, "username"),
    };
  });
}

function readCsvLogins(text: string): BitwardenLogin[] {
  if (!isBitwardenCsvText(text)) throw invalidInput(problem("import_bitwarden_csv_no_totp"), "file");
  const [header = [], ...rows] = readCsvRows(text);
  const column = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const cell = (row: readonly string[], name: string): string | undefined => {
    const i = column.get(name);
    const value = i === undefined ? undefined : row[i]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  return rows.map((row) => ({
    title: cell(row, "name"),
    totp: cell(row, "type") === undefined || cell(row, "type") === "login" ? cell(row, "login_totp") : undefined,
    // Organisation exports name the collection where personal ones name the folder.
    folder: cell(row, "folder") ?? cell(row, "collections"),
    notes: cell(row, "notes"),
    // Several URIs are joined by commas inside the one cell; the first is the login's address.
    url: cell(row, "login_uri")?.split(",")[0]?.trim(),
    username: cell(row, "login_username"),
  }));
}

// Password-protected JSON exports, as Bitwarden's clients write them (EncryptedExportType
// FileEncrypted; IndividualVaultExportService and KeyService.makePinKey): a key from the password
// and the salt text by PBKDF2-SHA256 or Argon2id (salt = SHA-256 of the text, memory in MiB),
// stretched by HKDF-Expand into an encryption and a MAC key; the fields are EncStrings of type 2.

/** Bitwarden's KdfType. */
const KDF_PBKDF2_SHA256 = 0;
const KDF_ARGON2ID = 1;
/** EncryptionType.AesCbc256_HmacSha256_B64: "2.iv|ciphertext|mac", the one type exports use. */
const AES_CBC_HMAC = "2";

type EncStringField = "data" | "encKeyValidation_DO_NOT_EDIT";

interface EncString {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly mac: Buffer;
}

const damaged = (field: string): WatchwordError => invalidInput(problem("import_bitwarden_encrypted_damaged", { field }), "file");

async function openPasswordProtected(root: JsonObject, password: Secret | undefined): Promise<unknown> {
  if (root["passwordProtected"] !== true) throw invalidInput(problem("import_bitwarden_account_restricted"), "file");
  // Everything that can be checked without the password is, before any key is derived.
  const salt = root["salt"];
  if (typeof salt !== "string" || salt === "") throw damaged("salt");
  const validation = readEncString(root, "encKeyValidation_DO_NOT_EDIT");
  const data = readEncString(root, "data");
  if (password === undefined) throw passwordRequired(TITLE);

  const key = await deriveExportKey(root, salt, password);
  const keys = { enc: expandHkdfSha256(key, "enc"), mac: expandHkdfSha256(key, "mac") };
  key.fill(0);
  try {
    // The validation EncString holds nothing but tells a wrong password (its MAC fails) from a damaged file.
    openAesCbcHmacSha256(keys, validation.iv, validation.ciphertext, validation.mac).fill(0);
    const plain = openDataField(keys, data);
    try {
      return parseBoundedJson(plain.toString("utf8"));
    } catch {
      throw damaged("data");
    } finally {
      plain.fill(0);
    }
  } finally {
    keys.enc.fill(0);
    keys.mac.fill(0);
  }
}

/** The data sealed under the keys the validation field proved right: a failure now is a damaged file. */
function openDataField(keys: { readonly enc: Buffer; readonly mac: Buffer }, data: EncString): Buffer {
  try {
    return openAesCbcHmacSha256(keys, data.iv, data.ciphertext, data.mac);
  } catch (error) {
    throw isWrongPassword(error) ? damaged("data") : error;
  }
}

function readEncString(root: JsonObject, field: EncStringField): EncString {
  const text = root[field];
  if (typeof text !== "string") throw damaged(field);
  const dot = text.indexOf(".");
  const type = text.slice(0, Math.max(dot, 0));
  // Only a short number is said back: the field is the file's, and any text could be in it.
  if (!/^[0-9]{1,3}$/u.test(type)) throw damaged(field);
  if (type !== AES_CBC_HMAC) throw invalidInput(problem("import_bitwarden_cipher_unsupported", { field, value: type }), "file");
  const parts = text.slice(dot + 1).split("|");
  if (parts.length !== 3) throw damaged(field);
  const [iv, ciphertext, mac] = parts.map(decodeBase64);
  if (iv?.length !== 16 || ciphertext === undefined || ciphertext.length === 0 || ciphertext.length % 16 !== 0 || mac?.length !== 32) throw damaged(field);
  return { iv, ciphertext, mac };
}

/** The 32-byte key of the export's KDF, its parameters checked against the caps before it runs. */
async function deriveExportKey(root: JsonObject, salt: string, password: Secret): Promise<Uint8Array> {
  const kdfType = root["kdfType"];
  const iterations = numberMember(root, "kdfIterations") ?? Number.NaN;
  if (kdfType === KDF_PBKDF2_SHA256) return derivePbkdf2Key(password, Buffer.from(salt, "utf8"), iterations, "sha256", TITLE);
  if (kdfType !== KDF_ARGON2ID) throw invalidInput(problem("import_bitwarden_kdf_unknown"), "file");
  // Bitwarden writes whole MiB; the caps see bytes, where a fraction of a MiB would still be whole.
  const memoryMib = numberMember(root, "kdfMemory");
  if (memoryMib === undefined || !Number.isSafeInteger(memoryMib) || memoryMib < 1) throw invalidInput(problem("import_argon2_invalid", { format: TITLE }), "file");
  return deriveArgon2Key(
    password.reveal(),
    {
      type: "argon2id",
      memoryKib: memoryMib * 1024,
      iterations,
      parallelism: numberMember(root, "kdfParallelism") ?? Number.NaN,
      salt: createHash("sha256").update(salt, "utf8").digest(),
      hashLength: 32,
    },
    TITLE,
  );
}
