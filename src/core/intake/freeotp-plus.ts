// Reads FreeOTP+ JSON backups: {"tokens": [...], "tokenOrder": [...]}, each token's secret a
// list of signed bytes (Java's byte, -128 to 127), and reads one such token for FreeOTP's own
// files too. Sources: helloworld1/FreeOTPPlus (OtpTokenFactory.kt) and Aegis's FreeOtpImporter.
import { invalidInput, problem } from "../errors.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { arrayMember, isJsonObject, numberMember, stringMember, type ImportSource, type JsonObject } from "./import-source.js";
import { buildOtpAndZeroSecret } from "./otp-fields.js";

const TITLE = "FreeOTP+";
/** Far beyond any seed; the secret is checked again (1 to 1,024 bytes) once decoded. */
const MAX_SECRET_LIST = 4096;

/** True for the shape of a FreeOTP+ backup: a token list. */
export function isFreeOtpPlusShape(json: unknown): boolean {
  return isJsonObject(json) && Array.isArray(json["tokens"]);
}

export function parseFreeOtpPlus(source: ImportSource, context: FormatContext): Promise<void> {
  const root = source.json(TITLE);
  const tokens = isJsonObject(root) ? arrayMember(root, "tokens") : undefined;
  if (tokens === undefined) throw invalidInput(problem("import_freeotp_plus_not_backup"), "file");
  tokens.forEach((item, index) => {
    const token = isJsonObject(item) ? item : {};
    const labels = readFreeOtpLabels(token);
    context.collector.add(index, labels, () => readFreeOtpToken(token, labels, readSignedBytes(token["secret"]), "previous"));
  });
  return Promise.resolve();
}

export interface FreeOtpLabels {
  readonly issuer: string | undefined;
  readonly account: string | undefined;
}

/** A token's labels, as FreeOTP and FreeOTP+ write them (FreeOTP 1's tokens.xml holds the same objects). */
export function readFreeOtpLabels(token: JsonObject): FreeOtpLabels {
  return { issuer: stringMember(token, "issuerExt") ?? stringMember(token, "issuerInt"), account: stringMember(token, "label") };
}

/**
 * One token of FreeOTP or FreeOTP+. `counter` says what the stored HOTP counter is: "previous"
 * for FreeOTP 1 and FreeOTP+, which store one less than the counter of the next code
 * (OtpTokenFactory.kt: the link's counter − 1 on import, counter + 1 on export), so the next code
 * is counter + 1; "next" for FreeOTP 2, whose backups keep the link's counter. Zeroes `secret`.
 */
export function readFreeOtpToken(token: JsonObject, labels: FreeOtpLabels, secret: Buffer, counter: "previous" | "next"): ItemDraft {
  const type = stringMember(token, "type")?.toLowerCase();
  const stored = numberMember(token, "counter");
  const built = buildOtpAndZeroSecret({
    // FreeOTP marks Steam Guard tokens only by the issuer "Steam" (Aegis's FreeOtpImporter does the same).
    type: type === "totp" && labels.issuer === "Steam" ? "steam" : type,
    secret,
    algorithm: stringMember(token, "algo"),
    digits: numberMember(token, "digits"),
    period: numberMember(token, "period"),
    counter: type === "hotp" && stored !== undefined && counter === "previous" ? stored + 1 : stored,
  });
  return { ...labels, ...built };
}

/** A secret written as a list of Java's signed bytes (-128 to 127; 128 to 255 are read as bytes too). */
export function readSignedBytes(value: unknown): Buffer {
  if (!Array.isArray(value) || value.length === 0) throw invalidInput(problem("import_secret_list_missing"), "secret");
  if (value.length > MAX_SECRET_LIST) throw invalidInput(problem("import_secret_list_too_long", { max: MAX_SECRET_LIST }), "secret");
  const bytes = Buffer.alloc(value.length);
  value.forEach((byte: unknown, i) => {
    if (typeof byte !== "number" || !Number.isInteger(byte) || byte < -128 || byte > 255) {
      bytes.fill(0);
      throw invalidInput(problem("import_secret_list_not_bytes"), "secret");
    }
    bytes[i] = byte & 0xff;
  });
  return bytes;
}
