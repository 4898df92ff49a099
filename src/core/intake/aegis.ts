// Reads Aegis vault exports, plain or encrypted with a password. Format: Aegis's docs/vault.md
// (beemdevelopment/Aegis): password slots hold the master key sealed with AES-256-GCM under an
// scrypt key; the master key seals the database. Only password slots are tried; scrypt parameters
// come from the file and are capped before use.
import { invalidInput, problem } from "../errors.js";
import { decodeBase64, decodeHex } from "./byte-text.js";
import { deriveScryptKey, openAesGcm, passwordRequired, wrongPassword } from "./export-crypto.js";
import type { ItemDraft } from "./import-collector.js";
import type { FormatContext } from "./format-context.js";
import { arrayMember, isJsonObject, numberMember, objectMember, parseBoundedJson, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtp, readBase32Secret } from "./otp-fields.js";

const TITLE = "Aegis";
/** Aegis's slot type for a password slot (docs/vault.md: 0 raw, 1 password, 2 biometric). */
const PASSWORD_SLOT = 1;
/** Each slot costs one scrypt run; a real vault has one password slot, maybe a backup one. */
const MAX_PASSWORD_SLOTS = 4;

/** True for the shape of an Aegis vault: version, header and db. */
export function isAegisShape(json: unknown): boolean {
  return isJsonObject(json) && isJsonObject(json["header"]) && (typeof json["db"] === "string" || isJsonObject(json["db"]));
}

export async function parseAegis(source: ImportSource, context: FormatContext): Promise<void> {
  const root = source.json(TITLE);
  if (!isAegisShape(root) || !isJsonObject(root)) throw invalidInput(problem("import_aegis_not_export"), "file");
  const db = typeof root["db"] === "string" ? await decryptDatabase(root, context) : root["db"];
  if (!isJsonObject(db)) throw invalidInput(problem("import_aegis_no_entries"), "file");
  const entries = arrayMember(db, "entries");
  if (entries === undefined) throw invalidInput(problem("import_aegis_no_entries"), "file");

  // Vault version 3 lists groups by UUID; older ones name the group on each entry.
  const groupNames = new Map<string, string>();
  for (const group of arrayMember(db, "groups") ?? []) {
    if (!isJsonObject(group)) continue;
    const uuid = stringMember(group, "uuid");
    const name = stringMember(group, "name");
    if (uuid !== undefined && name !== undefined) groupNames.set(uuid, name);
  }

  entries.forEach((item, index) => {
    const fields = isJsonObject(item) ? item : {};
    const label = { issuer: stringMember(fields, "issuer"), account: stringMember(fields, "name") };
    context.collector.add(index, label, () => readEntry(fields, groupNames));
  });
}

function readEntry(item: JsonObject, groupNames: ReadonlyMap<string, string>): ItemDraft {
  const info = objectMember(item, "info");
  if (info === undefined) throw invalidInput(problem("import_entry_no_otp"), "info");
  const { secret, warnings } = readBase32Secret(stringMember(info, "secret"));
  const built = buildOtp({
    type: stringMember(item, "type"),
    secret,
    algorithm: stringMember(info, "algo"),
    digits: numberMember(info, "digits"),
    period: numberMember(info, "period"),
    counter: numberMember(info, "counter"),
  });
  secret.fill(0);

  const groups = (arrayMember(item, "groups") ?? [])
    .map((uuid) => (typeof uuid === "string" ? groupNames.get(uuid) : undefined))
    .filter((name) => name !== undefined);
  const legacyGroup = stringMember(item, "group");
  if (legacyGroup !== undefined) groups.unshift(legacyGroup);
  if (groups.length > 1) warnings.push(problem("import_several_groups", { folder: groups[0] ?? "" }));

  return {
    issuer: stringMember(item, "issuer"),
    account: stringMember(item, "name"),
    otp: built.otp,
    folder: groups[0],
    notes: stringMember(item, "note"),
    warnings: [...warnings, ...built.warnings],
  };
}

async function decryptDatabase(root: JsonObject, context: FormatContext): Promise<unknown> {
  const header = objectMember(root, "header") ?? {};
  const slots = (arrayMember(header, "slots") ?? []).filter((slot) => isJsonObject(slot) && slot["type"] === PASSWORD_SLOT);
  if (slots.length === 0) {
    throw invalidInput(problem("import_aegis_device_only"), "file");
  }
  if (slots.length > MAX_PASSWORD_SLOTS) throw invalidInput(problem("import_aegis_too_many_slots", { max: MAX_PASSWORD_SLOTS }), "file");
  if (context.password === undefined) throw passwordRequired(TITLE);

  const params = objectMember(header, "params") ?? {};
  const nonce = decodeHex(params["nonce"]);
  const tag = decodeHex(params["tag"]);
  const sealedDb = decodeBase64(root["db"]);
  if (nonce === undefined || tag === undefined || sealedDb === undefined) throw invalidInput(problem("import_aegis_header_damaged"), "file");

  const masterKey = await unlockSlots(slots.filter(isJsonObject), context.password.reveal());
  try {
    const plain = openAesGcm(masterKey, nonce, sealedDb, tag);
    return parseBoundedJson(plain.toString("utf8"));
  } finally {
    masterKey.fill(0);
  }
}

/** Tries each password slot in turn; the first that opens yields the master key. */
async function unlockSlots(slots: readonly JsonObject[], password: Buffer): Promise<Buffer> {
  for (const slot of slots) {
    const key = decodeHex(slot["key"]);
    const keyParams = objectMember(slot, "key_params") ?? {};
    const nonce = decodeHex(keyParams["nonce"]);
    const tag = decodeHex(keyParams["tag"]);
    const salt = decodeHex(slot["salt"]);
    if (key === undefined || nonce === undefined || tag === undefined || salt === undefined) {
      throw invalidInput(problem("import_aegis_slot_damaged"), "file");
    }
    const scrypt = { n: numberMember(slot, "n") ?? 0, r: numberMember(slot, "r") ?? 0, p: numberMember(slot, "p") ?? 0, salt };
    // Aegis issue #95: slots written before the fix derive from Java's buggy password bytes.
    const legacy = javaLegacyPasswordBytes(password);
    const candidates = slot["repaired"] === true || legacy.length === password.length ? [password] : [password, legacy];
    for (const candidate of candidates) {
      const slotKey = await deriveScryptKey(candidate, scrypt, TITLE);
      try {
        return openAesGcm(slotKey, nonce, key, tag);
      } catch {
        // wrong key for this slot: try the next candidate or slot
      } finally {
        slotKey.fill(0);
      }
    }
  }
  throw wrongPassword();
}

/**
 * The bytes old Aegis versions fed to scrypt (CryptoUtils.toBytesOld): Java's UTF_8.encode()
 * backing array, which is the UTF-8 text followed by zeros up to a capacity that starts at
 * 1.1 bytes per UTF-16 unit and grows as 2n + 1 whenever the text does not fit.
 */
function javaLegacyPasswordBytes(password: Buffer): Buffer {
  const units = password.toString("utf8").length;
  let capacity = Math.floor(units * 1.1);
  while (capacity < password.length) capacity = 2 * capacity + 1;
  const bytes = Buffer.alloc(capacity);
  password.copy(bytes);
  return bytes;
}
