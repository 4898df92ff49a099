// Decides which app's SQLite database an upload is, by the table that holds its accounts: Stratum
// keeps them in `authenticator`, Google and Microsoft Authenticator in `accounts` (with different
// columns). Asked through the store's
// hardened reader (core has no SQL); without one, the file is taken for Google Authenticator's,
// whose parser then says that databases are read only through the server.
import type { ForeignTableReader } from "./format-context.js";
import { isMicrosoftAuthenticatorDatabase } from "./microsoft-database.js";
import { STRATUM_TABLE } from "./stratum.js";

export type AppDatabaseFormat = "gauth-db" | "stratum" | "microsoft-db";

export function detectAppDatabase(bytes: Uint8Array, readForeignTable: ForeignTableReader | undefined): AppDatabaseFormat {
  if (readForeignTable === undefined) return "gauth-db";
  // A damaged file throws here, with the same sentence its parser would give.
  const stratum = readForeignTable(bytes, { table: STRATUM_TABLE, columns: ["secret"], maxRows: 0 });
  if (stratum !== undefined) return "stratum";
  return isMicrosoftAuthenticatorDatabase(bytes, readForeignTable) ? "microsoft-db" : "gauth-db";
}
