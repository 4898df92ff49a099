// Turns a failed request into a sentence in the reader's language. The server writes its
// sentences in English; the ones the UI knows are said from the catalogue, anything else is
// shown as the server wrote it rather than hidden behind a vaguer message.
import type { TFunction } from "i18next";
import { ApiError } from "./api-client.js";

type Say = (t: TFunction) => string;

// Keyed on the wording of src/core/password-policy.ts and src/services/accounts.ts. A sentence
// that changes there simply falls back to the server's own text.
const KNOWN_SENTENCES: readonly (readonly [RegExp, Say])[] = [
  [/account is locked after too many failed sign-ins/i, (t) => t("errors.accountLocked")],
  [/password is too common/i, (t) => t("errors.passwordTooCommon")],
  [/password must not contain the username/i, (t) => t("errors.passwordContainsUsername")],
  [/username is 1 to 64 characters/i, (t) => t("errors.usernameInvalid")],
];

/** The request field an error is about, without the "body." prefix request validation adds. */
export function fieldOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.field === undefined) return undefined;
  return error.field.split(".").at(-1);
}

/** A sentence for any error; callers handle the codes whose meaning depends on the page first. */
export function describeProblem(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t("errors.unexpected");
  switch (error.code) {
    case "unavailable":
      return t("errors.unavailable");
    case "sealed":
      return t("errors.sealed");
    case "too_many_requests":
      return KNOWN_SENTENCES.find(([pattern]) => pattern.test(error.message))?.[1](t) ?? t("errors.tooManyAttempts");
    case "unauthenticated":
      return t("errors.sessionEnded");
    case "internal":
      return error.requestId === undefined ? t("errors.internal") : `${t("errors.internal")} ${t("errors.requestId", { id: error.requestId })}`;
    default: {
      const known = KNOWN_SENTENCES.find(([pattern]) => pattern.test(error.message));
      return known === undefined ? error.message : known[1](t);
    }
  }
}

/** A heading for a page that could not load: unreachable, or something else went wrong. */
export function describeProblemTitle(error: unknown, t: TFunction): string {
  return error instanceof ApiError && error.code === "unavailable" ? t("shell.unreachable.title") : t("shell.failed.title");
}
