// Turns a failed request, or a warning in a reply, into a sentence in the reader's language. The
// server names each problem by a stable key and its parameters (src/core/problems/); the
// catalogues say every key under "problems". A reply without a key (or from an older server) is
// shown as the server wrote it rather than hidden behind a vaguer message.
import i18next, { type TFunction } from "i18next";
import type { Notice, ProblemKey, ProblemParams } from "../../../src/contract/problem.js";
import { ApiError } from "./api-client.js";

/** The sentence for a problem key in the current language, or undefined when the catalogue lacks it. */
export function sayProblem(key: ProblemKey | undefined, params: ProblemParams, t: TFunction): string | undefined {
  if (key === undefined) return undefined;
  const path = `problems.${key}`;
  // Keys come from the server at run time, so they are checked here rather than by the compiler.
  const options = { ...params, count: typeof params.count === "number" ? params.count : undefined };
  if (!i18next.exists(path, options)) return undefined;
  return (t as unknown as (key: string, options: object) => string)(path, options);
}

/** A warning of a successful reply (e.g. a seed shorter than 128 bits), in the reader's language. */
export const describeNotice = (notice: Notice, t: TFunction): string => sayProblem(notice.key, notice.params, t) ?? notice.detail;

/** The request field an error is about, without the "body." prefix request validation adds. */
export function fieldOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.field === undefined) return undefined;
  return error.field.split(".").at(-1);
}

/** The 401s of a request made without a live session or token. */
const SESSION_ENDED_KEYS: ReadonlySet<string> = new Set(["sign_in_required", "token_invalid", "authorization_header_invalid"]);

/** A sentence for any error; callers handle the codes whose meaning depends on the page first. */
export function describeProblem(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t("errors.unexpected");
  switch (error.code) {
    case "unavailable":
      // The server's own reason (database away, schema not current) when it gave one; else "unreachable".
      return error.status === 0 || error.key === undefined ? t("errors.unavailable") : (sayProblem(error.key, error.params, t) ?? t("errors.unavailable"));
    case "sealed":
      return t("errors.sealed");
    case "unauthenticated":
      if (error.key === "sign_in_failed") return t("errors.wrongCredentials");
      // A refused step of signing in (a wrong or replayed code, an ended challenge) says why; a
      // request without a live session or token says the session ended.
      return (error.key === undefined || SESSION_ENDED_KEYS.has(error.key) ? undefined : sayProblem(error.key, error.params, t)) ?? t("errors.sessionEnded");
    case "internal":
      return error.requestId === undefined ? t("errors.internal") : `${t("errors.internal")} ${t("errors.requestId", { id: error.requestId })}`;
    default:
      return sayProblem(error.key, error.params, t) ?? (error.code === "too_many_requests" ? t("errors.tooManyAttempts") : error.message);
  }
}

/** A heading for a page that could not load: unreachable, or something else went wrong. */
export function describeProblemTitle(error: unknown, t: TFunction): string {
  return error instanceof ApiError && error.code === "unavailable" ? t("shell.unreachable.title") : t("shell.failed.title");
}
