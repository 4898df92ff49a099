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
  /**
   * Statements that lift the session's time bounds (lock, statement and idle-in-transaction
   * time-outs, set in postgres-connection.ts) and put them back; undefined where a session has none.
   */
  readonly sessionTimeBounds?: { readonly lift: string; readonly restore: string };
}

const POSTGRES_TIME_BOUNDS = ["lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout"];

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
  sessionTimeBounds: {
    lift: `select ${POSTGRES_TIME_BOUNDS.map((name) => `set_config('${name}', '0', false)`).join(", ")}`,
    // reset_val: the value the session started with, its startup options included.
    restore: `select set_config(name, reset_val, false) from pg_settings where name in (${POSTGRES_TIME_BOUNDS.map((name) => `'${name}'`).join(", ")})`,
  },
});
