// Reads Duo Mobile's account list (files/duokit/accounts.json on a rooted Android phone): a JSON
// array of accounts, each with a display name and an otpGenerator holding a base32 otpSecret and,
// for HOTP, its counter (Aegis's DuoImporter). Duo keeps no issuer, algorithm, digits or period:
// SHA-1, 6 digits and 30 s. Duo Push accounts, which hold no seed, are skipped.
import { invalidInput, problem } from "../errors.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { isJsonObject, numberMember, objectMember, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtpAndZeroSecret, readBase32Secret } from "./otp-fields.js";

const TITLE = "Duo Mobile";

/** True for Duo's account list: an array of objects, some with an otpGenerator object. */
export function isDuoShape(json: unknown): boolean {
  return Array.isArray(json) && json.every(isJsonObject) && json.some((item) => isJsonObject(item["otpGenerator"]));
}

export function parseDuo(source: ImportSource, context: FormatContext): Promise<void> {
  const accounts = source.json(TITLE);
  if (!Array.isArray(accounts)) throw invalidInput(problem("import_duo_not_accounts"), "file");
  accounts.forEach((item, index) => {
    const account = isJsonObject(item) ? item : {};
    const labels = { issuer: undefined, account: stringMember(account, "name") };
    context.collector.add(index, labels, () => readAccount(account, labels));
  });
  return Promise.resolve();
}

function readAccount(account: JsonObject, labels: { issuer: undefined; account: string | undefined }): ItemDraft | undefined {
  const generator = objectMember(account, "otpGenerator");
  if (generator === undefined) return undefined;
  const { secret, warnings } = readBase32Secret(stringMember(generator, "otpSecret"));
  const counter = numberMember(generator, "counter");
  return { ...labels, ...buildOtpAndZeroSecret({ type: counter === undefined ? "totp" : "hotp", secret, counter }, warnings) };
}
