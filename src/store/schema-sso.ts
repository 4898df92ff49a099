// The single sign-on tables (migration 0018) as Kysely sees them.
export interface SsoFlowsTable {
  /** SHA-256 of the flow cookie's value: the cookie itself is never stored. */
  id_hash: string;
  state: string;
  nonce: string;
  /**
   * The PKCE verifier (RFC 7636): worthless without the authorization code, which only the
   * provider and the browser see; deleted when the flow is used, and at the latest when it expires.
   */
  code_verifier: string;
  /** Where the person goes once signed in (a path of the web app). */
  next_path: string;
  created_at: number;
  expires_at: number;
}

export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  email: string | null;
  created_at: number;
  last_sign_in_at: number;
}

export interface SsoTables {
  sso_flows: SsoFlowsTable;
  user_identities: UserIdentitiesTable;
}
