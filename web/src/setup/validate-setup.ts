// The setup form's checks, made in the browser so most mistakes are explained before a request
// is sent. The server checks again (src/core/password-policy.ts) and has the last word, including
// on common passwords, which only it can judge.

// Mirrors MIN_PASSWORD_LENGTH and MAX_PASSWORD_LENGTH in src/core/password-policy.ts.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
export const MAX_DISPLAY_NAME_LENGTH = 100;
const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface SetupValues {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly confirmPassword: string;
}

export type SetupField = keyof SetupValues;
export const SETUP_FIELDS: readonly SetupField[] = ["username", "displayName", "password", "confirmPassword"];

/** A catalogue key under errors.*, with the value it mentions where it mentions one. */
export type SetupProblem =
  | { readonly key: "usernameRequired" | "usernameInvalid" | "displayNameTooLong" | "passwordRequired" }
  | { readonly key: "passwordContainsUsername" | "confirmRequired" | "passwordsDiffer" }
  | { readonly key: "passwordTooShort" | "passwordTooLong"; readonly length: number };

export type SetupProblems = Partial<Record<SetupField, SetupProblem>>;

export const normaliseUsername = (raw: string): string => raw.trim().toLowerCase();

// Characters as the person counts them: "🔑" is one, not two UTF-16 units.
const characterCount = (text: string): number => [...text].length;

export function validateSetup(values: SetupValues): SetupProblems {
  const problems: SetupProblems = {};
  const username = normaliseUsername(values.username);
  if (username === "") problems.username = { key: "usernameRequired" };
  else if (!USERNAME_PATTERN.test(username)) problems.username = { key: "usernameInvalid" };

  if (characterCount(values.displayName.trim()) > MAX_DISPLAY_NAME_LENGTH) problems.displayName = { key: "displayNameTooLong" };

  const length = characterCount(values.password);
  if (length === 0) problems.password = { key: "passwordRequired" };
  else if (length < MIN_PASSWORD_LENGTH) problems.password = { key: "passwordTooShort", length };
  else if (length > MAX_PASSWORD_LENGTH) problems.password = { key: "passwordTooLong", length };
  else if (username.length >= 3 && values.password.toLowerCase().includes(username)) problems.password = { key: "passwordContainsUsername" };

  if (values.confirmPassword === "") {
    if (length > 0) problems.confirmPassword = { key: "confirmRequired" };
  } else if (values.confirmPassword !== values.password) {
    problems.confirmPassword = { key: "passwordsDiffer" };
  }
  return problems;
}
