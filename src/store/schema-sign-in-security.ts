// The tables of vault users' sign-in security (migration 0016) as Kysely sees them.

/** One of a user's ten sign-in recovery codes: never the code, only its salt and hash. */
export interface SignInRecoveryCodesTable {
  user_id: string;
  /** 0–9: the code's place in its set. */
  slot: number;
  /** 128 random bits, hex: no two codes (of any user) share one. */
  salt: string;
  /** HMAC-SHA-256 of the normalised code under the salt, hex (see services/sign-in-recovery-codes.ts). */
  code_hash: string;
  /** When the set was generated: every code of a set has the same. */
  created_at: number;
  used_at: number | null;
}

export interface SignInSecurityTables {
  sign_in_recovery_codes: SignInRecoveryCodesTable;
}
