// A labelled input with its hint and its error, wired for assistive technology: the error and
// hint are the input's description and aria-invalid marks the field that needs fixing.
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from "react";
import { ErrorIcon } from "./icons.js";

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "aria-invalid" | "aria-describedby"> {
  readonly label: string;
  /** Shown after the label, e.g. "optional". */
  readonly labelNote?: string;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, labelNote, hint, error, ref, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error === undefined ? undefined : errorId, hint === undefined ? undefined : hintId].filter(Boolean).join(" ");
  return (
    <div className={`field${error === undefined ? "" : " field--invalid"}${className === undefined ? "" : ` ${className}`}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {labelNote === undefined ? null : <span className="field__note"> ({labelNote})</span>}
      </label>
      <input
        id={id}
        ref={ref}
        className="field__input"
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy === "" ? undefined : describedBy}
        {...input}
      />
      {error === undefined ? null : (
        <p className="field__error" id={errorId}>
          <ErrorIcon className="field__error-icon" />
          <span>{error}</span>
        </p>
      )}
      {hint === undefined ? null : (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
