// Rules for a new vault password: 12 to 128 characters, not a common password, not the
// username; no composition rules (NIST SP 800-63B §5.1.1.2, ASVS 4.0.3 2.1.1–2.1.9).
import { dictionary } from "@zxcvbn-ts/language-common";
import { invalidInput, problem } from "./errors.js";
import type { Secret } from "./secret.js";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

// The zxcvbn-ts common list (about 49,000 passwords seen in breaches), lower-cased once.
let commonPasswords: ReadonlySet<string> | undefined;
function isCommonPassword(candidate: string): boolean {
  commonPasswords ??= new Set(dictionary["passwords-common"].map((p) => String(p).toLowerCase()));
  const lower = candidate.toLowerCase();
  if (commonPasswords.has(lower)) return true;
  // "password1234" and "qwertyqwerty" are no better than the entries they are built from.
  const repeated = /^(.+?)\1+$/.exec(lower)?.[1];
  const stripped = lower.replace(/[\d\s!.?]+$/, "");
  return (repeated !== undefined && commonPasswords.has(repeated)) || (stripped.length < lower.length && commonPasswords.has(stripped));
}

/** Throws an invalid_input error naming the field "password" when the password breaks a rule. */
export function checkNewPassword(password: Secret, username: string): void {
  const text = password.revealUtf8();
  // Count code points, not UTF-16 units: "🔑" is one character to the person typing it.
  const length = [...text].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw invalidInput(problem("password_too_short", { count: MIN_PASSWORD_LENGTH }), "password");
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw invalidInput(problem("password_too_long", { count: MAX_PASSWORD_LENGTH }), "password");
  }
  if (text.toLowerCase().includes(username.toLowerCase()) && username.length >= 3) {
    throw invalidInput(problem("password_contains_username"), "password");
  }
  if (isCommonPassword(text)) {
    throw invalidInput(problem("password_too_common"), "password");
  }
}

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Trims and lower-cases a username and checks its characters. */
export function normaliseUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw invalidInput(problem("username_invalid"), "username");
  }
  return username;
}
