// The typed HTTP client for Watchword's API: used by the CLI, the web app and the tests, with a
// swappable fetch. It never logs; an error reply becomes an ApiError carrying the server's sentence.
import type { CompleteSetupRequest, SessionInfo, SetupStatusReply, SignInReply, SignInRequest } from "../contract/auth.js";
import type { HealthReply, ReadinessReply } from "../contract/health.js";
import type { ApiErrorCode, Problem } from "../contract/problem.js";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** "" for the same origin (the web app), or e.g. "http://127.0.0.1:8080". */
  readonly baseUrl: string;
  readonly fetch?: FetchLike;
  /** A bearer token (ww_…) for scripts and the CLI; browsers use the session cookie instead. */
  readonly token?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly requestId: string | undefined;

  constructor(status: number, code: ApiErrorCode, detail: string, field?: string, requestId?: string) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.requestId = requestId;
  }
}

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
    if (method !== "GET" && csrfToken !== undefined) headers["x-csrf-token"] = csrfToken;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        credentials: "same-origin",
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new ApiError(0, "unavailable", `Could not reach the Watchword server at ${base || "this address"} (${reason}).`);
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
      if (isProblem(parsed)) throw new ApiError(response.status, parsed.code, parsed.detail, parsed.field, parsed.requestId);
      throw new ApiError(response.status, response.status >= 500 ? "unavailable" : "invalid_input", `The server answered ${response.status} ${response.statusText}.`);
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
  };
}
