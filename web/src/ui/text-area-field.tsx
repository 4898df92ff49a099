// A labelled <textarea> with its hint and error, wired like TextField.
import type { Ref, TextareaHTMLAttributes } from "react";
import { FieldLabel, FieldMessages, fieldClass, useFieldIds, type FieldTextProps } from "./field-parts.js";

interface TextAreaFieldProps extends FieldTextProps, Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "aria-invalid" | "aria-describedby"> {
  readonly ref?: Ref<HTMLTextAreaElement>;
}

export function TextAreaField({ label, labelNote, hint, error, ref, className, ...textarea }: TextAreaFieldProps) {
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  return (
    <div className={fieldClass(error, className)}>
      <FieldLabel htmlFor={id} label={label} labelNote={labelNote} />
      <textarea ref={ref} className="field__input field__input--multiline" {...controlProps} {...textarea} />
      <FieldMessages hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
