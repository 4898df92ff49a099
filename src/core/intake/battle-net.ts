// Reads the Battle.net app's authenticator preferences (shared_prefs/com.blizzard.messenger.
// authenticator_preferences.xml on a rooted Android phone): the device secret and the serial,
// each "masked" (XORed with a constant of the app, then hex-encoded). The unmasked secret is the
// seed in hex; codes are TOTP, SHA-1, 8 digits, 30 s, named by the serial (Aegis's BattleNetImporter).
import { invalidInput, isWatchwordError, problem } from "../errors.js";
import { decodeHex } from "./byte-text.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import type { ImportSource } from "./import-source.js";
import { buildOtpAndZeroSecret } from "./otp-fields.js";
import { looksLikeSharedPreferences, preferenceValue, readSharedPreferences } from "./shared-preferences.js";

const TITLE = "Battle.net";
const PREFIX = "com.blizzard.messenger.";
const SECRET_KEY = `${PREFIX}AUTHENTICATOR_DEVICE_SECRET`;
const SERIAL_KEY = `${PREFIX}AUTHENTICATOR_SERIAL`;
const ENCRYPTION_KEY = `${PREFIX}AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE`;
/** The app's fixed XOR mask, as Aegis's BattleNetImporter states it. */
const MASK = Buffer.from("398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a", "hex");

/** True for the Battle.net app's authenticator preferences. */
export function isBattleNetFile(source: ImportSource): boolean {
  const text = source.text;
  if (text === undefined || !looksLikeSharedPreferences(text)) return false;
  return readSharedPreferences(source, text).some((preference) => preference.name === SECRET_KEY);
}

export function parseBattleNet(source: ImportSource, context: FormatContext): Promise<void> {
  const preferences = readSharedPreferences(source, source.requireText(TITLE));
  const masked = preferenceValue(preferences, SECRET_KEY);
  if (masked === undefined) throw invalidInput(problem("import_battle_net_none"), "file");
  const encryption = preferenceValue(preferences, ENCRYPTION_KEY);
  if (encryption !== undefined && encryption !== "MASK") {
    throw invalidInput(problem("import_battle_net_keystore"), "file");
  }
  const serialMasked = preferenceValue(preferences, SERIAL_KEY);
  let serial: string | undefined;
  try {
    serial = serialMasked === undefined || serialMasked === "" ? undefined : unmask(serialMasked).toString("latin1");
  } catch (error) {
    // An unreadable serial only costs the entry its name; the seed decides whether it imports.
    if (!isWatchwordError(error)) throw error;
    serial = undefined;
  }
  const labels = { issuer: "Battle.net", account: serial };
  context.collector.add(0, labels, () => readAuthenticator(masked, labels));
  return Promise.resolve();
}

function readAuthenticator(masked: string, labels: { issuer: string; account: string | undefined }): ItemDraft {
  const hex = unmask(masked);
  const secret = decodeHex(hex.toString("latin1"));
  hex.fill(0);
  if (secret === undefined || secret.length === 0) throw invalidInput(problem("import_battle_net_secret_not_hex"), "secret");
  return { ...labels, ...buildOtpAndZeroSecret({ type: "totp", secret, digits: 8 }) };
}

function unmask(text: string): Buffer {
  const bytes = decodeHex(text.trim());
  if (bytes === undefined || bytes.length > MASK.length) throw invalidInput(problem("import_battle_net_mask_damaged"), "secret");
  for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] ?? 0) ^ (MASK[i] ?? 0);
  return bytes;
}
