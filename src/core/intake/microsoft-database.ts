// Reads Microsoft Authenticator's own database (databases/PhoneFactor on a rooted Android phone),
// read through the store's hardened reader of uploaded SQLite files like Google Authenticator's.
// Table `accounts` (Aegis's MicrosoftAuthImporter): name (the issuer), username, oath_secret_key,
// account_type — 0 a TOTP account added by QR code (base32 seed, 6 digits), 1 a personal Microsoft
// account (base64 seed, 8 digits). SHA-1 and 30 s always; the app has no HOTP.
import { invalidInput, type ProblemText } from "../errors.js";
import { decodeBase64 } from "./byte-text.js";
import type { ForeignRow, ForeignTableReader, FormatContext } from "./format-context.js";
import { nameEntry, type ItemDraft } from "./import-collector.js";
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
  if (context.readForeignTable === undefined) throw invalidInput("This file is an app's SQLite database; it can be imported only through the server.", "file");
  const rows = context.readForeignTable(source.bytes, { table: TABLE, columns: COLUMNS, maxRows: context.limits.maxEntries });
  if (rows === undefined) {
    throw invalidInput("This SQLite database has no accounts table: it is not Microsoft Authenticator's database (PhoneFactor).", "file");
  }
  rows.forEach((row, index) => {
    const labels = { issuer: stringMember(row, "name"), account: stringMember(row, "username") };
    context.collector.add(index, nameEntry(labels, index), () => readRow(row, labels));
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
    if (seed === undefined) throw invalidInput("The account has no seed (oath_secret_key).", "secret");
    const decoded = decodeBase64(seed);
    if (decoded === undefined) throw invalidInput("The account's seed (oath_secret_key) is not base64.", "secret");
    secret = decoded;
  } else {
    throw invalidInput(
      `The account's type is ${typeof type === "number" ? type : "missing"}; Watchword reads only the app's one-time-password accounts (types 0 and 1), not sign-in approvals.`,
      "type",
    );
  }
  return { ...labels, ...buildOtpAndZeroSecret({ type: "totp", secret, digits: type === MICROSOFT_ACCOUNT ? 8 : 6 }, warnings) };
}
