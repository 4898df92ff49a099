// Reads Microsoft Authenticator's own database (databases/PhoneFactor on a rooted Android phone),
// read through the store's hardened reader of uploaded SQLite files like Google Authenticator's.
// Table `accounts` (Aegis's MicrosoftAuthImporter): name (the issuer), username, oath_secret_key,
// account_type — 0 a TOTP account added by QR code (base32 seed, 6 digits), 1 a personal Microsoft
// account (base64 seed, 8 digits). SHA-1 and 30 s always; the app has no HOTP.
import { invalidInput, problem, type ProblemText } from "../errors.js";
import { decodeBase64 } from "./byte-text.js";
import type { ForeignRow, ForeignTableReader, FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { stringMember, type ImportSource } from "./import-source.js";
import { buildOtpAndZeroSecret, readBase32Secret } from "./otp-fields.js";

const TABLE = "accounts";
const COLUMNS = ["name", "username", "oath_secret_key", "account_type"] as const;
const TOTP_ACCOUNT = 0;
const MICROSOFT_ACCOUNT = 1;

/** True when the SQLite database in `bytes` has Microsoft Authenticator's accounts table. */
export function isMicrosoftAuthenticatorDatabase(bytes: Uint8Array, readForeignTable: ForeignTableReader): boolean {
  return readForeignTable(bytes, { table: TABLE, columns: COLUMNS, maxRows: 0, optionalColumns: true }) !== undefined;
}

export function parseMicrosoftAuthenticatorDatabase(source: ImportSource, context: FormatContext): Promise<void> {
  if (context.readForeignTable === undefined) throw invalidInput(problem("import_app_database_needs_server"), "file");
  const rows = context.readForeignTable(source.bytes, { table: TABLE, columns: COLUMNS, maxRows: context.limits.maxEntries });
  if (rows === undefined) {
    throw invalidInput(problem("import_microsoft_db_no_accounts"), "file");
  }
  rows.forEach((row, index) => {
    const labels = { issuer: stringMember(row, "name"), account: stringMember(row, "username") };
    context.collector.add(index, labels, () => readRow(row, labels));
  });
  return Promise.resolve();
}

function readRow(row: ForeignRow, labels: { issuer: string | undefined; account: string | undefined }): ItemDraft {
  const type = row["account_type"];
  const seed = stringMember(row, "oath_secret_key");
  let secret: Buffer;
  let warnings: ProblemText[] = [];
  if (type === TOTP_ACCOUNT) {
    ({ secret, warnings } = readBase32Secret(seed));
  } else if (type === MICROSOFT_ACCOUNT) {
    if (seed === undefined) throw invalidInput(problem("import_microsoft_no_seed"), "secret");
    const decoded = decodeBase64(seed);
    if (decoded === undefined) throw invalidInput(problem("import_microsoft_seed_not_base64"), "secret");
    secret = decoded;
  } else {
    throw invalidInput(
      typeof type === "number" ? problem("import_microsoft_type", { type }) : problem("import_microsoft_type_missing"),
      "type",
    );
  }
  return { ...labels, ...buildOtpAndZeroSecret({ type: "totp", secret, digits: type === MICROSOFT_ACCOUNT ? 8 : 6 }, warnings) };
}
