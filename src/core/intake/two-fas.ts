// Reads 2FAS Authenticator backups (.2fas, schema versions 1 to 4), plain or encrypted with a
// password. Encrypted backups keep the service list in `servicesEncrypted` as
// base64(ciphertext + GCM tag):base64(salt):base64(IV), sealed with AES-256-GCM under a
// PBKDF2-HMAC-SHA256 key of 10,000 iterations — a constant of the 2FAS apps (see Aegis's
// TwoFASImporter), not a value read from the file, so there is nothing hostile to cap.
import { invalidInput, problem } from "../errors.js";
import { decodeBase64 } from "./byte-text.js";
import { derivePbkdf2Key, openAesGcm, passwordRequired, splitGcmTag } from "./export-crypto.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { arrayMember, isJsonObject, numberMember, objectMember, parseBoundedJson, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtp, readBase32Secret } from "./otp-fields.js";

const TITLE = "2FAS";
const PBKDF2_ITERATIONS = 10_000;

/** True for the shape of a 2FAS backup: a service list (plain or sealed) beside a schema version. */
export function isTwoFasShape(json: unknown): boolean {
  return (
    isJsonObject(json) &&
    (Array.isArray(json["services"]) || typeof json["servicesEncrypted"] === "string") &&
    (typeof json["schemaVersion"] === "number" || typeof json["servicesEncrypted"] === "string")
  );
}

export async function parseTwoFas(source: ImportSource, context: FormatContext): Promise<void> {
  const root = source.json(TITLE);
  if (!isTwoFasShape(root) || !isJsonObject(root)) throw invalidInput(problem("import_two_fas_not_backup"), "file");
  const sealed = stringMember(root, "servicesEncrypted");
  const services = sealed === undefined ? arrayMember(root, "services") : await decryptServices(sealed, context);
  if (services === undefined) throw invalidInput(problem("import_two_fas_no_services"), "file");

  const groupNames = new Map<string, string>();
  for (const group of arrayMember(root, "groups") ?? []) {
    if (!isJsonObject(group)) continue;
    const id = stringMember(group, "id");
    const name = stringMember(group, "name");
    if (id !== undefined && name !== undefined) groupNames.set(id, name);
  }

  services.forEach((item, index) => {
    const service = isJsonObject(item) ? item : {};
    const labels = readLabels(service);
    context.collector.add(index, labels, () => readService(service, labels, groupNames));
  });
}

function readLabels(service: JsonObject): { issuer: string | undefined; account: string | undefined } {
  const otp = objectMember(service, "otp") ?? {};
  // The service name is what 2FAS shows as the title; it stands in for a missing issuer.
  const issuer = stringMember(otp, "issuer") ?? stringMember(service, "name");
  let account = stringMember(otp, "account");
  if (account === undefined) {
    // Schema 1 and 2 labels read "Issuer:account", like an otpauth label.
    const label = stringMember(otp, "label");
    const colon = label?.indexOf(":") ?? -1;
    account = label !== undefined && colon >= 0 ? label.slice(colon + 1).trim() || undefined : label;
  }
  return { issuer, account };
}

function readService(
  service: JsonObject,
  labels: { issuer: string | undefined; account: string | undefined },
  groupNames: ReadonlyMap<string, string>,
): ItemDraft {
  const otp = objectMember(service, "otp") ?? {};
  const { secret, warnings } = readBase32Secret(stringMember(service, "secret"));
  const built = buildOtp({
    type: stringMember(otp, "tokenType"),
    secret,
    algorithm: stringMember(otp, "algorithm"),
    digits: numberMember(otp, "digits"),
    period: numberMember(otp, "period"),
    counter: numberMember(otp, "counter"),
  });
  secret.fill(0);
  const groupId = stringMember(service, "groupId");
  return {
    ...labels,
    otp: built.otp,
    folder: groupId === undefined ? undefined : groupNames.get(groupId),
    warnings: [...warnings, ...built.warnings],
  };
}

async function decryptServices(sealed: string, context: FormatContext): Promise<readonly unknown[]> {
  if (context.password === undefined) throw passwordRequired(TITLE);
  const [data, salt, nonce] = sealed.split(":").map(decodeBase64);
  if (data === undefined || salt === undefined || nonce === undefined) {
    throw invalidInput(problem("import_two_fas_sealed_damaged"), "file");
  }
  const key = await derivePbkdf2Key(context.password, salt, PBKDF2_ITERATIONS, "sha256", TITLE);
  try {
    const { ciphertext, tag } = splitGcmTag(data);
    const services = parseBoundedJson(openAesGcm(key, nonce, ciphertext, tag).toString("utf8"));
    if (!Array.isArray(services)) throw invalidInput(problem("import_two_fas_list_damaged"), "file");
    return services;
  } finally {
    key.fill(0);
  }
}
