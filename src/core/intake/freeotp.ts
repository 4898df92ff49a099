// Reads FreeOTP's files: version 1's tokens.xml (an Android preference file, one token per
// preference as JSON, beside "tokenOrder"; FreeOTP+ keeps the same file, also read here), and
// version 2's encrypted backup (externalBackup.xml: a Java-serialized map, see freeotp-backup.ts).
// Sources: Aegis's FreeOtpImporter and freeotp/freeotp-android (TokenPersistence, Token).
import { invalidInput, problem } from "../errors.js";
import type { FormatContext } from "./format-context.js";
import { readFreeOtpBackup } from "./freeotp-backup.js";
import { readFreeOtpLabels, readFreeOtpToken, readSignedBytes } from "./freeotp-plus.js";
import { isJsonObject, parseBoundedJson, type ImportSource, type JsonObject } from "./import-source.js";
import { hasJavaSerializationSignature } from "./java-serialized-map.js";
import { looksLikeSharedPreferences, readSharedPreferences, type Preference } from "./shared-preferences.js";

const TITLE = "FreeOTP";
const ORDER_KEY = "tokenOrder";

/** True for FreeOTP 2's backup (by its serialization header) or a tokens.xml holding FreeOTP tokens. */
export function isFreeOtpFile(source: ImportSource): boolean {
  if (hasJavaSerializationSignature(source.bytes)) return true;
  const text = source.text;
  if (text === undefined || !looksLikeSharedPreferences(text)) return false;
  return readSharedPreferences(source, text).some((preference) => preference.name === ORDER_KEY || isTokenText(preference));
}

/** A token is a JSON object with a byte-list secret and a type (Token.java's fields). */
const isTokenText = (preference: Preference): boolean =>
  preference.kind === "string" && /^\s*\{/u.test(preference.value) && /"secret"\s*:\s*\[/u.test(preference.value) && /"type"\s*:/u.test(preference.value);

export async function parseFreeOtp(source: ImportSource, context: FormatContext): Promise<void> {
  if (hasJavaSerializationSignature(source.bytes)) {
    await readFreeOtpBackup(source.bytes, context);
    return;
  }
  const preferences = readSharedPreferences(source, source.requireText(TITLE)).filter((preference) => preference.name !== ORDER_KEY && preference.kind === "string");
  if (preferences.length === 0) throw invalidInput(problem("import_freeotp_no_tokens"), "file");
  preferences.forEach((preference, index) => {
    const token = readTokenObject(preference.value);
    const labels = token === undefined ? { issuer: undefined, account: preference.name } : readFreeOtpLabels(token);
    context.collector.add(index, labels, () => {
      if (token === undefined) throw invalidInput(problem("import_freeotp_token_not_json"), "token");
      // FreeOTP 1 stores one less than the counter of the next code, as FreeOTP+ does.
      return readFreeOtpToken(token, labels, readSignedBytes(token["secret"]), "previous");
    });
  });
}

function readTokenObject(text: string): JsonObject | undefined {
  let value: unknown;
  try {
    value = parseBoundedJson(text);
  } catch {
    return undefined;
  }
  return isJsonObject(value) ? value : undefined;
}
