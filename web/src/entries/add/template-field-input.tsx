// One field of the chosen template in the add-entry form: a text or address input, a masked
// secret with "Show", or recovery codes one per line.
import { useTranslation } from "react-i18next";
import type { Template, TemplateField } from "../../../../src/contract/entries.js";
import { SecretTextField } from "../../ui/secret-text-field.js";
import { TextAreaField } from "../../ui/text-area-field.js";
import { TextField } from "../../ui/text-field.js";
import { parseRecoveryCodes } from "../detail/parse-recovery-codes.js";
import { fieldLabel } from "../templates.js";

interface TemplateFieldInputProps {
  readonly template: Template;
  readonly field: TemplateField;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
  readonly register: (element: HTMLElement | null) => void;
}

export function TemplateFieldInput({ template, field, value, error, onChange, register }: TemplateFieldInputProps) {
  const { t } = useTranslation();
  const common = {
    label: fieldLabel(template, field, t),
    labelNote: field.required ? undefined : t("entries.add.optional"),
    error,
    "data-testid": `template-value-${field.key}`,
  };
  switch (field.type) {
    case "secret":
      return <SecretTextField ref={register} {...common} value={value} maxLength={10_000} onChange={(event) => onChange(event.target.value)} />;
    case "recovery_codes": {
      const count = parseRecoveryCodes(value).length;
      return (
        <TextAreaField
          ref={register}
          {...common}
          className="field--mono"
          rows={5}
          value={value}
          autoComplete="off"
          spellCheck={false}
          hint={t("entries.add.template.codesHint", { count })}
          onChange={(event) => onChange(event.target.value)}
        />
      );
    }
    case "url":
      return (
        <TextField
          ref={register}
          {...common}
          type="url"
          inputMode="url"
          placeholder="https://"
          value={value}
          maxLength={2048}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      );
    default:
      return <TextField ref={register} {...common} value={value} maxLength={field.key === "username" ? 200 : 10_000} autoComplete="off" onChange={(event) => onChange(event.target.value)} />;
  }
}
