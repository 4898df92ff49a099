// The database's tables as Kysely sees them. Times are milliseconds since the epoch (bigint in
// PostgreSQL, integer in SQLite, a JavaScript number on both sides); binary columns are Buffers.
import type { Generated } from "kysely";

export interface MetaTable {
  key: string;
  value: string;
}

export interface DataKeysTable {
  version: number;
  wrapped_key: Buffer;
  kek_id: string;
  created_at: number;
}

export type Role = "admin" | "member" | "auditor";

export interface UsersTable {
  id: string;
  /** Lower-cased, the one used for look-ups and uniqueness. */
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the session token: the token itself is never stored. */
  id_hash: string;
  user_id: string;
  kind: "browser" | "token";
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SignInFailuresTable {
  /** "account" (by normalised username, whether or not it exists) or "ip". */
  scope: "account" | "ip";
  subject: string;
  failures: number;
  first_failure_at: number;
  last_failure_at: number;
}

export interface Database {
  meta: MetaTable;
  data_keys: DataKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  sign_in_failures: SignInFailuresTable;
}

/** Keeps the Generated import meaningful for tables added later with generated columns. */
export type GeneratedId = Generated<number>;
