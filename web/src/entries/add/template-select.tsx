// Which template a new entry follows. The default ("OTP only") is what the form did before
// templates existed; another choice brings that template's fields into the form.
import { useTranslation } from "react-i18next";
import type { Template } from "../../../../src/contract/entries.js";
import { SelectField } from "../../ui/select-field.js";
import { DEFAULT_TEMPLATE_ID, templateName } from "../templates.js";

interface TemplateSelectProps {
  readonly templates: readonly Template[] | undefined;
  /** Undefined for the default template. */
  readonly value: string | undefined;
  readonly error: string | undefined;
  readonly onChange: (templateId: string | undefined) => void;
}

export function TemplateSelect({ templates, value, error, onChange }: TemplateSelectProps) {
  const { t } = useTranslation();
  const others = (templates ?? []).filter((template) => template.id !== DEFAULT_TEMPLATE_ID);
  const builtIn = others.filter((template) => template.builtIn);
  const own = others.filter((template) => !template.builtIn);
  const option = (template: Template) => (
    <option key={template.id} value={template.id}>
      {templateName(template.id, template.name, t)}
    </option>
  );
  return (
    <SelectField
      label={t("entries.add.template.label")}
      value={value ?? DEFAULT_TEMPLATE_ID}
      error={error}
      hint={t("entries.add.template.hint")}
      data-testid="template-select"
      onChange={(event) => onChange(event.target.value === DEFAULT_TEMPLATE_ID ? undefined : event.target.value)}
    >
      <option value={DEFAULT_TEMPLATE_ID}>{templateName(DEFAULT_TEMPLATE_ID, undefined, t)}</option>
      {builtIn.map(option)}
      {own.length === 0 ? null : <optgroup label={t("entries.add.template.ownGroup")}>{own.map(option)}</optgroup>}
    </SelectField>
  );
}
