// Decides which app's SQLite database an upload is, by the table that holds its accounts: Stratum
// keeps them in `authenticator`, Google Authenticator in `accounts`. Asked through the store's
// hardened reader (core has no SQL); without one, the file is taken for Google Authenticator's,
// whose parser then says that databases are read only through the server.
import type { ForeignTableReader } from "./format-context.js";
import { STRATUM_TABLE } from "./stratum.js";

export type AppDatabaseFormat = "gauth-db" | "stratum";

export function detectAppDatabase(bytes: Uint8Array, readForeignTable: ForeignTableReader | undefined): AppDatabaseFormat {
  if (readForeignTable === undefined) return "gauth-db";
  // A damaged file throws here, with the same sentence its parser would give.
  const stratum = readForeignTable(bytes, { table: STRATUM_TABLE, columns: ["secret"], maxRows: 0 });
  return stratum === undefined ? "gauth-db" : "stratum";
}
