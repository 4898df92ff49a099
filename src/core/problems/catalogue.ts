// The one catalogue of problems: every refusal and warning has a stable key, its parameters and
// an English sentence made from them. Servers and the CLI print the English; the web app says
// the same key in the reader's language (web/src/i18n/*.json, "problems"). Pure: no I/O.
import { ADDRESS_PROBLEMS } from "./addresses.js";
import { ALERT_PROBLEMS } from "./alerts.js";
import { GRANT_PROBLEMS } from "./grants.js";
import { AUDIT_PROBLEMS } from "./audit.js";
import { BACKUP_PROBLEMS } from "./backup.js";
import { ACCESS_REQUEST_PROBLEMS } from "./access-requests.js";
import { INTAKE_APP_PROBLEMS } from "./intake-apps.js";
import { INTAKE_BITWARDEN_PROBLEMS } from "./intake-bitwarden.js";
import { INTAKE_PROBLEMS } from "./intake.js";
import { IMPORT_PREVIEW_PROBLEMS } from "./import-preview.js";
import { KEY_PROBLEMS } from "./keys.js";
import { MFA_ENFORCEMENT_PROBLEMS } from "./mfa-enforcement.js";
import { OTP_PROBLEMS } from "./otp.js";
import { OUTBOX_PROBLEMS } from "./outbox.js";
import { PASSKEY_PROBLEMS } from "./passkeys.js";
import { PEOPLE_PROBLEMS } from "./people.js";
import { PUSH_APPROVAL_PROBLEMS } from "./push-approval.js";
import { RECOVERY_METHOD_PROBLEMS } from "./recovery-method.js";
import { REQUEST_PROBLEMS } from "./requests.js";
import { RUNNING_PROBLEMS } from "./running.js";
import { SECOND_FACTOR_PROBLEMS } from "./second-factors.js";
import { SERVICE_ACCOUNT_PROBLEMS } from "./service-accounts.js";
import { SIGN_IN_SECURITY_PROBLEMS } from "./sign-in-security.js";
import { SSO_PROBLEMS } from "./sso.js";
import { VAULT_PROBLEMS } from "./vault.js";

/** A sentence, or two forms of one chosen by the parameter `count` (CLDR plural categories of English). */
export type ProblemTemplate = string | { readonly one: string; readonly other: string };

export const PROBLEM_CATALOGUE = Object.freeze({
  ...REQUEST_PROBLEMS,
  ...VAULT_PROBLEMS,
  ...OTP_PROBLEMS,
  ...KEY_PROBLEMS,
  ...INTAKE_PROBLEMS,
  ...INTAKE_APP_PROBLEMS,
  ...INTAKE_BITWARDEN_PROBLEMS,
  ...IMPORT_PREVIEW_PROBLEMS,
  ...RUNNING_PROBLEMS,
  ...ADDRESS_PROBLEMS,
  ...PEOPLE_PROBLEMS,
  ...GRANT_PROBLEMS,
  ...AUDIT_PROBLEMS,
  ...ACCESS_REQUEST_PROBLEMS,
  ...SERVICE_ACCOUNT_PROBLEMS,
  ...ALERT_PROBLEMS,
  ...OUTBOX_PROBLEMS,
  ...SIGN_IN_SECURITY_PROBLEMS,
  ...SSO_PROBLEMS,
  ...PASSKEY_PROBLEMS,
  ...BACKUP_PROBLEMS,
  ...SECOND_FACTOR_PROBLEMS,
  ...PUSH_APPROVAL_PROBLEMS,
  ...RECOVERY_METHOD_PROBLEMS,
  ...MFA_ENFORCEMENT_PROBLEMS,
}) satisfies Readonly<Record<string, ProblemTemplate>>;

export type ProblemKey = keyof typeof PROBLEM_CATALOGUE;
export const PROBLEM_KEYS = Object.freeze(Object.keys(PROBLEM_CATALOGUE) as ProblemKey[]);

export type ProblemParamValue = string | number;
export type ProblemParams = Readonly<Record<string, ProblemParamValue>>;

/** What a problem or warning says, independent of language: its key and the values its sentence names. */
export interface ProblemText {
  readonly key: ProblemKey;
  readonly params: ProblemParams;
}

// "{{name}}" or "{{name, number}}" → "name", read from the sentence's type so a call cannot miss one.
type PlaceholdersOf<T extends string> = T extends `${string}{{${infer Inner}}}${infer Rest}`
  ? (Inner extends `${infer Name},${string}` ? Name : Inner) | PlaceholdersOf<Rest>
  : never;
type SentencesOf<T> = T extends string ? T : T extends { readonly one: infer One extends string; readonly other: infer Other extends string } ? One | Other : never;
export type ParamsOf<K extends ProblemKey> = { readonly [P in PlaceholdersOf<SentencesOf<(typeof PROBLEM_CATALOGUE)[K]>>]: ProblemParamValue };

/** A problem by key, with exactly the parameters its sentence names (none for most). */
export function problem<K extends ProblemKey>(key: K, ...params: keyof ParamsOf<K> extends never ? [] : [ParamsOf<K>]): ProblemText {
  return Object.freeze({ key, params: Object.freeze({ ...(params[0] ?? {}) }) });
}

export const isProblemKey = (value: unknown): value is ProblemKey => typeof value === "string" && Object.hasOwn(PROBLEM_CATALOGUE, value);

const ENGLISH_PLURALS = new Intl.PluralRules("en");
const ENGLISH_NUMBERS = new Intl.NumberFormat("en-US");
const PLACEHOLDER = /{{\s*(\w+)\s*(?:,\s*(\w+)\s*)?}}/g;

/** The English sentence of a problem. */
export function renderProblem(text: ProblemText): string {
  return renderTemplate(PROBLEM_CATALOGUE[text.key], text.params);
}

/** A template of any catalogue with its parameters put in. One pass: a parameter's own text is never read for placeholders. */
export function renderTemplate(template: ProblemTemplate, params: ProblemParams): string {
  const sentence = typeof template === "string" ? template : ENGLISH_PLURALS.select(Number(params.count)) === "one" ? template.one : template.other;
  return sentence.replace(PLACEHOLDER, (whole, name: string, format: string | undefined) => {
    const value = params[name];
    if (value === undefined) return whole;
    return format === "number" && typeof value === "number" ? ENGLISH_NUMBERS.format(value) : String(value);
  });
}
