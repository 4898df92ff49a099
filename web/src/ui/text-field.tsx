// A labelled input with its hint and its error, wired for assistive technology: the error and
// hint are the input's description and aria-invalid marks the field that needs fixing.
import type { InputHTMLAttributes, Ref } from "react";
import { FieldLabel, FieldMessages, fieldClass, useFieldIds, type FieldTextProps } from "./field-parts.js";

interface TextFieldProps extends FieldTextProps, Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "aria-invalid" | "aria-describedby"> {
  readonly ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, labelNote, hint, error, ref, className, ...input }: TextFieldProps) {
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  return (
    <div className={fieldClass(error, className)}>
      <FieldLabel htmlFor={id} label={label} labelNote={labelNote} />
      <input ref={ref} className="field__input" {...controlProps} {...input} />
      <FieldMessages hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
