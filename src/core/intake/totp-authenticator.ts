// Reads TOTP Authenticator (com.authenticator.authservice2) backups: the encrypted .bin (base64 of
// AES-256-CBC with a zero IV under SHA-256 of the password — the app's own scheme, no KDF to cap —
// holding {"<JSON list of accounts>": "<time>"}), and the app's preferences file
// (TOTP_Authenticator_Preferences.xml, the list in STATIC_TOTP_CODES_LIST). An account holds its
// key in base 16, 32 or 64, an issuer, a name, and digits and period as text; the app records no
// algorithm, so SHA-1 is assumed. Layout as Aegis's TotpAuthenticatorImporter reads it.
import { createHash } from "node:crypto";
import { invalidInput, isWatchwordError, problem, type ProblemText } from "../errors.js";
import { Secret } from "../secret.js";
import { decodeBase64, decodeHex } from "./byte-text.js";
import { openAesCbc, passwordRequired, wrongPassword } from "./export-crypto.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { isJsonObject, numberMember, parseBoundedJson, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtpAndZeroSecret, readBase32Secret } from "./otp-fields.js";
import { looksLikeSharedPreferences, preferenceValue, readSharedPreferences } from "./shared-preferences.js";

const TITLE = "TOTP Authenticator";
const PREFERENCE = "STATIC_TOTP_CODES_LIST";
/** What the app encrypts a backup with when the person sets no password of their own. */
const APP_DEFAULT_PASSWORD = "TotpAuthenticator";

/** True for the app's preferences file: a <map> that names the account list. */
export function isTotpAuthenticatorPreferences(text: string): boolean {
  return looksLikeSharedPreferences(text) && text.includes(`name="${PREFERENCE}"`);
}

/** True for text that is nothing but base64 of whole AES blocks, which is what the app's backup is. */
export function looksLikeTotpAuthenticatorBackup(text: string): boolean {
  const compact = text.trim();
  if (compact.length < 24 || !/^[A-Za-z0-9+/\r\n]+={0,2}$/u.test(compact)) return false;
  const bytes = decodeBase64(compact);
  return bytes !== undefined && bytes.length >= 16 && bytes.length % 16 === 0;
}

export async function parseTotpAuthenticator(source: ImportSource, context: FormatContext): Promise<void> {
  const text = source.requireText(TITLE);
  const accounts = isTotpAuthenticatorPreferences(text) ? readPreferences(source, text) : decryptBackup(text, context);
  accounts.forEach((item, index) => {
    const fields: JsonObject = isJsonObject(item) ? item : {};
    const labels = { issuer: stringMember(fields, "issuer"), account: stringMember(fields, "name") };
    context.collector.add(index, labels, () => readAccount(fields, labels));
  });
  return Promise.resolve();
}

function readPreferences(source: ImportSource, text: string): readonly unknown[] {
  const list = preferenceValue(readSharedPreferences(source, text), PREFERENCE);
  if (list === undefined) throw invalidInput(problem("import_totp_auth_no_preference", { preference: PREFERENCE, format: TITLE }), "file");
  return accountList(parseBoundedJson(list));
}

function decryptBackup(text: string, context: FormatContext): readonly unknown[] {
  const sealed = decodeBase64(text);
  if (sealed === undefined || sealed.length === 0 || sealed.length % 16 !== 0) throw invalidInput(problem("import_totp_auth_not_sealed", { format: TITLE }), "file");
  const given = context.password;
  // Without a password, try the app's default one: most backups are made without a password of one's own.
  const password = given ?? Secret.fromUtf8(APP_DEFAULT_PASSWORD);
  const key = createHash("sha256").update(password.reveal()).digest();
  try {
    const plain = openAesCbc(key, Buffer.alloc(16), sealed);
    const wrapper = parseBoundedJson(plain.toString("utf8"));
    const first = isJsonObject(wrapper) ? Object.keys(wrapper)[0] : undefined;
    if (first === undefined) throw wrongPassword();
    return accountList(parseBoundedJson(first));
  } catch (error) {
    // CBC has no tag: a wrong key shows as bad padding or as garbage that is not this JSON.
    if (given === undefined) throw passwordRequired(TITLE);
    if (isWatchwordError(error) && error.details.field === "password") throw error;
    throw wrongPassword();
  } finally {
    key.fill(0);
    if (given === undefined) password.destroy();
  }
}

function accountList(json: unknown): readonly unknown[] {
  if (!Array.isArray(json)) throw invalidInput(problem("import_totp_auth_list_damaged", { format: TITLE }), "file");
  return json;
}

function readAccount(item: JsonObject, labels: { issuer: string | undefined; account: string | undefined }): ItemDraft {
  const secret = readKey(item);
  return { ...labels, ...buildOtpAndZeroSecret({ type: "totp", secret: secret.bytes, digits: numberMember(item, "digits"), period: numberMember(item, "period") }, secret.warnings) };
}

function readKey(item: JsonObject): { bytes: Buffer; warnings: ProblemText[] } {
  const key = stringMember(item, "key");
  const base = numberMember(item, "base");
  if (base === 32) {
    const { secret, warnings } = readBase32Secret(key);
    return { bytes: secret, warnings };
  }
  if (key === undefined) throw invalidInput(problem("import_secret_missing"), "secret");
  const bytes = base === 16 ? decodeHex(key) : base === 64 ? decodeBase64(key) : undefined;
  if (base !== 16 && base !== 64) throw invalidInput(problem("import_totp_auth_base", { base: base ?? "(none)", format: TITLE }), "base");
  if (bytes === undefined || bytes.length === 0) throw invalidInput(problem("import_totp_auth_secret", { base }), "secret");
  return { bytes, warnings: [] };
}
