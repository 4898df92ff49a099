// The tables of account recovery (migration 0022) as Kysely sees them.

export type RecoveryChannel = "email" | "sms";
export type RecoveryCodePurpose = "confirm_method" | "recovery";
export type AccountRecoveryStatus = "pending" | "approved" | "denied" | "cancelled" | "completed";

export interface RecoveryMethodsTable {
  user_id: string;
  channel: RecoveryChannel;
  /** The address or number sealed by the keyring, bound to the user (services/recovery-method.ts). */
  address_sealed: Buffer;
  confirmed_at: number;
}

export interface RecoveryCodeAttemptsTable {
  token_hash: string;
  id: string;
  user_id: string;
  purpose: RecoveryCodePurpose;
  channel: RecoveryChannel;
  address_sealed: Buffer;
  /** A random HMAC key, sealed and bound to the attempt: without the KEK the 6 digits cannot be tried offline. */
  code_key_sealed: Buffer;
  /** HMAC-SHA-256 of the code under that key, hex. */
  code_mac: string;
  created_at: number;
  expires_at: number;
  attempts: number;
  consumed_at: number | null;
}

export interface AccountRecoveriesTable {
  id: string;
  user_id: string;
  status: AccountRecoveryStatus;
  channel: RecoveryChannel;
  requested_at: number;
  /** When the waiting period ends: from then on the user may finish without an approval. */
  ready_at: number;
  decided_by: string | null;
  decided_at: number | null;
  completed_at: number | null;
}

export interface RecoveryMethodTables {
  recovery_methods: RecoveryMethodsTable;
  recovery_code_attempts: RecoveryCodeAttemptsTable;
  account_recoveries: AccountRecoveriesTable;
}
