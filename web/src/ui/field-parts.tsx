// The label, hint and error every form control shares, and the ids that tie them to the control.
import { useId, type ReactNode } from "react";
import { ErrorIcon } from "./icons.js";

export interface FieldTextProps {
  readonly label: string;
  /** Shown after the label, e.g. "optional". */
  readonly labelNote?: string;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
}

export function useFieldIds(hint: ReactNode, error: string | undefined) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error === undefined ? undefined : errorId, hint === undefined ? undefined : hintId].filter(Boolean).join(" ");
  return {
    id,
    hintId,
    errorId,
    controlProps: {
      id,
      "aria-invalid": error === undefined ? undefined : true,
      "aria-describedby": describedBy === "" ? undefined : describedBy,
    },
  } as const;
}

export function FieldLabel({ htmlFor, label, labelNote }: { htmlFor: string; label: string; labelNote?: string | undefined }) {
  return (
    <label className="field__label" htmlFor={htmlFor}>
      {label}
      {labelNote === undefined ? null : <span className="field__note"> ({labelNote})</span>}
    </label>
  );
}

export function FieldMessages({ hint, error, hintId, errorId }: { hint: ReactNode; error: string | undefined; hintId: string; errorId: string }) {
  return (
    <>
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
    </>
  );
}

export const fieldClass = (error: string | undefined, className: string | undefined): string =>
  `field${error === undefined ? "" : " field--invalid"}${className === undefined ? "" : ` ${className}`}`;
