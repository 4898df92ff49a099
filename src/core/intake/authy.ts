// Reads Authy's token files from a rooted phone (shared_prefs/com.authy.storage.tokens.
// authenticator.xml and …tokens.authy.xml): a JSON list of tokens inside an Android preference.
// Authenticator tokens hold a base32 seed, in clear (decryptedSecret) or sealed by the backup
// password (encryptedSecret): AES-256-CBC, zero IV, under PBKDF2-HMAC-SHA1 of 1,000 iterations
// salted by the token's own salt text (Aegis's AuthyImporter). Authy's own tokens (secretSeed, hex)
// give 10-second codes. Authy keeps no algorithm or period: SHA-1 and 30 s (10 s for its own).
import { invalidInput, isWatchwordError, problem, type ProblemText } from "../errors.js";
import { decodeBase64, decodeHex } from "./byte-text.js";
import { derivePbkdf2Key, KDF_CAPS, openAesCbc, passwordRequired, tooMuchWork, wrongPassword } from "./export-crypto.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { isJsonObject, numberMember, parseBoundedJson, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtpAndZeroSecret, readBase32Secret } from "./otp-fields.js";
import { looksLikeSharedPreferences, readSharedPreferences, type Preference } from "./shared-preferences.js";

const TITLE = "Authy";
const TOKEN_KEYS = ["com.authy.storage.tokens.authenticator.key", "com.authy.storage.tokens.authy.key"];
/** Authy's constant, not a value read from the file; the file decides only how many tokens pay it. */
const PBKDF2_ITERATIONS = 1000;
const ZERO_IV = Buffer.alloc(16);
/** Authy's own tokens change every 10 seconds (Aegis's AuthyImporter). */
const AUTHY_PERIOD = 10;

/** True for an Authy token file: an Android preference file holding Authy's token list. */
export function isAuthyFile(source: ImportSource): boolean {
  const text = source.text;
  if (text === undefined || !looksLikeSharedPreferences(text)) return false;
  return readSharedPreferences(source, text).some(isTokenList);
}

const isTokenList = (preference: Preference): boolean => preference.kind === "string" && TOKEN_KEYS.includes(preference.name);

export async function parseAuthy(source: ImportSource, context: FormatContext): Promise<void> {
  const lists = readSharedPreferences(source, source.requireText(TITLE)).filter(isTokenList);
  if (lists.length === 0) throw invalidInput(problem("import_authy_not_tokens"), "file");
  const tokens: JsonObject[] = [];
  for (const { value } of lists) {
    const list = parseBoundedJson(value);
    if (!Array.isArray(list)) throw invalidInput(problem("import_authy_list_damaged"), "file");
    for (const item of list) tokens.push(isJsonObject(item) ? item : {});
  }
  const seeds = await decryptSeeds(tokens, context);
  tokens.forEach((token, index) => {
    const labels = readLabels(token);
    context.collector.add(index, labels, () => readToken(token, labels, seeds.get(index)));
  });
}

interface Labels {
  readonly issuer: string | undefined;
  readonly account: string | undefined;
}

/**
 * Authy shows "Issuer: account" as the name; the issuer is originalIssuer, else the part of
 * originalName before ':', else the part of the name before " - ", else the account type.
 */
function readLabels(token: JsonObject): Labels {
  const name = stringMember(token, "name");
  if (token["secretSeed"] !== undefined) return { issuer: name, account: undefined };
  const originalName = stringMember(token, "originalName");
  const accountType = stringMember(token, "accountType");
  const issuer =
    stringMember(token, "originalIssuer") ??
    (originalName?.includes(":") === true ? originalName.slice(0, originalName.indexOf(":")).trim() || undefined : undefined) ??
    (name?.includes(" - ") === true ? name.slice(0, name.indexOf(" - ")).trim() || undefined : undefined) ??
    (accountType === undefined ? undefined : accountType.charAt(0).toUpperCase() + accountType.slice(1));
  let account = name;
  if (issuer !== undefined && account !== undefined && account.startsWith(issuer)) {
    account = account.slice(issuer.length).replace(/^\s*(?::|-)\s*/u, "").trim() || undefined;
  }
  return { issuer, account };
}

function readToken(token: JsonObject, labels: Labels, decrypted: Buffer | undefined): ItemDraft {
  const seedHex = stringMember(token, "secretSeed");
  const isAuthyToken = token["secretSeed"] !== undefined;
  let secret: Buffer;
  let warnings: ProblemText[] = [];
  if (isAuthyToken) {
    const bytes = decodeHex(seedHex);
    if (bytes === undefined || bytes.length === 0) throw invalidInput(problem("import_authy_seed_not_hex"), "secret");
    secret = bytes;
  } else if (decrypted !== undefined) {
    ({ secret, warnings } = readBase32Secret(decrypted.toString("latin1")));
  } else if (token["encryptedSecret"] !== undefined && token["decryptedSecret"] === undefined) {
    throw invalidInput(problem("import_authy_seed_sealed_damaged"), "secret");
  } else {
    ({ secret, warnings } = readBase32Secret(stringMember(token, "decryptedSecret")));
  }
  return { ...labels, ...buildOtpAndZeroSecret({ type: "totp", secret, digits: numberMember(token, "digits"), period: isAuthyToken ? AUTHY_PERIOD : undefined }, warnings) };
}

/** The base32 text of every sealed seed, by token index; a wrong password fails the whole file. */
async function decryptSeeds(tokens: readonly JsonObject[], context: FormatContext): Promise<Map<number, Buffer>> {
  const sealed = tokens.flatMap((token, index) => (token["decryptedSecret"] === undefined && token["secretSeed"] === undefined && token["encryptedSecret"] !== undefined ? [index] : []));
  const seeds = new Map<number, Buffer>();
  if (sealed.length === 0) return seeds;
  if (context.password === undefined) throw passwordRequired(TITLE);
  const total = sealed.length * PBKDF2_ITERATIONS;
  if (total > KDF_CAPS.pbkdf2MaxIterations) {
    throw tooMuchWork(problem("import_kdf_pbkdf2_total", { format: TITLE, value: total, each: PBKDF2_ITERATIONS, max: KDF_CAPS.pbkdf2MaxIterations }));
  }
  let tried = 0;
  for (const index of sealed) {
    const token = tokens[index] ?? {};
    const ciphertext = decodeBase64(token["encryptedSecret"]);
    const salt = stringMember(token, "salt");
    // An unreadable seal is that account's damage (readToken says so), not a wrong password.
    if (ciphertext === undefined || salt === undefined) continue;
    tried++;
    // The salt is used as text, its UTF-8 bytes, not decoded (AuthyImporter).
    const key = await derivePbkdf2Key(context.password, Buffer.from(salt, "utf8"), PBKDF2_ITERATIONS, "sha1", TITLE);
    try {
      const text = openAesCbc(key, ZERO_IV, ciphertext);
      // CBC has no tag: a wrong key that passes the padding check still yields no base32 text.
      if (/^[A-Za-z2-7 =-]+$/u.test(text.toString("latin1"))) seeds.set(index, text);
      else text.fill(0);
    } catch (error) {
      if (!isWatchwordError(error)) throw error;
    } finally {
      key.fill(0);
    }
  }
  if (tried > 0 && seeds.size === 0) throw wrongPassword();
  return seeds;
}
