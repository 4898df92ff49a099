// What differs between SQLite and PostgreSQL, named once. Everything else in store/ is
// written once against Kysely and runs on both.
export type DialectName = "sqlite" | "postgres";

export interface DialectCapabilities {
  readonly name: DialectName;
  /** Column type for raw bytes. */
  readonly binaryType: "blob" | "bytea";
  /** Column type for 64-bit integers (times in ms, counters). */
  readonly bigintType: "integer" | "bigint";
  /** The n-th (1-based) bind parameter in raw SQL. */
  placeholder(n: number): string;
}

export const sqliteCapabilities: DialectCapabilities = Object.freeze({
  name: "sqlite",
  binaryType: "blob",
  bigintType: "integer",
  placeholder: () => "?",
});

export const postgresCapabilities: DialectCapabilities = Object.freeze({
  name: "postgres",
  binaryType: "bytea",
  bigintType: "bigint",
  placeholder: (n: number) => `$${n}`,
});
