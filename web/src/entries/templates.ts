// Templates as people read them: built-in templates and their fields are named in the reader's
// language; administrators' own keep the names and labels they were given.
import type { TFunction } from "i18next";
import type { EntryDetail, Template, TemplateField } from "../../../src/contract/entries.js";

export const BUILT_IN_TEMPLATES = ["otp-only", "web-app-otp", "recovery-codes-only"] as const;
type BuiltInTemplateId = (typeof BUILT_IN_TEMPLATES)[number];

/** The template an entry gets when none is chosen. */
export const DEFAULT_TEMPLATE_ID: BuiltInTemplateId = "otp-only";

const BUILT_IN_FIELDS = ["url", "username", "password", "seed", "recovery_codes"] as const;

const builtInIdOf = (id: string): BuiltInTemplateId | undefined => BUILT_IN_TEMPLATES.find((candidate) => candidate === id);

export function templateName(id: string, name: string | undefined, t: TFunction): string {
  const builtIn = builtInIdOf(id);
  return builtIn !== undefined ? t(`entries.detail.details.builtInTemplates.${builtIn}`) : (name ?? id);
}

export function fieldLabel(template: Pick<Template, "id" | "builtIn">, field: Pick<TemplateField, "key" | "label">, t: TFunction): string {
  if (!template.builtIn || builtInIdOf(template.id) === undefined) return field.label;
  const key = BUILT_IN_FIELDS.find((candidate) => candidate === field.key);
  return key === undefined ? field.label : t(`entries.templates.builtInFields.${key}`);
}

/** A field's label on an entry's page: built-in templates' fields ("Password") in the reader's language. */
export const entryFieldLabel = (entry: Pick<EntryDetail, "templateId">, field: Pick<TemplateField, "key" | "label">, t: TFunction): string =>
  fieldLabel({ id: entry.templateId, builtIn: builtInIdOf(entry.templateId) !== undefined }, field, t);
