// The values a person types for the fields of an entry's template (text, URLs, secrets, recovery
// codes), their checks, and where they go in the create-entry request: a template's "url" and
// "username" are the entry's own columns, recovery codes a list, everything else `fields`.
import type { CreateEntryRequest, Template, TemplateField } from "../../../../src/contract/entries.js";
import { parseRecoveryCodes } from "../detail/parse-recovery-codes.js";
import type { SeedNeed } from "./seed-checks.js";

export type TemplateValueProblem = "valueRequired" | "urlNotValid" | "codesRequired" | "tooManyCodes" | "codeTooLong";

export type TemplateValues = Readonly<Record<string, string>>;

/** Keys that are the entry's own properties rather than values in `fields` (as on the server). */
const COLUMN_KEYS = new Set(["url", "username"]);
const MAX_CODES = 100;
const MAX_CODE_LENGTH = 200;

/** The fields the person types in, in the template's order (the OTP seed is the setup key input). */
export const typedFieldsOf = (template: Template): TemplateField[] => template.fields.filter((field) => field.type !== "otp");

export function seedNeedOf(template: Template | undefined): SeedNeed {
  if (template === undefined) return "required";
  const otp = template.fields.find((field) => field.type === "otp");
  return otp === undefined ? "none" : otp.required ? "required" : "optional";
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

export function checkTemplateValues(template: Template, values: TemplateValues): Record<string, TemplateValueProblem> {
  const problems: Record<string, TemplateValueProblem> = {};
  for (const field of typedFieldsOf(template)) {
    const raw = values[field.key] ?? "";
    if (field.type === "recovery_codes") {
      const codes = parseRecoveryCodes(raw);
      if (codes.length === 0 && field.required) problems[field.key] = "codesRequired";
      else if (codes.length > MAX_CODES) problems[field.key] = "tooManyCodes";
      else if (codes.some((code) => code.length > MAX_CODE_LENGTH)) problems[field.key] = "codeTooLong";
      continue;
    }
    const value = field.type === "secret" ? raw : raw.trim();
    if (value === "") {
      if (field.required) problems[field.key] = "valueRequired";
    } else if (field.type === "url" && !isWebAddress(value)) {
      problems[field.key] = "urlNotValid";
    }
  }
  return problems;
}

/** The request with the template's id and the values that were filled in. */
export function withTemplateValues(request: CreateEntryRequest, template: Template, values: TemplateValues): CreateEntryRequest {
  const next: CreateEntryRequest = { ...request, templateId: template.id };
  const fields: Record<string, string> = {};
  for (const field of typedFieldsOf(template)) {
    const raw = values[field.key] ?? "";
    if (field.type === "recovery_codes") {
      const codes = parseRecoveryCodes(raw);
      if (codes.length > 0) next.recoveryCodes = codes;
      continue;
    }
    // A secret is sent as typed (spaces may matter); other values without surrounding spaces.
    const value = field.type === "secret" ? raw : raw.trim();
    if (value === "") continue;
    if (COLUMN_KEYS.has(field.key)) next[field.key as "url" | "username"] = value;
    else fields[field.key] = value;
  }
  if (Object.keys(fields).length > 0) next.fields = fields;
  return next;
}

/** The template field a server refusal is about ("fields.pin", "url", "recoveryCodes"), if any. */
export function templateFieldOfProblem(template: Template, problemField: string | undefined): string | undefined {
  if (problemField === undefined) return undefined;
  const path = problemField.replace(/^body\./, "");
  const typed = typedFieldsOf(template);
  const inFields = /^fields\.([a-z][a-z0-9_]*)$/.exec(path)?.[1];
  if (inFields !== undefined) return typed.find((field) => field.key === inFields)?.key;
  if (path === "recoveryCodes" || path.startsWith("recoveryCodes.")) return typed.find((field) => field.type === "recovery_codes")?.key;
  // The server names "url" for any address it refuses, the entry's own or a template field's.
  if (path === "url") return (typed.find((field) => field.key === "url") ?? typed.find((field) => field.type === "url"))?.key;
  if (path === "username") return typed.find((field) => field.key === "username")?.key;
  return undefined;
}
