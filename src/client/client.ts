// The typed HTTP client for Watchword's API: used by the CLI, the web app and the tests, with a
// swappable fetch. It never logs; an error reply becomes an ApiError carrying the server's sentence
// and, for translation, the problem's key and parameters.
import type { SsoInfo } from "../contract/sso.js";
import type {
  AccountRecovery,
  AccountRecoveryList,
  ConfirmRecoveryMethodRequest,
  ConfirmRecoveryRequest,
  OwnRecoveryMethod,
  RecoveryChallengeRequest,
  RecoveryMethod,
  RecoveryStatusReply,
  SentRecoveryCode,
  StartRecoveryMethodRequest,
} from "../contract/recovery-method.js";
import type { FolderStepUpReply, MfaEnforcementReply, MfaEnforcementRequest, StepUpReply, StepUpRequest } from "../contract/mfa-enforcement.js";
import type { AlertList, CreateAlertRequest, CreatedAlert } from "../contract/alerts.js";
import type { CompleteSetupRequest, Role as UserRole, SessionInfo, SetupStatusReply, SignInReply, SignInRequest } from "../contract/auth.js";
import type { AllRecoveryCodesReply, BatchCodesReply, CodeReply, RecoveryCodeReply, RevealFieldReply } from "../contract/codes.js";
import { ENTRY_PAGE_MAX } from "../core/entry-paging.js";
import type {
  CreateEntryRequest,
  CreateFolderRequest,
  CreateTemplateRequest,
  RenameFolderRequest,
  EntryDetail,
  EntryList,
  EntryTagList,
  EntryTagQuery,
  EntryListQuery,
  EntryReply,
  EntrySeedInput,
  Folder,
  Template,
  UpdateEntryRequest,
  UpdateTemplateRequest,
} from "../contract/entries.js";
import type { HealthReply, ReadinessReply } from "../contract/health.js";
import type {
  ConfirmTotpRequest,
  PasskeyReauthenticateRequest,
  ReauthenticateReply,
  ReauthenticateRequest,
  SecondFactorSignInRequest,
  SignInOutcome,
  TotpEnrolment,
  UserFactor,
  UserFactorList,
} from "../contract/second-factors.js";
import type { ConfirmImportReply, ConfirmImportRequest, CreateImportRequest, ImportPreview, ImportPreviewProblem } from "../contract/imports.js";
import type { ApiErrorCode, Problem } from "../contract/problem.js";
// From the catalogue itself, not the contract module that re-exports it: that one loads typebox,
// which a CLI client verb must not pay for at start (test/integration/cli-start.test.ts).
import { isProblemKey, renderProblem, type ProblemKey, type ProblemParams, type ProblemText } from "../core/problems/catalogue.js";
import type { Group, GroupList } from "../contract/groups.js";
import type {
  AcceptInviteRequest,
  ChangePasswordRequest,
  CompleteResetRequest,
  InviteUserRequest,
  LinkStatusReply,
  UnlockUserReply,
  UpdateAccountRequest,
  User,
  UserLinkReply,
  UserList,
} from "../contract/users.js";
import type { CreateGrantRequest, FolderPage, GrantList, GrantListQuery, GrantView, PrincipalList, PrincipalQuery } from "../contract/grants.js";
import type { AuditDestinationList } from "../contract/audit-destinations.js";
import type { AuditEventPage, AuditEventQuery, AuditExportQuery, AuditVerificationReply, EntryAuditEventQuery } from "../contract/audit.js";
import type {
  AccessRequest,
  AccessRequestCount,
  AccessRequestList,
  AccessRequestView,
  ApproveAccessRequest,
  CreateAccessRequest,
  DecideAccessRequest,
  EmergencyCodeReply,
  EntryPolicyReply,
  EntryPolicyRequest,
  NotificationCount,
  NotificationList,
} from "../contract/access-requests.js";
import type { EndedSessions, GeneratedRecoveryCodes, OwnSessionList, RecoveryCodeStatus } from "../contract/sign-in-security.js";
import type { PushDecisionReply, PushDecisionRequest, PushDevice, PushDeviceList, PushRequestList, PushSignInReply, PushSignInRequest, PushSignInStatus, ReauthenticatePushRequest, RegisterPushDeviceRequest } from "../contract/push-approval.js";
import type { Passkey, PasskeyList, PasskeyOptionsReply, PasskeyOptionsRequest, PasskeySignInRequest, RegisterPasskeyRequest } from "../contract/passkeys.js";
import type { ApiToken, ApiTokenList, CreateApiTokenRequest, CreatedApiToken, CreateServiceAccountRequest, ServiceAccount, ServiceAccountList } from "../contract/service-accounts.js";

/** What the client reads of a reply: the part of fetch's Response that a small transport (the CLI's) gives too. */
export interface FetchReply {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body as it arrives, where the transport can stream it (the CLI's); otherwise text() is read whole. */
  chunks?(): AsyncIterable<Uint8Array>;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<FetchReply>;

export interface ClientOptions {
  /** "" for the same origin (the web app), or e.g. "http://127.0.0.1:8080". */
  readonly baseUrl: string;
  readonly fetch?: FetchLike;
  /** A bearer token (ww_…) for scripts and the CLI; browsers use the session cookie instead. */
  readonly token?: string;
  /** Sent as User-Agent where the runtime allows it (the CLI says "watchword-cli/<version>"). */
  readonly userAgent?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly requestId: string | undefined;
  /** Which problem this is (translate by it); undefined when the server sent none. */
  readonly key: ProblemKey | undefined;
  readonly params: ProblemParams;
  /** Why each row of an upload cannot be imported, when nothing in it can be (empty otherwise). */
  readonly rows: readonly ImportPreviewProblem[];

  constructor(status: number, code: ApiErrorCode, detail: string, field?: string, requestId?: string, text?: ProblemText, rows: readonly ImportPreviewProblem[] = []) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.requestId = requestId;
    this.key = text?.key;
    this.params = text?.params ?? {};
    this.rows = rows;
  }
}

/** A problem the client itself noticed (no reply, or one that is not problem+json), said from the catalogue. */
const clientProblem = (status: number, code: ApiErrorCode, text: ProblemText): ApiError => new ApiError(status, code, renderProblem(text), undefined, undefined, text);

const problemTextOf = (problem: Problem): ProblemText | undefined =>
  isProblemKey(problem.key) ? { key: problem.key, params: typeof problem.params === "object" && problem.params !== null ? problem.params : {} } : undefined;

const isProblem = (value: unknown): value is Problem =>
  typeof value === "object" && value !== null && typeof (value as Problem).detail === "string" && typeof (value as Problem).code === "string";

export interface WatchwordClient {
  health(): Promise<HealthReply>;
  readiness(): Promise<ReadinessReply>;
  getSession(): Promise<SessionInfo>;
  /** Whether single sign-on is set up, and its button's label (asked before signing in). */
  getSsoInfo(): Promise<SsoInfo>;
  /** Signs in with a password alone: an account with a second factor is refused (second_factor_required); use startSignIn. */
  signIn(request: SignInRequest): Promise<SignInReply>;
  /** The password step: signed in, or mfa_required with the challenge to answer with finishSignIn. */
  startSignIn(request: SignInRequest): Promise<SignInOutcome>;
  /** The second step: the browser's challenge cookie, or challengeToken with client "cli". */
  finishSignIn(request: SecondFactorSignInRequest): Promise<SignInReply>;
  /** Sudo mode: password (and second factor) again; for a few minutes sensitive changes are allowed. */
  reauthenticate(request: ReauthenticateRequest): Promise<ReauthenticateReply>;
  /** Options for answering a sign-in's second step with a passkey (the CLI sends its challengeToken). */
  secondFactorPasskeyOptions(request?: { challengeToken?: string; client?: "browser" | "cli" }): Promise<PasskeyOptionsReply>;
  /** Options for re-authenticating with a passkey as the second factor. */
  reauthenticationPasskeyOptions(): Promise<PasskeyOptionsReply>;
  /** Options for re-authenticating with a passkey instead of the password. */
  passkeyReauthenticationOptions(): Promise<PasskeyOptionsReply>;
  reauthenticateWithPasskey(request: PasskeyReauthenticateRequest): Promise<ReauthenticateReply>;
  /** Sudo mode by push approval: checks the password, sends a request bound to this session, answers the number to show. */
  requestReauthenticationPush(request: ReauthenticatePushRequest): Promise<PushSignInReply>;
  reauthenticationPushStatus(): Promise<PushSignInStatus>;
  signOut(): Promise<void>;
  checkSetup(token: string): Promise<SetupStatusReply>;
  completeSetup(request: CompleteSetupRequest): Promise<SignInReply>;

  /** One page (by name): pass nextCursor back as cursor for the next. */
  listEntries(query?: EntryListQuery): Promise<EntryList>;
  /** Every page of the list, followed to the end, as one list (for pickers and the CLI that need all). */
  listAllEntries(query?: Omit<EntryListQuery, "cursor" | "limit">): Promise<EntryList>;
  /** The tags of the entries listEntries shows (every page), the most used first, with their counts. */
  listEntryTags(query?: EntryTagQuery): Promise<EntryTagList>;
  getEntry(id: string): Promise<EntryDetail>;
  createEntry(request: CreateEntryRequest): Promise<EntryReply>;
  updateEntry(id: string, request: UpdateEntryRequest): Promise<EntryReply>;
  deleteEntry(id: string): Promise<void>;
  /** Replaces the seed (the target service issued a new one); the old one is destroyed. */
  overwriteSeed(id: string, seed: EntrySeedInput): Promise<EntryReply>;
  /** The current TOTP or Steam code. */
  getCode(id: string): Promise<CodeReply>;
  /** A fresh second factor before codes of an entry (or folder) that asks for one. */
  stepUp(entryId: string, request: StepUpRequest): Promise<StepUpReply>;
  /** Push approval as the step-up: a request to the person's devices bound to this session; then stepUp with method push once approved. */
  requestStepUpPush(entryId: string): Promise<PushSignInReply>;
  stepUpPushStatus(entryId: string): Promise<PushSignInStatus>;
  getFolderStepUp(folderId: string): Promise<FolderStepUpReply>;
  setFolderStepUp(folderId: string, required: boolean): Promise<FolderStepUpReply>;
  /** Who must use two-step verification (administrators). */
  getMfaEnforcement(): Promise<MfaEnforcementReply>;
  setMfaEnforcement(request: MfaEnforcementRequest): Promise<MfaEnforcementReply>;
  /** The next HOTP code (advances the counter); also works for TOTP. */
  takeCode(id: string): Promise<CodeReply>;
  /** Current codes of every TOTP and Steam entry the caller may use. */
  batchCodes(): Promise<BatchCodesReply>;

  listFolders(): Promise<{ folders: Folder[] }>;
  createFolder(request: CreateFolderRequest): Promise<Folder>;
  renameFolder(id: string, request: RenameFolderRequest): Promise<Folder>;
  /** Refused (conflict, with the count) while the folder holds entries. */
  deleteFolder(id: string): Promise<void>;
  listTemplates(): Promise<{ templates: Template[] }>;
  createTemplate(request: CreateTemplateRequest): Promise<Template>;
  updateTemplate(id: string, request: UpdateTemplateRequest): Promise<Template>;
  /** Refused (conflict, with the count) while entries use the template. */
  deleteTemplate(id: string): Promise<void>;

  revealNextRecoveryCode(id: string, reason: string): Promise<RecoveryCodeReply>;
  revealAllRecoveryCodes(id: string, reason: string): Promise<AllRecoveryCodesReply>;
  replaceRecoveryCodes(id: string, codes: string[]): Promise<EntryReply>;
  revealField(id: string, key: string, reason: string): Promise<RevealFieldReply>;

  createImport(request: CreateImportRequest): Promise<ImportPreview>;
  confirmImport(importId: string, request?: ConfirmImportRequest): Promise<ConfirmImportReply>;
  discardImport(importId: string): Promise<void>;

  /** For administrators: unlocks an account that failed sign-ins from unknown devices have locked. */
  unlockUser(username: string): Promise<UnlockUserReply>;

  // People (administrators): users.
  listUsers(): Promise<UserList>;
  /** Creates the user and answers their one-time invitation link (shown once; mailed when SMTP is configured). */
  inviteUser(request: InviteUserRequest): Promise<UserLinkReply>;
  /** A new invitation link for a user who has not accepted theirs. */
  reissueInvite(userId: string): Promise<UserLinkReply>;
  issuePasswordReset(userId: string): Promise<UserLinkReply>;
  changeRole(userId: string, role: UserRole): Promise<User>;
  disableUser(userId: string): Promise<User>;
  enableUser(userId: string): Promise<User>;
  /** `entriesTo`: who receives the user's entries (required when they own any). */
  deleteUser(userId: string, entriesTo?: string): Promise<void>;

  // People (administrators): groups.
  listGroups(): Promise<GroupList>;
  createGroup(name: string): Promise<Group>;
  renameGroup(groupId: string, name: string): Promise<Group>;
  deleteGroup(groupId: string): Promise<void>;
  addGroupMember(groupId: string, userId: string): Promise<Group>;
  removeGroupMember(groupId: string, userId: string): Promise<Group>;

  // The caller's own account.
  getAccount(): Promise<User>;
  updateAccount(request: UpdateAccountRequest): Promise<User>;
  /** Other sessions of the user end; this one stays. */
  changePassword(request: ChangePasswordRequest): Promise<void>;
  /** How many of the user's own sign-in recovery codes remain. */
  getRecoveryCodeStatus(): Promise<RecoveryCodeStatus>;
  /** A new set of ten sign-in recovery codes (the old set stops working), shown in this reply only. */
  generateRecoveryCodes(): Promise<GeneratedRecoveryCodes>;
  listOwnSessions(): Promise<OwnSessionList>;
  endOwnSession(sessionId: string): Promise<void>;
  endOtherSessions(): Promise<EndedSessions>;
  /** Options for navigator.credentials.create(); needs the current password. */
  passkeyRegistrationOptions(request?: PasskeyOptionsRequest): Promise<PasskeyOptionsReply>;
  registerPasskey(request: RegisterPasskeyRequest): Promise<Passkey>;
  listPasskeys(): Promise<PasskeyList>;
  renamePasskey(id: string, name: string): Promise<Passkey>;
  removePasskey(id: string): Promise<void>;
  /** Options for a passkey-only sign-in (the challenge is bound to this browser's cookie). */
  passkeySignInOptions(): Promise<PasskeyOptionsReply>;
  signInWithPasskey(request: PasskeySignInRequest): Promise<SignInReply>;
  /** Push approval: this browser's registration, the requests it answers, and a pending sign-in's side. */
  listPushDevices(): Promise<PushDeviceList>;
  registerPushDevice(request: RegisterPushDeviceRequest): Promise<PushDevice>;
  removePushDevice(id: string): Promise<void>;
  listPushRequests(): Promise<PushRequestList>;
  decidePushRequest(id: string, request: PushDecisionRequest): Promise<PushDecisionReply>;
  requestPushApproval(request?: PushSignInRequest): Promise<PushSignInReply>;
  pushApprovalStatus(request?: PushSignInRequest): Promise<PushSignInStatus>;
  listFactors(): Promise<UserFactorList>;
  /** Needs sudo mode. The reply carries the new key: show it, never keep it. */
  startTotpEnrolment(): Promise<TotpEnrolment>;
  confirmTotpEnrolment(factorId: string, request: ConfirmTotpRequest): Promise<UserFactor>;
  renameFactor(factorId: string, name: string): Promise<UserFactor>;
  /** Needs sudo mode; ends the user's other sessions. */
  removeFactor(factorId: string): Promise<void>;

  // One-time links, opened without a session.
  checkInvite(token: string): Promise<LinkStatusReply>;
  acceptInvite(request: AcceptInviteRequest): Promise<SignInReply>;
  checkPasswordReset(token: string): Promise<LinkStatusReply>;
  completePasswordReset(request: CompleteResetRequest): Promise<SignInReply>;
  /** Grants a principal a permission on an entry or folder (administrators and its managers). */
  createGrant(request: CreateGrantRequest): Promise<GrantView>;
  /** An entry's grants (its folder's too) or a folder's; without either, every grant (administrators). */
  listGrants(query?: GrantListQuery): Promise<GrantList>;
  revokeGrant(id: string): Promise<void>;
  /** Users, groups and service accounts by name, for those who may grant. */
  findPrincipals(query?: PrincipalQuery): Promise<PrincipalList>;
  getFolder(id: string): Promise<FolderPage>;
  /** null: no approver group (administrators). */
  setFolderApproverGroup(id: string, groupId: string | null): Promise<FolderPage>;
  /** For administrators and auditors: checks the audit chain against the server's checkpoints. */
  verifyAudit(): Promise<AuditVerificationReply>;
  /** For administrators: each SIEM destination and its delivery state. */
  auditDestinations(): Promise<AuditDestinationList>;
  /** For administrators and auditors: a page of audit events, newest first (pass nextCursor as cursor for the next). */
  listAuditEvents(query?: AuditEventQuery): Promise<AuditEventPage>;
  /** An entry's audit events (its managers, administrators and auditors). */
  listEntryAuditEvents(entryId: string, query?: EntryAuditEventQuery): Promise<AuditEventPage>;
  /** Every matching event in the format asked, as text while it arrives; an error reply throws before the first piece. */
  exportAuditEvents(query: AuditExportQuery): Promise<AsyncIterable<string>>;
  // Access requests, approvals and break glass.
  requestAccess(request: CreateAccessRequest): Promise<AccessRequest>;
  /** mine (default), to-approve or to-review. */
  listAccessRequests(view?: AccessRequestView): Promise<AccessRequestList>;
  countAccessRequests(): Promise<AccessRequestCount>;
  getAccessRequest(id: string): Promise<AccessRequest>;
  approveAccessRequest(id: string, request?: ApproveAccessRequest): Promise<AccessRequest>;
  denyAccessRequest(id: string, request?: DecideAccessRequest): Promise<AccessRequest>;
  reviewEmergencyUse(id: string, request?: DecideAccessRequest): Promise<AccessRequest>;
  cancelAccessRequest(id: string): Promise<AccessRequest>;
  /** Break glass: the code at once against a reason, where the entry allows it. */
  emergencyCode(entryId: string, reason: string): Promise<EmergencyCodeReply>;
  getEntryPolicy(entryId: string): Promise<EntryPolicyReply>;
  setEntryPolicy(entryId: string, policy: EntryPolicyRequest): Promise<EntryPolicyReply>;
  /** An entry's alerts: the caller's own, everyone's for its managers. */
  listAlerts(entryId: string): Promise<AlertList>;
  /** A webhook's signing secret is in this reply only. */
  createAlert(entryId: string, request: CreateAlertRequest): Promise<CreatedAlert>;
  deleteAlert(entryId: string, alertId: string): Promise<void>;
  /** A folder's alerts: of every entry in it, and of access requests for the folder. */
  listFolderAlerts(folderId: string): Promise<AlertList>;
  createFolderAlert(folderId: string, request: CreateAlertRequest): Promise<CreatedAlert>;
  deleteFolderAlert(folderId: string, alertId: string): Promise<void>;
  listNotifications(): Promise<NotificationList>;
  countNotifications(): Promise<NotificationCount>;
  /** Everything up to `until` (ISO time; default now) counts as read. */
  markNotificationsRead(until?: string): Promise<void>;
  /** Service accounts and their API tokens (administrators). */
  listServiceAccounts(): Promise<ServiceAccountList>;
  createServiceAccount(request: CreateServiceAccountRequest): Promise<ServiceAccount>;
  disableServiceAccount(id: string): Promise<ServiceAccount>;
  enableServiceAccount(id: string): Promise<ServiceAccount>;
  /** The reply's `token` is shown this once. */
  createApiToken(serviceAccountId: string, request: CreateApiTokenRequest): Promise<CreatedApiToken>;
  listApiTokens(serviceAccountId?: string): Promise<ApiTokenList>;
  revokeApiToken(id: string): Promise<ApiToken>;
  /** The account-recovery method (sudo mode to change it) and account recovery (issue 10). */
  getRecoveryMethod(): Promise<OwnRecoveryMethod>;
  startRecoveryMethod(request: StartRecoveryMethodRequest): Promise<SentRecoveryCode>;
  confirmRecoveryMethod(request: ConfirmRecoveryMethodRequest): Promise<RecoveryMethod>;
  removeRecoveryMethod(): Promise<void>;
  cancelOwnRecovery(): Promise<void>;
  recoveryStatus(request?: RecoveryChallengeRequest): Promise<RecoveryStatusReply>;
  startRecovery(request?: RecoveryChallengeRequest): Promise<SentRecoveryCode>;
  confirmRecovery(request: ConfirmRecoveryRequest): Promise<AccountRecovery>;
  completeRecovery(request?: RecoveryChallengeRequest): Promise<SignInReply>;
  listAccountRecoveries(): Promise<AccountRecoveryList>;
  approveAccountRecovery(id: string): Promise<AccountRecovery>;
  denyAccountRecovery(id: string): Promise<AccountRecovery>;
}

const segment = (value: string): string => encodeURIComponent(value);

function queryString(query: Readonly<Record<string, string | undefined>>): string {
  const pairs = Object.entries(query).filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== "");
  return pairs.length === 0 ? "" : `?${new URLSearchParams(pairs).toString()}`;
}

/** A reply's body as text pieces, decoded across chunk edges. */
async function* textChunksOf(response: FetchReply): AsyncGenerator<string> {
  if (response.chunks === undefined) {
    yield await response.text();
    return;
  }
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of response.chunks()) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") yield text;
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

export function createClient(options: ClientOptions): WatchwordClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = options.baseUrl.replace(/\/+$/, "");
  // The CSRF token of a cookie session, learned from sign-in or getSession and sent on state changes.
  let csrfToken: string | undefined;

  async function call<T>(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown, isStreamed = false): Promise<T> {
    const headers: Record<string, string> = { accept: isStreamed ? "*/*" : "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.userAgent !== undefined) headers["user-agent"] = options.userAgent;
    if (method !== "GET" && csrfToken !== undefined) headers["x-csrf-token"] = csrfToken;
    let response: FetchReply;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        credentials: "same-origin",
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw clientProblem(0, "unavailable", { key: "server_unreachable", params: { address: base || "this address", reason } });
    }
    // A session renewed after a privilege change comes with its new CSRF token.
    const renewedCsrfToken = response.headers.get("x-csrf-token");
    if (renewedCsrfToken !== null) csrfToken = renewedCsrfToken;
    if (response.status === 204) return undefined as T;
    if (isStreamed && response.ok) return textChunksOf(response) as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      if (isProblem(parsed)) throw new ApiError(response.status, parsed.code, parsed.detail, parsed.field, parsed.requestId, problemTextOf(parsed), Array.isArray(parsed.rows) ? parsed.rows : []);
      const location = response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
      if (location !== null) {
        // A transport that follows no redirect (the CLI's) lands here: say where the server lives now.
        throw clientProblem(response.status, "unavailable", {
          key: "server_redirects",
          params: { status: response.status, statusText: response.statusText, location: location.slice(0, 200) },
        });
      }
      throw clientProblem(response.status, response.status >= 500 ? "unavailable" : "invalid_input", {
        key: "server_answered",
        params: { status: response.status, statusText: response.statusText },
      });
    }
    return parsed as T;
  }

  const remember = <T extends { session: SessionInfo } | SessionInfo>(reply: T): T => {
    csrfToken = "session" in reply ? reply.session.csrfToken : reply.csrfToken;
    return reply;
  };

  /**
   * A link's reply: signed in, or (the user has a second factor) a challenge the sign-in page
   * answers. Thrown as second_factor_required with the methods, so that callers typed for a
   * session see the one case they must handle.
   */
  const signedInOrSecondStep = (reply: SignInOutcome): SignInReply => {
    if (reply.status === "signed_in") return remember(reply);
    throw clientProblem(401, "unauthenticated", { key: "second_factor_required", params: { methods: reply.challenge.methods.join(",") } });
  };

  return {
    health: () => call("GET", "/healthz"),
    readiness: () => call("GET", "/readyz"),
    getSession: async () => remember(await call<SessionInfo>("GET", "/api/v1/session")),
    getSsoInfo: () => call<SsoInfo>("GET", "/api/v1/auth/sso"),
    async signIn(request) {
      const reply = await call<SignInOutcome>("POST", "/api/v1/auth/sign-in", request);
      if (reply.status === "mfa_required") throw clientProblem(401, "unauthenticated", { key: "second_factor_required", params: {} });
      return remember(reply);
    },
    async startSignIn(request) {
      const reply = await call<SignInOutcome>("POST", "/api/v1/auth/sign-in", request);
      return reply.status === "signed_in" ? remember(reply) : reply;
    },
    finishSignIn: async (request) => remember(await call<SignInReply>("POST", "/api/v1/auth/sign-in/second-factor", request)),
    reauthenticate: (request) => call("POST", "/api/v1/auth/reauthenticate", request),
    secondFactorPasskeyOptions: (request = {}) => call("POST", "/api/v1/auth/sign-in/second-factor/passkey-options", request),
    reauthenticationPasskeyOptions: () => call("POST", "/api/v1/auth/reauthenticate/passkey-options", {}),
    passkeyReauthenticationOptions: () => call("POST", "/api/v1/auth/reauthenticate/passkey/options", {}),
    reauthenticateWithPasskey: (request) => call("POST", "/api/v1/auth/reauthenticate/passkey", request),
    requestReauthenticationPush: (request) => call("POST", "/api/v1/auth/reauthenticate/push", request),
    reauthenticationPushStatus: () => call("POST", "/api/v1/auth/reauthenticate/push/status", {}),
    async signOut() {
      await call<void>("POST", "/api/v1/auth/sign-out", {});
      csrfToken = undefined;
    },
    checkSetup: (token) => call("POST", "/api/v1/setup/status", { token }),
    completeSetup: async (request) => remember(await call<SignInReply>("POST", "/api/v1/setup", request)),

    listEntries: (query = {}) => call("GET", `/api/v1/entries${queryString(query)}`),
    async listAllEntries(query = {}) {
      const entries: EntryList["entries"] = [];
      let cursor: string | null | undefined;
      do {
        const page = await call<EntryList>("GET", `/api/v1/entries${queryString({ ...query, limit: String(ENTRY_PAGE_MAX), ...(cursor ? { cursor } : {}) })}`);
        entries.push(...page.entries);
        cursor = page.nextCursor;
      } while (cursor);
      return { entries, nextCursor: null };
    },
    listEntryTags: (query = {}) => call("GET", `/api/v1/entry-tags${queryString(query)}`),
    getEntry: (id) => call("GET", `/api/v1/entries/${segment(id)}`),
    createEntry: (request) => call("POST", "/api/v1/entries", request),
    updateEntry: (id, request) => call("PATCH", `/api/v1/entries/${segment(id)}`, request),
    deleteEntry: (id) => call("DELETE", `/api/v1/entries/${segment(id)}`),
    overwriteSeed: (id, seed) => call("PUT", `/api/v1/entries/${segment(id)}/seed`, seed),
    getCode: (id) => call("GET", `/api/v1/entries/${segment(id)}/code`),
    stepUp: (entryId, request) => call("POST", `/api/v1/entries/${segment(entryId)}/step-up`, request),
    requestStepUpPush: (entryId) => call("POST", `/api/v1/entries/${segment(entryId)}/step-up/push`, {}),
    stepUpPushStatus: (entryId) => call("POST", `/api/v1/entries/${segment(entryId)}/step-up/push/status`, {}),
    getFolderStepUp: (folderId) => call("GET", `/api/v1/folders/${segment(folderId)}/step-up`),
    setFolderStepUp: (folderId, required) => call("PUT", `/api/v1/folders/${segment(folderId)}/step-up`, { required }),
    getMfaEnforcement: () => call("GET", "/api/v1/settings/mfa-enforcement"),
    setMfaEnforcement: (request) => call("PUT", "/api/v1/settings/mfa-enforcement", request),
    takeCode: (id) => call("POST", `/api/v1/entries/${segment(id)}/code`, {}),
    batchCodes: () => call("GET", "/api/v1/codes"),

    listFolders: () => call("GET", "/api/v1/folders"),
    createFolder: (request) => call("POST", "/api/v1/folders", request),
    renameFolder: (id, request) => call("PATCH", `/api/v1/folders/${segment(id)}`, request),
    deleteFolder: (id) => call("DELETE", `/api/v1/folders/${segment(id)}`),
    listTemplates: () => call("GET", "/api/v1/templates"),
    createTemplate: (request) => call("POST", "/api/v1/templates", request),
    updateTemplate: (id, request) => call("PUT", `/api/v1/templates/${segment(id)}`, request),
    deleteTemplate: (id) => call("DELETE", `/api/v1/templates/${segment(id)}`),

    revealNextRecoveryCode: (id, reason) => call("POST", `/api/v1/entries/${segment(id)}/recovery-codes/next`, { reason }),
    revealAllRecoveryCodes: (id, reason) => call("POST", `/api/v1/entries/${segment(id)}/recovery-codes/all`, { reason }),
    replaceRecoveryCodes: (id, codes) => call("PUT", `/api/v1/entries/${segment(id)}/recovery-codes`, { codes }),
    revealField: (id, key, reason) => call("POST", `/api/v1/entries/${segment(id)}/fields/${segment(key)}/reveal`, { reason }),

    createImport: (request) => call("POST", "/api/v1/imports", request),
    confirmImport: (importId, request = {}) => call("POST", `/api/v1/imports/${segment(importId)}/confirm`, request),
    discardImport: (importId) => call("DELETE", `/api/v1/imports/${segment(importId)}`),

    unlockUser: (username) => call("POST", "/api/v1/users/unlock", { username }),

    listUsers: () => call("GET", "/api/v1/users"),
    inviteUser: (request) => call("POST", "/api/v1/users", request),
    reissueInvite: (userId) => call("POST", `/api/v1/users/${segment(userId)}/invite`, {}),
    issuePasswordReset: (userId) => call("POST", `/api/v1/users/${segment(userId)}/password-reset`, {}),
    changeRole: (userId, role) => call("PUT", `/api/v1/users/${segment(userId)}/role`, { role }),
    disableUser: (userId) => call("POST", `/api/v1/users/${segment(userId)}/disable`, {}),
    enableUser: (userId) => call("POST", `/api/v1/users/${segment(userId)}/enable`, {}),
    deleteUser: (userId, entriesTo) => call("DELETE", `/api/v1/users/${segment(userId)}${queryString({ entriesTo })}`),

    listGroups: () => call("GET", "/api/v1/groups"),
    createGroup: (name) => call("POST", "/api/v1/groups", { name }),
    renameGroup: (groupId, name) => call("PATCH", `/api/v1/groups/${segment(groupId)}`, { name }),
    deleteGroup: (groupId) => call("DELETE", `/api/v1/groups/${segment(groupId)}`),
    addGroupMember: (groupId, userId) => call("PUT", `/api/v1/groups/${segment(groupId)}/members/${segment(userId)}`, {}),
    removeGroupMember: (groupId, userId) => call("DELETE", `/api/v1/groups/${segment(groupId)}/members/${segment(userId)}`),

    getAccount: () => call("GET", "/api/v1/account"),
    updateAccount: (request) => call("PATCH", "/api/v1/account", request),
    changePassword: (request) => call("POST", "/api/v1/account/password", request),
    getRecoveryCodeStatus: () => call("GET", "/api/v1/account/recovery-codes"),
    generateRecoveryCodes: () => call("POST", "/api/v1/account/recovery-codes", {}),
    listOwnSessions: () => call("GET", "/api/v1/account/sessions"),
    endOwnSession: (sessionId) => call("DELETE", `/api/v1/account/sessions/${segment(sessionId)}`),
    endOtherSessions: () => call("POST", "/api/v1/account/sessions/sign-out-others", {}),
    passkeyRegistrationOptions: (request = {}) => call("POST", "/api/v1/account/passkeys/options", request),
    registerPasskey: (request) => call("POST", "/api/v1/account/passkeys", request),
    listPasskeys: () => call("GET", "/api/v1/account/passkeys"),
    renamePasskey: (id, name) => call("PATCH", `/api/v1/account/passkeys/${encodeURIComponent(id)}`, { name }),
    removePasskey: (id) => call("DELETE", `/api/v1/account/passkeys/${encodeURIComponent(id)}`),
    passkeySignInOptions: () => call("POST", "/api/v1/auth/passkey/options", {}),
    signInWithPasskey: async (request) => remember(await call<SignInReply>("POST", "/api/v1/auth/passkey/verify", request)),
    listPushDevices: () => call("GET", "/api/v1/account/push-devices"),
    registerPushDevice: (request) => call("POST", "/api/v1/account/push-devices", request),
    removePushDevice: (id) => call("DELETE", `/api/v1/account/push-devices/${segment(id)}`),
    listPushRequests: () => call("GET", "/api/v1/account/push-requests"),
    decidePushRequest: (id, request) => call("POST", `/api/v1/account/push-requests/${segment(id)}/decision`, request),
    requestPushApproval: (request = {}) => call("POST", "/api/v1/auth/sign-in/push", request),
    pushApprovalStatus: (request = {}) => call("POST", "/api/v1/auth/sign-in/push/status", request),
    listFactors: () => call("GET", "/api/v1/account/mfa"),
    startTotpEnrolment: () => call("POST", "/api/v1/account/mfa/totp", {}),
    confirmTotpEnrolment: (factorId, request) => call("POST", `/api/v1/account/mfa/totp/${segment(factorId)}/confirm`, request),
    renameFactor: (factorId, name) => call("PATCH", `/api/v1/account/mfa/factors/${segment(factorId)}`, { name }),
    removeFactor: (factorId) => call("DELETE", `/api/v1/account/mfa/factors/${segment(factorId)}`),

    checkInvite: (token) => call("POST", "/api/v1/invites/status", { token }),
    acceptInvite: async (request) => signedInOrSecondStep(await call<SignInOutcome>("POST", "/api/v1/invites/accept", request)),
    checkPasswordReset: (token) => call("POST", "/api/v1/password-resets/status", { token }),
    completePasswordReset: async (request) => signedInOrSecondStep(await call<SignInOutcome>("POST", "/api/v1/password-resets/complete", request)),
    createGrant: (request) => call("POST", "/api/v1/grants", request),
    listGrants: (query = {}) => call("GET", `/api/v1/grants${queryString(query)}`),
    revokeGrant: (id) => call("DELETE", `/api/v1/grants/${segment(id)}`),
    findPrincipals: (query = {}) => call("GET", `/api/v1/principals${queryString(query)}`),
    getFolder: (id) => call("GET", `/api/v1/folders/${segment(id)}`),
    setFolderApproverGroup: (id, groupId) => call("PUT", `/api/v1/folders/${segment(id)}/approver-group`, { groupId }),
    verifyAudit: () => call("POST", "/api/v1/audit/verify", {}),
    auditDestinations: () => call("GET", "/api/v1/audit/destinations"),
    listAuditEvents: (query = {}) => call("GET", `/api/v1/audit/events${queryString(query)}`),
    listEntryAuditEvents: (entryId, query = {}) => call("GET", `/api/v1/entries/${segment(entryId)}/audit-events${queryString(query)}`),
    exportAuditEvents: (query) => call("GET", `/api/v1/audit/export${queryString(query)}`, undefined, true),
    requestAccess: (request) => call("POST", "/api/v1/access-requests", request),
    listAccessRequests: (view) => call("GET", `/api/v1/access-requests${queryString({ view })}`),
    countAccessRequests: () => call("GET", "/api/v1/access-requests/count"),
    getAccessRequest: (id) => call("GET", `/api/v1/access-requests/${segment(id)}`),
    approveAccessRequest: (id, request = {}) => call("POST", `/api/v1/access-requests/${segment(id)}/approve`, request),
    denyAccessRequest: (id, request = {}) => call("POST", `/api/v1/access-requests/${segment(id)}/deny`, request),
    reviewEmergencyUse: (id, request = {}) => call("POST", `/api/v1/access-requests/${segment(id)}/review`, request),
    cancelAccessRequest: (id) => call("POST", `/api/v1/access-requests/${segment(id)}/cancel`, {}),
    emergencyCode: (entryId, reason) => call("POST", `/api/v1/entries/${segment(entryId)}/emergency-code`, { reason }),
    getEntryPolicy: (entryId) => call("GET", `/api/v1/entries/${segment(entryId)}/policy`),
    setEntryPolicy: (entryId, policy) => call("PUT", `/api/v1/entries/${segment(entryId)}/policy`, policy),
    listAlerts: (entryId) => call("GET", `/api/v1/entries/${segment(entryId)}/alerts`),
    createAlert: (entryId, request) => call("POST", `/api/v1/entries/${segment(entryId)}/alerts`, request),
    deleteAlert: (entryId, alertId) => call("DELETE", `/api/v1/entries/${segment(entryId)}/alerts/${segment(alertId)}`),
    listFolderAlerts: (folderId) => call("GET", `/api/v1/folders/${segment(folderId)}/alerts`),
    createFolderAlert: (folderId, request) => call("POST", `/api/v1/folders/${segment(folderId)}/alerts`, request),
    deleteFolderAlert: (folderId, alertId) => call("DELETE", `/api/v1/folders/${segment(folderId)}/alerts/${segment(alertId)}`),
    listNotifications: () => call("GET", "/api/v1/notifications"),
    countNotifications: () => call("GET", "/api/v1/notifications/count"),
    markNotificationsRead: (until) => call("POST", "/api/v1/notifications/read", until === undefined ? {} : { until }),
    listServiceAccounts: () => call("GET", "/api/v1/service-accounts"),
    createServiceAccount: (request) => call("POST", "/api/v1/service-accounts", request),
    disableServiceAccount: (id) => call("POST", `/api/v1/service-accounts/${segment(id)}/disable`, {}),
    enableServiceAccount: (id) => call("POST", `/api/v1/service-accounts/${segment(id)}/enable`, {}),
    createApiToken: (serviceAccountId, request) => call("POST", `/api/v1/service-accounts/${segment(serviceAccountId)}/tokens`, request),
    listApiTokens: (serviceAccountId) => call("GET", `/api/v1/api-tokens${queryString({ serviceAccountId })}`),
    revokeApiToken: (id) => call("POST", `/api/v1/api-tokens/${segment(id)}/revoke`, {}),
    getRecoveryMethod: () => call("GET", "/api/v1/account/recovery-method"),
    startRecoveryMethod: (request) => call("POST", "/api/v1/account/recovery-method", request),
    confirmRecoveryMethod: (request) => call("POST", "/api/v1/account/recovery-method/confirm", request),
    removeRecoveryMethod: () => call("DELETE", "/api/v1/account/recovery-method"),
    cancelOwnRecovery: () => call("POST", "/api/v1/account/recovery/cancel", {}),
    recoveryStatus: (request = {}) => call("POST", "/api/v1/auth/recovery/status", request),
    startRecovery: (request = {}) => call("POST", "/api/v1/auth/recovery/start", request),
    confirmRecovery: (request) => call("POST", "/api/v1/auth/recovery/confirm", request),
    completeRecovery: async (request = {}) => remember(await call<SignInReply>("POST", "/api/v1/auth/recovery/complete", request)),
    listAccountRecoveries: () => call("GET", "/api/v1/account-recoveries"),
    approveAccountRecovery: (id) => call("POST", `/api/v1/account-recoveries/${segment(id)}/approve`, {}),
    denyAccountRecovery: (id) => call("POST", `/api/v1/account-recoveries/${segment(id)}/deny`, {}),
  };
}
