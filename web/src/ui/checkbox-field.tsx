// A checkbox with its label beside it, and an error under it when it must be ticked.
import type { InputHTMLAttributes, ReactNode, Ref } from "react";
import { FieldMessages, useFieldIds } from "./field-parts.js";

interface CheckboxFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type" | "aria-invalid" | "aria-describedby"> {
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly ref?: Ref<HTMLInputElement>;
}

export function CheckboxField({ label, hint, error, ref, className, ...input }: CheckboxFieldProps) {
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  return (
    <div className={`checkbox-field${error === undefined ? "" : " field--invalid"}${className === undefined ? "" : ` ${className}`}`}>
      <div className="checkbox-field__row">
        <input ref={ref} type="checkbox" className="checkbox" {...controlProps} {...input} />
        <label htmlFor={id} className="checkbox-field__label">
          {label}
        </label>
      </div>
      <FieldMessages hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
