// The typed HTTP client for Watchword's API: used by the CLI, the web app and the tests, with a
// swappable fetch. It never logs; an error reply becomes an ApiError carrying the server's sentence
// and, for translation, the problem's key and parameters.
import type { CompleteSetupRequest, SessionInfo, SetupStatusReply, SignInReply, SignInRequest } from "../contract/auth.js";
import type { AllRecoveryCodesReply, BatchCodesReply, CodeReply, RecoveryCodeReply, RevealFieldReply } from "../contract/codes.js";
import type {
  CreateEntryRequest,
  CreateFolderRequest,
  CreateTemplateRequest,
  RenameFolderRequest,
  EntryDetail,
  EntryList,
  EntryListQuery,
  EntryReply,
  EntrySeedInput,
  Folder,
  Template,
  UpdateEntryRequest,
  UpdateTemplateRequest,
} from "../contract/entries.js";
import type { HealthReply, ReadinessReply } from "../contract/health.js";
import type { ConfirmImportReply, ConfirmImportRequest, CreateImportRequest, ImportPreview, ImportPreviewProblem } from "../contract/imports.js";
import type { ApiErrorCode, Problem } from "../contract/problem.js";
// From the catalogue itself, not the contract module that re-exports it: that one loads typebox,
// which a CLI client verb must not pay for at start (test/integration/cli-start.test.ts).
import { isProblemKey, renderProblem, type ProblemKey, type ProblemParams, type ProblemText } from "../core/problems/catalogue.js";
import type { UnlockUserReply } from "../contract/users.js";

/** What the client reads of a reply: the part of fetch's Response that a small transport (the CLI's) gives too. */
export interface FetchReply {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
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
  signIn(request: SignInRequest): Promise<SignInReply>;
  signOut(): Promise<void>;
  checkSetup(token: string): Promise<SetupStatusReply>;
  completeSetup(request: CompleteSetupRequest): Promise<SignInReply>;

  listEntries(query?: EntryListQuery): Promise<EntryList>;
  getEntry(id: string): Promise<EntryDetail>;
  createEntry(request: CreateEntryRequest): Promise<EntryReply>;
  updateEntry(id: string, request: UpdateEntryRequest): Promise<EntryReply>;
  deleteEntry(id: string): Promise<void>;
  /** Replaces the seed (the target service issued a new one); the old one is destroyed. */
  overwriteSeed(id: string, seed: EntrySeedInput): Promise<EntryReply>;
  /** The current TOTP or Steam code. */
  getCode(id: string): Promise<CodeReply>;
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
}

const segment = (value: string): string => encodeURIComponent(value);

function queryString(query: Readonly<Record<string, string | undefined>>): string {
  const pairs = Object.entries(query).filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== "");
  return pairs.length === 0 ? "" : `?${new URLSearchParams(pairs).toString()}`;
}

export function createClient(options: ClientOptions): WatchwordClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = options.baseUrl.replace(/\/+$/, "");
  // The CSRF token of a cookie session, learned from sign-in or getSession and sent on state changes.
  let csrfToken: string | undefined;

  async function call<T>(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
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
    if (response.status === 204) return undefined as T;
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

  return {
    health: () => call("GET", "/healthz"),
    readiness: () => call("GET", "/readyz"),
    getSession: async () => remember(await call<SessionInfo>("GET", "/api/v1/session")),
    signIn: async (request) => remember(await call<SignInReply>("POST", "/api/v1/auth/sign-in", request)),
    async signOut() {
      await call<void>("POST", "/api/v1/auth/sign-out", {});
      csrfToken = undefined;
    },
    checkSetup: (token) => call("POST", "/api/v1/setup/status", { token }),
    completeSetup: async (request) => remember(await call<SignInReply>("POST", "/api/v1/setup", request)),

    listEntries: (query = {}) => call("GET", `/api/v1/entries${queryString(query)}`),
    getEntry: (id) => call("GET", `/api/v1/entries/${segment(id)}`),
    createEntry: (request) => call("POST", "/api/v1/entries", request),
    updateEntry: (id, request) => call("PATCH", `/api/v1/entries/${segment(id)}`, request),
    deleteEntry: (id) => call("DELETE", `/api/v1/entries/${segment(id)}`),
    overwriteSeed: (id, seed) => call("PUT", `/api/v1/entries/${segment(id)}/seed`, seed),
    getCode: (id) => call("GET", `/api/v1/entries/${segment(id)}/code`),
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
  };
}
