// The live region at the top of a form: always in the page, so a screen reader announces the
// message the moment it appears.
import type { ReactNode } from "react";
import { ErrorIcon, InfoIcon } from "./icons.js";

export function FormAlert({ message, tone = "error", testId }: { message: ReactNode; tone?: "error" | "info"; testId?: string }) {
  return (
    <div className="form-alert-region" aria-live={tone === "error" ? "assertive" : "polite"} aria-atomic="true">
      {message === undefined || message === null || message === "" ? null : (
        <div className={`alert alert--${tone}`} data-testid={testId}>
          {tone === "error" ? <ErrorIcon className="alert__icon" /> : <InfoIcon className="alert__icon" />}
          <div className="alert__text">{message}</div>
        </div>
      )}
    </div>
  );
}
