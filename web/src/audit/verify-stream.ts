// Verifying the audit chain from the web app, with progress: POST /api/v1/audit/verify asked for
// application/x-ndjson answers {checked,total} lines, then the verdict (or a problem) last. A
// server that does not stream answers the one JSON verdict, which is taken just the same.
import type { AuditVerificationReply } from "../../../src/contract/audit.js";
import type { ApiErrorCode, Problem } from "../../../src/contract/problem.js";
import { isProblemKey } from "../../../src/core/problems/catalogue.js";
import { ApiError } from "../ui/api-client.js";

export const VERIFY_STREAM_TYPE = "application/x-ndjson";

export interface VerifyProgress {
  readonly checked: number;
  readonly total: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const isProgress = (value: Record<string, unknown>): boolean =>
  Number.isInteger(value.checked) && Number.isInteger(value.total) && !("intact" in value) && !("status" in value);

const isVerdict = (value: Record<string, unknown>): value is AuditVerificationReply & Record<string, unknown> =>
  typeof value.intact === "boolean" && isObject(value.finding) && typeof value.message === "string";

const isProblem = (value: Record<string, unknown>): value is Problem & Record<string, unknown> => typeof value.code === "string" && typeof value.detail === "string";

/** A problem body (a refusal, or the stream's last line) as the client's ApiError, translatable by its key. */
export function problemError(status: number, body: Problem): ApiError {
  const params = isObject(body.params) ? (body.params as Record<string, string | number>) : {};
  const text = isProblemKey(body.key) ? { key: body.key, params } : undefined;
  return new ApiError(status, body.code as ApiErrorCode, body.detail, body.field, body.requestId, text);
}

/** Something went wrong that the server did not say: the client's own words for it. */
const unexpected = (status: number): ApiError =>
  new ApiError(status, "internal", "The verification ended without a verdict.", undefined, undefined, { key: "server_answered", params: { status, statusText: "" } });

/**
 * Reads the streamed lines as they come: each progress line is told to `onProgress`; the verdict
 * line is the result; a problem line is thrown. A stream that ends without either throws.
 */
export async function readVerificationLines(chunks: AsyncIterable<string>, onProgress: (progress: VerifyProgress) => void, status = 200): Promise<AuditVerificationReply> {
  let buffered = "";
  const take = (line: string): AuditVerificationReply | undefined => {
    if (line.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw unexpected(status);
    }
    if (!isObject(value)) throw unexpected(status);
    if (isVerdict(value)) return value;
    if (isProblem(value)) throw problemError(typeof value.status === "number" ? value.status : status, value);
    if (isProgress(value)) onProgress({ checked: value.checked as number, total: value.total as number });
    return undefined;
  };
  for await (const chunk of chunks) {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const verdict = take(buffered.slice(0, newline));
      if (verdict !== undefined) return verdict;
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
  }
  const verdict = take(buffered);
  if (verdict !== undefined) return verdict;
  throw unexpected(status);
}

async function* textOf(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    reader.releaseLock();
  }
}

/** Verifies the chain as the signed-in person (their session cookie and CSRF token), telling progress as it comes. */
export async function verifyAuditChain(csrfToken: string, onProgress: (progress: VerifyProgress) => void): Promise<AuditVerificationReply> {
  let response: Response;
  try {
    response = await fetch("/api/v1/audit/verify", {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: `${VERIFY_STREAM_TYPE}, application/json;q=0.5`, "content-type": "application/json", "x-csrf-token": csrfToken },
      body: "{}",
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(0, "unavailable", reason, undefined, undefined, { key: "server_unreachable", params: { address: "this address", reason } });
  }
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok || !type.startsWith(VERIFY_STREAM_TYPE) || response.body === null) {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw unexpected(response.status);
    }
    if (isObject(parsed) && response.ok && isVerdict(parsed)) return parsed;
    if (isObject(parsed) && isProblem(parsed)) throw problemError(response.status, parsed);
    throw unexpected(response.status);
  }
  return readVerificationLines(textOf(response.body), onProgress, response.status);
}
