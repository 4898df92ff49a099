// What every format parser is handed besides the file: the password (and a KeePass key file), the
// limits, the collector that gathers entries and problems, and a reader for formats that are SQLite
// databases (core has no SQL of its own; the service passes the store's).
import type { Secret } from "../secret.js";
import type { ImportCollector, ImportLimits } from "./import-collector.js";

/** One row of a foreign table: the columns asked for, as text, number or null. */
export type ForeignRow = Readonly<Record<string, string | number | null>>;

/**
 * Reads `columns` (lower case) of `table` from the SQLite database in `bytes`, at most
 * `maxRows + 1` rows; undefined when there is no such table (or, with `optionalColumns`, when it
 * lacks one of the columns, which otherwise is an invalid_input naming them); throws invalid_input
 * when the file is damaged.
 */
export type ForeignTableReader = (
  bytes: Uint8Array,
  query: { table: string; columns: readonly string[]; maxRows: number; optionalColumns?: boolean },
) => ForeignRow[] | undefined;

export interface FormatContext {
  readonly password: Secret | undefined;
  /** A KeePass key file's bytes, beside or instead of the password. */
  readonly keyFile: Secret | undefined;
  readonly limits: ImportLimits;
  readonly collector: ImportCollector;
  readonly readForeignTable: ForeignTableReader | undefined;
}
