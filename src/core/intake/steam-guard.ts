// Reads Steam Guard seeds as Steam keeps them: the Steam app's own Steamguard file
// ({"accounts": {"<id>": {...}}}, Aegis's SteamImporter reads it from a rooted phone) and Steam
// Desktop Authenticator's .maFile (one account object). The seed is `shared_secret`, base64; the
// other secrets there (identity_secret for trade confirmations, the revocation code) are not OTP
// seeds and are left behind, unread and unstored.
import { invalidInput, problem } from "../errors.js";
import { decodeBase64 } from "./byte-text.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { isJsonObject, objectMember, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtpAndZeroSecret } from "./otp-fields.js";

const TITLE = "Steam Guard";

const isSteamAccount = (value: unknown): value is JsonObject => isJsonObject(value) && typeof value["shared_secret"] === "string";

/** True for the Steam app's Steamguard file or an SDA .maFile. */
export function isSteamGuardShape(json: unknown): boolean {
  if (isSteamAccount(json)) return true;
  const accounts = isJsonObject(json) ? objectMember(json, "accounts") : undefined;
  return accounts !== undefined && Object.values(accounts).some(isSteamAccount);
}

export function parseSteamGuard(source: ImportSource, context: FormatContext): Promise<void> {
  const root = source.json(TITLE);
  const accounts = isSteamAccount(root) ? [root] : isJsonObject(root) ? Object.values(objectMember(root, "accounts") ?? {}) : [];
  if (accounts.length === 0) throw invalidInput(problem("import_steam_no_account"), "file");
  accounts.forEach((item, index) => {
    const account = isJsonObject(item) ? item : {};
    const labels = { issuer: "Steam", account: stringMember(account, "account_name") };
    context.collector.add(index, labels, () => readAccount(account, labels));
  });
  return Promise.resolve();
}

function readAccount(account: JsonObject, labels: { issuer: string; account: string | undefined }): ItemDraft {
  const text = stringMember(account, "shared_secret");
  if (text === undefined || text.trim() === "") throw invalidInput(problem("import_steam_secret_missing"), "secret");
  const secret = decodeBase64(text);
  if (secret === undefined) throw invalidInput(problem("import_steam_secret_not_base64"), "secret");
  return { ...labels, ...buildOtpAndZeroSecret({ type: "steam", secret }) };
}
