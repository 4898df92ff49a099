// The database's tables as Kysely sees them. Times are milliseconds since the epoch (bigint in
// PostgreSQL, integer in SQLite, a JavaScript number on both sides); binary columns are Buffers.
import type { Generated } from "kysely";
import type { AlertTables } from "./schema-alerts.js";
import type { PasskeyTables } from "./schema-passkeys.js";
import type { PushApprovalTables } from "./schema-push-approval.js";
import type { PeopleAndPolicyTables } from "./schema-people-policy.js";
import type { SignInSecurityTables } from "./schema-sign-in-security.js";
import type { SsoTables } from "./schema-sso.js";
import type { RecoveryMethodTables } from "./schema-recovery-method.js";

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

export interface AuditKeyTable {
  id: number;
  wrapped_key: Buffer;
  kek_id: string;
  key_id: string;
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
  /** Where invitation and password-reset links are mailed (migration 0006). */
  email: string | null;
  /** The language the user chose for the web app; null: the browser's. */
  language: Language | null;
}

export type Language = "en" | "fr";

/** A one-time link that lets a person set their password (migration 0006). */
export interface UserLinksTable {
  /** SHA-256 of the link's token: the token itself is never stored. */
  token_hash: string;
  user_id: string;
  purpose: "invite" | "reset";
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
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
  /** Random, what the sessions list and its sign-out name a session by (migration 0016): never the token or its hash. */
  public_id: string;
  /** When the session last proved its password (and second factor) again: "sudo mode" (migration 0015). */
  reauthenticated_at: number | null;
  /** 0 or 1: opened for a user who must still enrol a second factor (migration 0023). */
  enrolment_required: Generated<number>;
}

/** The administrators' MFA rule (migration 0023): one row at most; none means "off". */
export interface MfaEnforcementTable {
  id: number;
  scope: "off" | "everyone" | "groups";
  /** JSON array of method names. */
  methods: string;
  updated_at: number;
  updated_by: string | null;
}

export interface MfaEnforcementGroupsTable {
  group_id: string;
}

/** A session's passed step-up for an entry or folder (migration 0023). */
export interface StepUpsTable {
  session_hash: string;
  scope: string;
  passed_at: number;
}

export type UserFactorKind = "totp";

/** A vault user's second factor (migration 0015). */
export interface UserFactorsTable {
  id: string;
  user_id: string;
  kind: UserFactorKind;
  /** The TOTP seed, sealed by the keyring bound to the factor's id; never plaintext. */
  secret_sealed: Buffer | null;
  name: string;
  created_at: number;
  /** Null until a first valid code confirmed it: an unconfirmed factor never signs anyone in. */
  confirmed_at: number | null;
  last_used_at: number | null;
  /** The last accepted TOTP time step (RFC 6238 §5.2); -1 while none was. */
  last_step: number;
}

/** The pending second step of a sign-in whose password was right (migration 0015). */
export interface SignInChallengesTable {
  /** SHA-256 of the challenge token: the token itself is never stored. */
  token_hash: string;
  user_id: string;
  client: "browser" | "cli";
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** Codes tried, the one that succeeds included. */
  attempts: number;
  device_token_hash: string | null;
  failures_from_other_devices: number;
  locked_for_other_devices: number;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SignInFailuresTable {
  /**
   * "account" (by normalised username, whether or not it exists), "ip", "device" (by device token
   * hash) or "export-password" (by user id).
   */
  scope: "account" | "ip" | "device" | "export-password" | "second-factor-account" | "second-factor-ip";
  subject: string;
  failures: number;
  first_failure_at: number;
  last_failure_at: number;
}

export interface DeviceTokensTable {
  /** SHA-256 of the device token: the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
}

export interface FoldersTable {
  id: string;
  name: string;
  name_key: string;
  created_at: number;
}

export interface TemplatesTable {
  id: string;
  name: string;
  /** core/name-key.ts of the name: what uniqueness compares (migration 0003). */
  name_key: string;
  built_in: number;
  /** JSON array of template fields. */
  fields: string;
  created_at: number;
}

export interface EntriesTable {
  id: string;
  name: string;
  name_key: string;
  folder_id: string | null;
  folder_key: string;
  template_id: string;
  issuer: string | null;
  account: string | null;
  url: string | null;
  username: string | null;
  notes: string | null;
  /** JSON array of strings. */
  tags: string;
  owner_id: string;
  otp_type: string | null;
  otp_algorithm: string | null;
  otp_digits: number | null;
  otp_period: number | null;
  hotp_counter: number;
  seed_sealed: Buffer | null;
  seed_updated_at: number | null;
  created_at: number;
  updated_at: number;
  /** Name, issuer, account and tags, lower-cased, one per line (core/entry-search.ts): what search narrows by. */
  search_text: string;
}

export interface EntryFieldsTable {
  entry_id: string;
  key: string;
  value_text: string | null;
  value_sealed: Buffer | null;
}

export interface RecoveryCodesTable {
  id: string;
  entry_id: string;
  position: number;
  code_sealed: Buffer;
  used_at: number | null;
  used_by: string | null;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  outcome: string;
  entry_id: string | null;
  entry_name: string | null;
  reason: string | null;
  ip: string;
  user_agent: string;
  channel: string;
  /** JSON object. */
  details: string;
  /** Migration 0008: what the event is about (core/audit-chain.ts), and its entry's folder then; null on older events. */
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  folder_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** The first seq whose link is keyed (migration 0007); earlier ones are plain SHA-256. */
  keyed_from: number;
  /** The last seq archived and deleted (migration 0013), and its link: where the live chain begins. 0 and the genesis link while none is. */
  archived_through_seq: number;
  archived_link: string;
}

export interface PendingImportsTable {
  id: string;
  user_id: string;
  format: string;
  sealed: Buffer;
  created_at: number;
  expires_at: number;
}

/** A place deliveries go (migration 0010): its deliverer's lease, its state, and for SIEM its cursor. */
export interface OutboxDestinationsTable {
  name: string;
  /** "siem" for SIEM destinations (cursor over audit_events); other kinds deliver outbox_messages only. */
  kind: string;
  delivered_seq: number;
  lease_holder: string | null;
  lease_until: number;
  failures: number;
  last_error: string | null;
  last_error_at: number | null;
  last_success_at: number | null;
  created_at: number;
}

/** One delivery that is not an audit event itself (a checkpoint, an alert), removed once delivered. */
export interface OutboxMessagesTable {
  id: Generated<number>;
  destination: string;
  kind: string;
  seq: number | null;
  event_id: string | null;
  /** JSON; never a secret. */
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

export interface Database extends PeopleAndPolicyTables, AlertTables, SignInSecurityTables, SsoTables, PasskeyTables, PushApprovalTables, RecoveryMethodTables {
  meta: MetaTable;
  data_keys: DataKeysTable;
  audit_key: AuditKeyTable;
  users: UsersTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  sign_in_failures: SignInFailuresTable;
  device_tokens: DeviceTokensTable;
  user_factors: UserFactorsTable;
  sign_in_challenges: SignInChallengesTable;
  folders: FoldersTable;
  templates: TemplatesTable;
  entries: EntriesTable;
  entry_fields: EntryFieldsTable;
  recovery_codes: RecoveryCodesTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  pending_imports: PendingImportsTable;
  user_links: UserLinksTable;
  outbox_destinations: OutboxDestinationsTable;
  outbox_messages: OutboxMessagesTable;
  mfa_enforcement: MfaEnforcementTable;
  mfa_enforcement_groups: MfaEnforcementGroupsTable;
  step_ups: StepUpsTable;
}
