// Examples for /api/docs: one request (where there is a body) and one reply per operation, typed
// against the contract so that a change of shape fails to compile, and checked against the route
// schemas by a test. Values are made up; the setup key is the well-known demo key JBSWY3DPEHPK3PXP.
import type { SessionInfo, SignInReply } from "../contract/auth.js";
import type { SsoInfo } from "../contract/sso.js";
import type { AllRecoveryCodesReply, BatchCodesReply, CodeReply, RecoveryCodeReply, RevealFieldReply } from "../contract/codes.js";
import type { EntryDetail, EntryList, EntryReply, EntryTagList, Folder, Template } from "../contract/entries.js";
import type { HealthReply, ReadinessReply } from "../contract/health.js";
import type { ConfirmImportReply, ImportPreview, ImportPreviewProblem } from "../contract/imports.js";
import type { ProblemText } from "../contract/problem.js";
import type { Group, GroupList } from "../contract/groups.js";
import type { LinkStatusReply, UnlockUserReply, User, UserLinkReply, UserList } from "../contract/users.js";
import type { FolderPage, GrantList, GrantView, PrincipalList } from "../contract/grants.js";
import type { AuditDestinationList } from "../contract/audit-destinations.js";
import { AUDIT_VERIFY_STREAM_TYPE, type AuditEventPage, type AuditEventView, type AuditVerificationProgress, type AuditVerificationReply } from "../contract/audit.js";
import { ACCESS_REQUEST_EXAMPLES } from "./openapi-examples-access-requests.js";
import { ALERT_EXAMPLES } from "./openapi-examples-alerts.js";
import { SIGN_IN_SECURITY_EXAMPLES } from "./openapi-examples-sign-in-security.js";
import { PASSKEY_EXAMPLES } from "./openapi-examples-passkeys.js";
import { PUSH_APPROVAL_EXAMPLES } from "./openapi-examples-push-approval.js";
import { RECOVERY_METHOD_EXAMPLES } from "./openapi-examples-recovery-method.js";
import { SECOND_FACTOR_EXAMPLES } from "./openapi-examples-second-factors.js";
import { MFA_ENFORCEMENT_EXAMPLES } from "./openapi-examples-mfa-enforcement.js";
import type { ApiToken, ApiTokenList, CreateApiTokenRequest, CreatedApiToken, ServiceAccount, ServiceAccountList } from "../contract/service-accounts.js";

export interface OperationExample {
  /** The request body, for operations that take one. */
  readonly request?: unknown;
  /** The successful reply's body; absent for 204. */
  readonly reply?: unknown;
  /** An error reply telling of this operation, in place of the one said for its status by default. */
  readonly problem?: { readonly status: number; readonly text: ProblemText; readonly rows?: ImportPreviewProblem[] };
  /** A successful reply's other media type and example lines of it, e.g. a stream of JSON Lines. */
  readonly lines?: { readonly mediaType: string; readonly examples: Readonly<Record<string, unknown>> };
}

const ENTRY_ID = "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e";
const FOLDER_ID = "7c2e9a40-1b3d-4f5e-8a6b-9c0d1e2f3a4b";
const OWNER_ID = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
const IMPORT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const GRANT_ID = "2f3e4d5c-6b7a-4898-a7b6-c5d4e3f2a1b0";
const GROUP_ID = "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d";

const platformGroup = { kind: "group" as const, id: GROUP_ID, name: "Platform team", detail: null };
const grant: GrantView = {
  id: GRANT_ID,
  principal: platformGroup,
  scope: { kind: "folder", id: FOLDER_ID, name: "Finance" },
  permission: "use",
  state: "live",
  expiresAt: "2026-12-01T18:00:00.000Z",
  createdAt: "2026-12-01T10:00:00.000Z",
  grantedBy: { id: OWNER_ID, name: "Alice Martin" },
  revokedAt: null,
  revokedBy: null,
  fromAccessRequest: false,
};

const session: SessionInfo = {
  user: { id: OWNER_ID, username: "alice", displayName: "Alice Martin", role: "admin" },
  csrfToken: "kq3V1w8xLr0dYb2N5tZs7uPc",
  expiresAt: "2026-12-01T21:00:00.000Z",
  language: "fr",
};
const signedIn: SignInReply = { status: "signed_in", session, token: "ww_5f2b8c1d9e4a7f3b6c0d2e8a1b4c7d9f" };

const entry: EntryDetail = {
  id: ENTRY_ID,
  name: "AWS root",
  folderId: FOLDER_ID,
  issuer: "Amazon Web Services",
  account: "root@example.com",
  url: "https://console.aws.amazon.com/",
  tags: ["cloud"],
  templateId: "otp-only",
  ownerId: OWNER_ID,
  owner: { id: OWNER_ID, name: "Alice Martin" },
  sharedWith: [{ grantId: GRANT_ID, principal: platformGroup, permission: "use", via: "folder", expiresAt: "2026-12-01T18:00:00.000Z" }],
  otp: { type: "totp", algorithm: "SHA1", digits: 6, period: 30, seedUpdatedAt: "2026-11-30T09:12:00.000Z" },
  recoveryCodes: { total: 10, remaining: 9 },
  updatedAt: "2026-11-30T09:12:00.000Z",
  username: null,
  notes: null,
  templateName: "OTP only",
  fields: [],
  createdAt: "2026-11-30T09:12:00.000Z",
  canManage: true,
};
const entryReply: EntryReply = { entry, warnings: [] };
const { username: _username, notes: _notes, templateName: _templateName, fields: _fields, createdAt: _createdAt, canManage: _canManage, ...summary } = entry;

const code: CodeReply = { code: "492039", type: "totp", digits: 6, period: 30, validFrom: 1795420800, validUntil: 1795420830 };
const folder: Folder = { id: FOLDER_ID, name: "Finance", entryCount: 3 };
const template: Template = {
  id: "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a",
  name: "Bank portal",
  builtIn: false,
  fields: [
    { key: "customer_number", label: "Customer number", type: "text", required: true },
    { key: "pin", label: "PIN", type: "secret", required: true },
    { key: "seed", label: "OTP seed", type: "otp", required: false },
  ],
  entryCount: 3,
};
const folderPage: FolderPage = { ...folder, approverGroup: { id: GROUP_ID, name: "Platform team" }, grants: [grant], canGrant: true, canAdminister: true };
const templateRequest = { name: template.name, fields: template.fields };
const noOtp: ImportPreviewProblem = { index: 1, label: "Entry 2", labelKey: "entry", labelParams: { number: 2 }, message: "The entry has no OTP information.", key: "import_entry_no_otp", params: {} };
const reason = { reason: "Locked out of the registrar, ticket OPS-1234" };

const USER_ID = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
const LINK_TOKEN = "mO3hYx2Qk9ZcV1bN7tR4sW8pL0aJ6dF5gH2eU9iK3yT";
const user: User = {
  id: USER_ID,
  username: "bob",
  displayName: "Bob Durand",
  role: "member",
  email: "bob@example.com",
  language: "fr",
  status: "active",
  locked: false,
  createdAt: "2026-11-02T08:30:00.000Z",
  disabledAt: null,
};
const invitedUser: User = { ...user, status: "invited", language: null };
const inviteReply: UserLinkReply = { user: invitedUser, link: `https://watchword.example.com/join#token=${LINK_TOKEN}`, expiresAt: "2026-12-08T09:00:00.000Z", mailed: true, warnings: [] };
const resetReply: UserLinkReply = { user, link: `https://watchword.example.com/reset-password#token=${LINK_TOKEN}`, expiresAt: "2026-12-02T09:00:00.000Z", mailed: true, warnings: [] };
const linkStatus: LinkStatusReply = { username: "bob", displayName: "Bob Durand", expiresAt: "2026-12-08T09:00:00.000Z" };
const group: Group = {
  id: GROUP_ID,
  name: "Finance",
  createdAt: "2026-11-03T10:00:00.000Z",
  members: [{ userId: USER_ID, username: "bob", displayName: "Bob Durand", addedAt: "2026-11-03T10:05:00.000Z" }],
};
const SERVICE_ACCOUNT_ID = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
const serviceAccount: ServiceAccount = { id: SERVICE_ACCOUNT_ID, name: "deploy-bot", description: "Release pipeline", createdAt: "2026-11-30T09:12:00.000Z", disabledAt: null, activeTokens: 1 };
const tokenRequest: CreateApiTokenRequest = { label: "GitHub Actions", scope: { entryIds: [ENTRY_ID], folderIds: [], permissions: ["use"] }, expiresInSeconds: 2_592_000, allowedCidrs: ["10.0.0.0/8"] };
const apiToken: ApiToken = {
  id: "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f",
  serviceAccountId: SERVICE_ACCOUNT_ID,
  serviceAccountName: "deploy-bot",
  label: "GitHub Actions",
  scope: tokenRequest.scope,
  allowedCidrs: ["10.0.0.0/8"],
  expiresAt: "2026-12-30T09:12:00.000Z",
  createdAt: "2026-11-30T09:12:00.000Z",
  lastUsedAt: "2026-12-01T06:00:12.000Z",
  lastUsedIp: "10.4.2.17",
  revokedAt: null,
  state: "active",
};

const codeIssued: AuditEventView = {
  id: "3d6e9f12-4b7a-4c8d-9e0f-1a2b3c4d5e6f",
  seq: 1204,
  at: "2026-12-01T15:04:05.123Z",
  actor: { type: "user", id: OWNER_ID, name: "alice" },
  action: "code.issued",
  outcome: "success",
  target: { type: "entry", id: ENTRY_ID, name: "AWS root" },
  entry: { id: ENTRY_ID, name: "AWS root" },
  folderId: FOLDER_ID,
  approvedBy: { requestId: "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e", approvers: [{ id: USER_ID, name: "bob" }] },
  reason: null,
  ip: "192.0.2.10",
  userAgent: "watchword-cli/1.4.0",
  channel: "cli",
  details: {},
};
const useDenied: AuditEventView = {
  ...codeIssued,
  id: "8e1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b",
  seq: 1203,
  at: "2026-12-01T15:01:44.870Z",
  actor: { type: "service_account", id: GROUP_ID, name: "deploy-pipeline" },
  outcome: "denied",
  approvedBy: null,
  reason: "out_of_scope",
  ip: "198.51.100.7",
  userAgent: "curl/8.5.0",
  channel: "api",
  details: { apiTokenId: GRANT_ID },
};
const auditPage: AuditEventPage = { events: [codeIssued, useDenied], nextCursor: "c2VxOjEyMDM" };

export const OPERATION_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "GET /healthz": { reply: { status: "ok" } satisfies HealthReply },
  "GET /readyz": { reply: { status: "ready", database: "ok", migrations: "current" } satisfies ReadinessReply },
  "POST /api/v1/auth/sign-in": { request: { username: "alice", password: "correct horse battery staple", client: "cli" }, reply: signedIn },
  "POST /api/v1/auth/sign-out": { request: {} },
  "POST /api/v1/users/unlock": {
    request: { username: "bob" },
    reply: { user: { id: ENTRY_ID, username: "bob", displayName: "Bob Durand", role: "member" }, wasLocked: true, failedSignInsCleared: 100 } satisfies UnlockUserReply,
  },
  "GET /api/v1/audit/destinations": {
    reply: {
      destinations: [
        {
          name: "splunk",
          transport: "webhook",
          target: "https://siem.example.com",
          deliveredSeq: 18_422,
          headSeq: 18_422,
          backlog: 0,
          lagSeconds: 0,
          failures: 0,
          lastError: null,
          lastErrorAt: "2026-12-01T08:12:40.000Z",
          lastSuccessAt: "2026-12-01T09:30:02.118Z",
          deliverer: "vault-1:4182",
        },
        {
          name: "syslog",
          transport: "syslog-tls",
          target: "syslog+tls://logs.example.com:6514",
          deliveredSeq: 18_390,
          headSeq: 18_422,
          backlog: 33,
          lagSeconds: 41.5,
          failures: 3,
          lastError: "syslog+tls://logs.example.com:6514 could not be reached (ECONNREFUSED); the events wait and are delivered in order once it answers.",
          lastErrorAt: "2026-12-01T09:30:01.902Z",
          lastSuccessAt: "2026-12-01T09:29:20.511Z",
          deliverer: "vault-2:3977",
        },
      ],
    } satisfies AuditDestinationList,
  },
  "POST /api/v1/audit/verify": {
    request: {},
    reply: {
      intact: false,
      eventsChecked: 16,
      keyedFrom: 1,
      headSeq: 1204,
      checkpointsChecked: 1,
      brokenAt: 17,
      finding: { key: "audit_chain_event_changed", params: { seq: 17 } },
      message: "Event 17 does not match its link: it was modified, forged, or moved from elsewhere in the chain.",
    } satisfies AuditVerificationReply,
    lines: {
      mediaType: AUDIT_VERIFY_STREAM_TYPE,
      examples: {
        first: { checked: 0, total: 1204 } satisfies AuditVerificationProgress,
        progress: { checked: 16, total: 1204 } satisfies AuditVerificationProgress,
        verdict: {
          intact: true,
          eventsChecked: 1204,
          keyedFrom: 1,
          headSeq: 1204,
          checkpointsChecked: 3,
          brokenAt: null,
          finding: { key: "audit_chain_intact", params: { count: 1204, checkpoints: 3 } },
          message: "The audit chain is intact: 1,204 events, checked against 3 checkpoints.",
        } satisfies AuditVerificationReply,
      },
    },
  },
  "GET /api/v1/audit/events": { reply: auditPage },
  "GET /api/v1/entries/{id}/audit-events": { reply: { events: [codeIssued], nextCursor: null } satisfies AuditEventPage },
  "GET /api/v1/audit/export": { reply: [codeIssued, useDenied] satisfies AuditEventView[] },
  "GET /api/v1/session": { reply: session },
  "GET /api/v1/auth/sso": { reply: { configured: true, label: "Okta" } satisfies SsoInfo },
  "GET /api/v1/users": { reply: { users: [user, invitedUser] } satisfies UserList },
  "POST /api/v1/users": { request: { username: "bob", displayName: "Bob Durand", role: "member", email: "bob@example.com" }, reply: inviteReply },
  "POST /api/v1/users/{id}/invite": { request: {}, reply: inviteReply },
  "POST /api/v1/users/{id}/password-reset": { request: {}, reply: resetReply },
  "PUT /api/v1/users/{id}/role": { request: { role: "auditor" }, reply: { ...user, role: "auditor" } satisfies User },
  "POST /api/v1/users/{id}/disable": { request: {}, reply: { ...user, status: "disabled", disabledAt: "2026-11-30T09:12:00.000Z" } satisfies User },
  "POST /api/v1/users/{id}/enable": { request: {}, reply: user },
  "DELETE /api/v1/users/{id}": {},
  "GET /api/v1/account": { reply: user },
  "PATCH /api/v1/account": { request: { displayName: "Bob Durand", language: "fr" }, reply: user },
  "POST /api/v1/account/password": { request: { currentPassword: "correct horse battery staple", newPassword: "plum orbit lantern glacier" } },
  "POST /api/v1/invites/status": { request: { token: LINK_TOKEN }, reply: linkStatus },
  "POST /api/v1/invites/accept": { request: { token: LINK_TOKEN, password: "plum orbit lantern glacier", displayName: "Bob Durand" }, reply: { status: "signed_in", session } },
  "POST /api/v1/password-resets/status": { request: { token: LINK_TOKEN }, reply: linkStatus },
  "POST /api/v1/password-resets/complete": { request: { token: LINK_TOKEN, password: "plum orbit lantern glacier" }, reply: { status: "signed_in", session } },
  "GET /api/v1/groups": { reply: { groups: [group] } satisfies GroupList },
  "POST /api/v1/groups": { request: { name: "Finance" }, reply: { ...group, members: [] } satisfies Group },
  "PATCH /api/v1/groups/{id}": { request: { name: "Finance team" }, reply: { ...group, name: "Finance team" } satisfies Group },
  "DELETE /api/v1/groups/{id}": {},
  "PUT /api/v1/groups/{id}/members/{userId}": { request: {}, reply: group },
  "DELETE /api/v1/groups/{id}/members/{userId}": { reply: { ...group, members: [] } satisfies Group },
  "POST /api/v1/setup/status": { request: { token: "Qm9vdHN0cmFwLXRva2VuLWZyb20tdGhlLWxpbms" }, reply: { state: "ready" } },
  "POST /api/v1/setup": {
    request: { token: "Qm9vdHN0cmFwLXRva2VuLWZyb20tdGhlLWxpbms", username: "alice", displayName: "Alice Martin", password: "correct horse battery staple" },
    reply: { status: "signed_in", session },
  },
  "GET /api/v1/entries": { reply: { entries: [summary], nextCursor: null } satisfies EntryList },
  "GET /api/v1/entry-tags": { reply: { tags: [{ tag: "cloud", entries: 12 }, { tag: "prod", entries: 7 }], isComplete: true } satisfies EntryTagList },
  "POST /api/v1/entries": { request: { name: "AWS root", folderId: FOLDER_ID, seed: { secret: "JBSWY3DPEHPK3PXP" }, tags: ["cloud"] }, reply: entryReply },
  "GET /api/v1/entries/{id}": { reply: entry },
  "PATCH /api/v1/entries/{id}": { request: { name: "AWS root (prod)", tags: ["cloud", "prod"] }, reply: entryReply },
  "DELETE /api/v1/entries/{id}": {},
  "PUT /api/v1/entries/{id}/seed": { request: { uri: "otpauth://totp/AWS:root@example.com?secret=JBSWY3DPEHPK3PXP&issuer=AWS" }, reply: entryReply },
  "GET /api/v1/entries/{id}/code": { reply: code },
  "POST /api/v1/entries/{id}/code": { request: {}, reply: { ...code, type: "hotp", period: null, validUntil: null } satisfies CodeReply },
  "GET /api/v1/codes": { reply: { codes: [{ entryId: ENTRY_ID, ...code }], problems: [], serverTime: 1795420812.25 } satisfies BatchCodesReply },
  "POST /api/v1/entries/{id}/recovery-codes/next": { request: reason, reply: { code: "7XQ4-M2PK", remaining: 8 } satisfies RecoveryCodeReply },
  "POST /api/v1/entries/{id}/recovery-codes/all": {
    request: reason,
    reply: { codes: [{ code: "7XQ4-M2PK", used: true }, { code: "C9RT-5WNE", used: false }] } satisfies AllRecoveryCodesReply,
  },
  "PUT /api/v1/entries/{id}/recovery-codes": { request: { codes: ["7XQ4-M2PK", "C9RT-5WNE", "H3LV-8DJA"] }, reply: entryReply },
  "POST /api/v1/entries/{id}/fields/{key}/reveal": { request: reason, reply: { value: "plum-orbit-4417" } satisfies RevealFieldReply },
  "GET /api/v1/folders": { reply: { folders: [folder] } },
  "POST /api/v1/folders": { request: { name: "Finance" }, reply: { ...folder, entryCount: 0 } satisfies Folder },
  "PATCH /api/v1/folders/{id}": { request: { name: "Finance and payroll" }, reply: { ...folder, name: "Finance and payroll" } satisfies Folder },
  "DELETE /api/v1/folders/{id}": {},
  "GET /api/v1/templates": { reply: { templates: [template] } },
  "POST /api/v1/templates": { request: templateRequest, reply: { ...template, entryCount: 0 } satisfies Template },
  "PUT /api/v1/templates/{id}": { request: { ...templateRequest, name: "Bank login" }, reply: { ...template, name: "Bank login" } satisfies Template },
  "DELETE /api/v1/templates/{id}": {},
  "POST /api/v1/imports": {
    request: { data: "eyJ2ZXJzaW9uIjoxLCJkYiI6eyJlbnRyaWVzIjpbXX19", format: "aegis", fileName: "aegis-export.json" },
    reply: {
      importId: IMPORT_ID,
      format: "aegis",
      expiresAt: "2026-12-01T10:30:00.000Z",
      entries: [
        { index: 0, name: "GitHub (alice)", issuer: "GitHub", account: "alice", folder: "Work", type: "totp", algorithm: "SHA1", digits: 6, period: 30, duplicateOf: null, warnings: [] },
      ],
      problems: [noOtp],
    } satisfies ImportPreview,
    // Nothing importable: the sentence counts, the rows say why, each by key.
    problem: { status: 400, text: { key: "import_nothing_importable", params: { count: 1 } }, rows: [{ ...noOtp, index: 0, label: "Entry 1", labelParams: { number: 1 } }] },
  },
  "POST /api/v1/imports/{id}/confirm": { request: { folderId: FOLDER_ID, include: [0] }, reply: { created: [{ index: 0, id: ENTRY_ID, name: "GitHub (alice)" }] } satisfies ConfirmImportReply },
  "DELETE /api/v1/imports/{id}": {},
  "POST /api/v1/grants": { request: { principal: { kind: "group", id: GROUP_ID }, scope: { kind: "folder", id: FOLDER_ID }, permission: "use", durationSeconds: 28_800 }, reply: grant },
  "GET /api/v1/grants": { reply: { grants: [grant] } satisfies GrantList },
  "DELETE /api/v1/grants/{id}": {},
  "GET /api/v1/principals": {
    reply: { principals: [{ kind: "user", id: OWNER_ID, name: "Alice Martin", detail: "alice" }, platformGroup] } satisfies PrincipalList,
  },
  "GET /api/v1/folders/{id}": { reply: folderPage },
  "PUT /api/v1/folders/{id}/approver-group": { request: { groupId: GROUP_ID }, reply: folderPage },
  ...ACCESS_REQUEST_EXAMPLES,
  ...ALERT_EXAMPLES,
  ...SIGN_IN_SECURITY_EXAMPLES,
  ...PASSKEY_EXAMPLES,
  ...PUSH_APPROVAL_EXAMPLES,
  ...SECOND_FACTOR_EXAMPLES(signedIn),
  ...RECOVERY_METHOD_EXAMPLES(signedIn),
  ...MFA_ENFORCEMENT_EXAMPLES,
  "GET /api/v1/service-accounts": { reply: { serviceAccounts: [serviceAccount] } satisfies ServiceAccountList },
  "POST /api/v1/service-accounts": { request: { name: "deploy-bot", description: "Release pipeline" }, reply: { ...serviceAccount, activeTokens: 0 } },
  "POST /api/v1/service-accounts/{id}/disable": { request: {}, reply: { ...serviceAccount, disabledAt: "2026-12-02T08:00:00.000Z" } },
  "POST /api/v1/service-accounts/{id}/enable": { request: {}, reply: serviceAccount },
  "POST /api/v1/service-accounts/{id}/tokens": {
    request: tokenRequest,
    // Made up, in the shape of a real one: ww_ and 43 base64url characters (256 bits).
    reply: { token: "ww_EXAMPLEexampleEXAMPLEexampleEXAMPLEexample0", ...apiToken, lastUsedAt: null, lastUsedIp: null } satisfies CreatedApiToken,
  },
  "GET /api/v1/api-tokens": { reply: { tokens: [apiToken] } satisfies ApiTokenList },
  "POST /api/v1/api-tokens/{id}/revoke": { request: {}, reply: { ...apiToken, revokedAt: "2026-12-02T08:00:00.000Z", state: "revoked" } satisfies ApiToken },
};
