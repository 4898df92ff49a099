// Reads Google Authenticator's own database (databases on a rooted Android phone: table
// `accounts`), the form a seed takes when the app's transfer screen is out of reach. Columns
// (Aegis's GoogleAuthImporter): email (the label, often "Issuer:account"), secret (base32),
// counter, type (0 TOTP, 1 HOTP), issuer. SHA-1, 6 digits and 30 s are all the app knew.
import { invalidInput, problem } from "../errors.js";
import type { ForeignRow, FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { stringMember, type ImportSource } from "./import-source.js";
import { buildOtpAndZeroSecret, readBase32Secret } from "./otp-fields.js";

const COLUMNS = ["email", "secret", "counter", "type", "issuer"] as const;

/** SQLite's file header: the first 16 bytes of every database. */
export function hasSqliteSignature(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 16)).toString("latin1") === "SQLite format 3\u0000";
}

export function parseGoogleAuthenticatorDatabase(source: ImportSource, context: FormatContext): Promise<void> {
  if (context.readForeignTable === undefined) throw invalidInput(problem("import_app_database_needs_server"), "file");
  const rows = context.readForeignTable(source.bytes, { table: "accounts", columns: COLUMNS, maxRows: context.limits.maxEntries });
  if (rows === undefined) {
    throw invalidInput(problem("import_gauth_db_no_accounts"), "file");
  }
  rows.forEach((row, index) => {
    const labels = labelsOf(row);
    context.collector.add(index, labels, () => readRow(row, labels));
  });
  return Promise.resolve();
}

function labelsOf(row: ForeignRow): { issuer: string | undefined; account: string | undefined } {
  const issuer = stringMember(row, "issuer");
  let account = stringMember(row, "email");
  // The label is often "Issuer:account"; the issuer column says which part is the issuer.
  if (account !== undefined) {
    const colon = account.indexOf(":");
    if (issuer !== undefined && account.startsWith(`${issuer}:`)) account = account.slice(issuer.length + 1).trim();
    else if (issuer === undefined && colon > 0) return { issuer: account.slice(0, colon).trim(), account: account.slice(colon + 1).trim() };
  }
  return { issuer, account };
}

function readRow(row: ForeignRow, labels: { issuer: string | undefined; account: string | undefined }): ItemDraft {
  const type = row["type"] === 0 || row["type"] === null ? "totp" : row["type"] === 1 ? "hotp" : undefined;
  if (type === undefined) throw invalidInput(problem("import_gauth_db_type_invalid"), "type");
  const counter = row["counter"];
  if (type === "hotp" && (typeof counter !== "number" || !Number.isSafeInteger(counter) || counter < 0)) {
    throw invalidInput(problem("import_gauth_db_counter_invalid"), "counter");
  }
  const { secret, warnings } = readBase32Secret(stringMember(row, "secret"));
  return { ...labels, ...buildOtpAndZeroSecret({ type, secret, ...(type === "hotp" ? { counter: counter as number } : {}) }, warnings) };
}
