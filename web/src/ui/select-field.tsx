// A labelled <select> with its hint and error, wired like TextField.
import type { Ref, SelectHTMLAttributes } from "react";
import { FieldLabel, FieldMessages, fieldClass, useFieldIds, type FieldTextProps } from "./field-parts.js";
import { ChevronDownIcon } from "./icons.js";

interface SelectFieldProps extends FieldTextProps, Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "aria-invalid" | "aria-describedby"> {
  readonly ref?: Ref<HTMLSelectElement>;
}

export function SelectField({ label, labelNote, hint, error, ref, className, children, ...select }: SelectFieldProps) {
  const { id, hintId, errorId, controlProps } = useFieldIds(hint, error);
  return (
    <div className={fieldClass(error, className)}>
      <FieldLabel htmlFor={id} label={label} labelNote={labelNote} />
      <div className="select">
        <select ref={ref} className="field__input select__control" {...controlProps} {...select}>
          {children}
        </select>
        <ChevronDownIcon className="select__chevron" width={14} height={14} />
      </div>
      <FieldMessages hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}
