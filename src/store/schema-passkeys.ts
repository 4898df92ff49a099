// The passkey tables (migration 0017) as Kysely sees them.
export interface WebAuthnCredentialsTable {
  id: string;
  user_id: string;
  /** The authenticator's credential id, base64url. */
  credential_id: string;
  /** The COSE public key. */
  public_key: Buffer;
  counter: number;
  /** JSON array of transports. */
  transports: string;
  name: string;
  device_type: "singleDevice" | "multiDevice";
  /** 0 or 1. */
  is_backed_up: number;
  /** 0 or 1: registered as a discoverable (resident) credential, so it can sign in alone. */
  is_discoverable: number;
  created_at: number;
  last_used_at: number | null;
}

/** reauthentication: a passkey instead of the password in sudo mode (the challenge bound to the session). */
export type ChallengePurpose = "registration" | "authentication" | "second_factor" | "reauthentication";

export interface WebAuthnChallengesTable {
  challenge: string;
  purpose: ChallengePurpose;
  binding: string;
  user_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface PasskeyTables {
  webauthn_credentials: WebAuthnCredentialsTable;
  webauthn_challenges: WebAuthnChallengesTable;
}
