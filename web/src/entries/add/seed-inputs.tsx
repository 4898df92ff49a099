// The seed part of the "Setup key" tab: the base32 key and, under "Advanced settings", the type,
// algorithm, digits, period and counter. Optional when the entry's template says so.
import type { RefObject } from "react";
import { useTranslation } from "react-i18next";
import { SelectField } from "../../ui/select-field.js";
import { TextField } from "../../ui/text-field.js";
import type { SeedNeed, SetupKeyValues } from "./seed-checks.js";

type SeedField = "secret" | "digits" | "period" | "counter" | "algorithm" | "type";

interface SeedInputsProps {
  readonly values: SetupKeyValues;
  readonly need: SeedNeed;
  readonly secretRef: RefObject<HTMLInputElement | null>;
  readonly errorOf: (field: SeedField) => string | undefined;
  readonly set: (field: keyof SetupKeyValues) => (event: { target: { value: string } }) => void;
  readonly isAdvancedOpen: boolean;
  readonly onAdvancedToggle: (isOpen: boolean) => void;
}

export function SeedInputs({ values, need, secretRef, errorOf, set, isAdvancedOpen, onAdvancedToggle }: SeedInputsProps) {
  const { t } = useTranslation();
  if (need === "none") return null;
  return (
    <>
      <TextField
        ref={secretRef}
        label={t("entries.add.secret")}
        labelNote={need === "optional" ? t("entries.add.optional") : undefined}
        className="field--mono"
        value={values.secret}
        autoComplete="off"
        autoCapitalize="characters"
        autoCorrect="off"
        spellCheck={false}
        data-testid="setup-key"
        error={errorOf("secret")}
        hint={t("entries.add.secretHint")}
        onChange={set("secret")}
      />
      <details className="advanced" open={isAdvancedOpen} onToggle={(event) => onAdvancedToggle(event.currentTarget.open)}>
        <summary className="advanced__summary">{t("entries.add.advanced")}</summary>
        <div className="advanced__body">
          <div className="form__row form__row--3">
            <SelectField label={t("entries.add.type")} value={values.type} error={errorOf("type")} onChange={set("type")}>
              <option value="totp">{t("entries.otp.types.totp")}</option>
              <option value="hotp">{t("entries.otp.types.hotp")}</option>
              <option value="steam">{t("entries.otp.types.steam")}</option>
            </SelectField>
            {values.type === "steam" ? null : (
              <SelectField label={t("entries.add.algorithm")} value={values.algorithm} error={errorOf("algorithm")} onChange={set("algorithm")}>
                <option value="SHA1">SHA-1</option>
                <option value="SHA256">SHA-256</option>
                <option value="SHA512">SHA-512</option>
              </SelectField>
            )}
            {values.type === "steam" ? null : (
              <TextField label={t("entries.add.digits")} inputMode="numeric" value={values.digits} error={errorOf("digits")} onChange={set("digits")} />
            )}
            {values.type === "hotp" ? (
              <TextField label={t("entries.add.counter")} inputMode="numeric" value={values.counter} error={errorOf("counter")} onChange={set("counter")} />
            ) : (
              <TextField label={t("entries.add.period")} inputMode="numeric" value={values.period} error={errorOf("period")} onChange={set("period")} />
            )}
          </div>
          <p className="field__hint">{t("entries.add.advancedHint")}</p>
        </div>
      </details>
    </>
  );
}
