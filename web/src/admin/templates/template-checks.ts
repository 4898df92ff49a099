// The template form's values (new, or an existing template being edited), its own checks and the
// request it sends. The checks mirror
// the server's (src/contract/entries.ts and src/services/catalog.ts) so most mistakes are named
// in the reader's language before a round trip; the server checks everything again.
import type { CreateTemplateRequest, Template, TemplateFieldType } from "../../../../src/contract/entries.js";

export const FIELD_TYPES: readonly TemplateFieldType[] = ["text", "url", "secret", "otp", "recovery_codes"];

export const MAX_FIELDS = 30;
export const MAX_LABEL_LENGTH = 80;
export const MAX_KEY_LENGTH = 40;
const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export interface FieldDraft {
  /** Identifies the row while it is edited and moved; never sent. */
  readonly id: string;
  readonly label: string;
  readonly key: string;
  /** Once the key is typed by hand it no longer follows the label. */
  readonly isKeyEdited: boolean;
  readonly type: TemplateFieldType;
  readonly isRequired: boolean;
  /** A field of a template entries use: it stays, with its key and type, so their values stay readable. */
  readonly isLocked?: boolean;
}

export interface TemplateDraft {
  readonly name: string;
  readonly fields: readonly FieldDraft[];
}

export type TemplateProblem =
  | "nameRequired"
  | "nameControlCharacters"
  | "fieldsRequired"
  | "tooManyFields"
  | "oneOtp"
  | "oneRecoveryCodes"
  | "labelRequired"
  | "labelTooLong"
  | "keyRequired"
  | "keyInvalid"
  | "keyDuplicate";

export interface TemplateProblems {
  name?: TemplateProblem;
  /** About the list as a whole: none, too many, two OTP seeds… */
  fields?: TemplateProblem;
  /** By row id. */
  rows: Record<string, { label?: TemplateProblem; key?: TemplateProblem; type?: TemplateProblem }>;
}

/** "Customer number" → "customer_number", "Numéro client" → "numero_client", "2FA" → "f_2fa". */
export function keyFromLabel(label: string): string {
  const words = label
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (words === "") return "";
  const key = /^[a-z]/.test(words) ? words : `f_${words}`;
  return key.slice(0, MAX_KEY_LENGTH).replace(/_+$/, "");
}

let nextRow = 0;

export function newFieldDraft(type: TemplateFieldType = "text"): FieldDraft {
  nextRow += 1;
  return { id: `field-${nextRow}`, label: "", key: "", isKeyEdited: false, type, isRequired: false };
}

/** An existing template as the form edits it: keys no longer follow labels, and fields entries may hold are locked. */
export function draftOf(template: Template): TemplateDraft {
  const isInUse = (template.entryCount ?? 0) > 0;
  return {
    name: template.name,
    fields: template.fields.map((field) => ({
      ...newFieldDraft(field.type),
      label: field.label,
      key: field.key,
      isKeyEdited: true,
      isRequired: field.required,
      ...(isInUse ? { isLocked: true } : {}),
    })),
  };
}

export function withLabel(field: FieldDraft, label: string): FieldDraft {
  return { ...field, label, key: field.isKeyEdited ? field.key : keyFromLabel(label) };
}

/** A key typed by hand; emptied, it follows the label again. */
export function withKey(field: FieldDraft, key: string): FieldDraft {
  return key === "" ? { ...field, key: keyFromLabel(field.label), isKeyEdited: false } : { ...field, key, isKeyEdited: true };
}

export function moveField(fields: readonly FieldDraft[], id: string, offset: -1 | 1): FieldDraft[] {
  const from = fields.findIndex((field) => field.id === id);
  const to = from + offset;
  if (from < 0 || to < 0 || to >= fields.length) return [...fields];
  const next = [...fields];
  const [moved] = next.splice(from, 1);
  if (moved !== undefined) next.splice(to, 0, moved);
  return next;
}

const hasControlCharacter = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function checkTemplate(draft: TemplateDraft): TemplateProblems {
  const problems: TemplateProblems = { rows: {} };
  const name = draft.name.trim();
  if (name === "") problems.name = "nameRequired";
  else if (hasControlCharacter(name)) problems.name = "nameControlCharacters";

  if (draft.fields.length === 0) problems.fields = "fieldsRequired";
  else if (draft.fields.length > MAX_FIELDS) problems.fields = "tooManyFields";

  const seen = new Set<string>();
  let otpCount = 0;
  let recoveryCount = 0;
  for (const field of draft.fields) {
    const row: TemplateProblems["rows"][string] = {};
    const label = field.label.trim();
    if (label === "") row.label = "labelRequired";
    else if (label.length > MAX_LABEL_LENGTH) row.label = "labelTooLong";
    if (field.key === "") row.key = label === "" ? undefined : "keyRequired";
    else if (!KEY_PATTERN.test(field.key)) row.key = "keyInvalid";
    else if (seen.has(field.key)) row.key = "keyDuplicate";
    seen.add(field.key);
    if (row.key === undefined) delete row.key;
    if (field.type === "otp" && ++otpCount > 1) row.type = "oneOtp";
    if (field.type === "recovery_codes" && ++recoveryCount > 1) row.type = "oneRecoveryCodes";
    if (Object.keys(row).length > 0) problems.rows[field.id] = row;
  }
  return problems;
}

export const hasProblems = (problems: TemplateProblems): boolean =>
  problems.name !== undefined || problems.fields !== undefined || Object.keys(problems.rows).length > 0;

export function templateRequest(draft: TemplateDraft): CreateTemplateRequest {
  return {
    name: draft.name.trim(),
    fields: draft.fields.map((field) => ({ key: field.key, label: field.label.trim(), type: field.type, required: field.isRequired })),
  };
}

/** Where a server refusal belongs: "name", "fields" or a row's label/key/type ("fields.2.key"). */
export type ServerPlace = { kind: "name" } | { kind: "fields" } | { kind: "row"; index: number; part: "label" | "key" | "type" } | { kind: "form" };

export function placeServerField(field: string | undefined): ServerPlace {
  if (field === undefined) return { kind: "form" };
  const path = field.replace(/^body\./, "");
  if (path === "name") return { kind: "name" };
  const row = /^fields\.(\d+)\.(label|key|type|required)$/.exec(path);
  if (row !== null) {
    const part = row[2] === "required" ? "type" : (row[2] as "label" | "key" | "type");
    return { kind: "row", index: Number(row[1]), part };
  }
  if (path === "fields" || path.startsWith("fields.")) return { kind: "fields" };
  return { kind: "form" };
}
