// A labelled input for a secret being typed in: masked like a password, with a "Show"/"Hide"
// button beside it so a long value can be checked before it is sent.
import { useState, type InputHTMLAttributes, type Ref } from "react";
import { useTranslation } from "react-i18next";
import { FieldLabel, FieldMessages, fieldClass, useFieldIds, type FieldTextProps } from "./field-parts.js";
import { EyeIcon, EyeOffIcon } from "./icons.js";

interface SecretTextFieldProps extends FieldTextProps, Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type" | "aria-invalid" | "aria-describedby"> {
  readonly ref?: Ref<HTMLInputElement>;
}

export function SecretTextField({ label, labelNote, hint, error, ref, className, ...input }: SecretTextFieldProps) {
  const { t } = useTranslation();
  const [isShown, setShown] = useState(false);
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  return (
    <div className={fieldClass(error, `secret-input${className === undefined ? "" : ` ${className}`}`)}>
      <FieldLabel htmlFor={id} label={label} labelNote={labelNote} />
      <div className="secret-input__box">
        <input
          ref={ref}
          className="field__input secret-input__control"
          type={isShown ? "text" : "password"}
          autoComplete="new-password"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          {...controlProps}
          {...input}
        />
        <button
          type="button"
          className="secret-input__toggle"
          aria-label={t(isShown ? "shell.hideValue" : "shell.showValue", { label })}
          onClick={() => setShown((shown) => !shown)}
        >
          {isShown ? <EyeOffIcon width={16} height={16} /> : <EyeIcon width={16} height={16} />}
          <span aria-hidden="true">{isShown ? t("shell.hide") : t("shell.show")}</span>
        </button>
      </div>
      <FieldMessages hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
