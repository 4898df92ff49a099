// Asks why before revealing something (a recovery code, a password): the reason goes to the audit
// log with the reveal. At least three characters, as the server wants.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "../../ui/form-alert.js";
import { describeProblem, fieldOf } from "../../ui/problem-text.js";
import { TextField } from "../../ui/text-field.js";
import { InlineFormActions } from "./inline-form-actions.js";

interface ReasonFormProps {
  readonly submitLabel: string;
  /** Does the reveal; a rejection is shown in the form. */
  readonly onSubmit: (reason: string) => Promise<void>;
  readonly onCancel: () => void;
  readonly testId?: string;
}

export const MIN_REASON_LENGTH = 3;

/** A reason field's text and error, checked before sending (at least three characters) and told the server's refusal of it. */
export function useReason() {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const ref = useRef<HTMLInputElement>(null);
  const refuse = (message: string): void => {
    setError(message);
    ref.current?.focus();
  };
  return {
    reason,
    error,
    ref,
    onChange: (value: string): void => {
      setReason(value);
      setError(undefined);
    },
    /** The reason to send, or undefined after saying in the field why it will not do. */
    check(): string | undefined {
      if (reason.trim().length >= MIN_REASON_LENGTH) return reason.trim();
      refuse(t("entries.detail.reason.tooShort"));
      return undefined;
    },
    /** Says a refusal about the reason in the field; false for any other refusal. */
    sayRefusal(failure: unknown): boolean {
      if (fieldOf(failure) !== "reason") return false;
      refuse(describeProblem(failure, t));
      return true;
    },
  };
}

export function ReasonForm({ submitLabel, onSubmit, onCancel, testId }: ReasonFormProps) {
  const { t } = useTranslation();
  const field = useReason();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const reason = field.check();
    if (reason === undefined) return;
    setBusy(true);
    setFormError(undefined);
    try {
      await onSubmit(reason);
    } catch (error) {
      setBusy(false);
      if (!field.sayRefusal(error)) setFormError(describeProblem(error, t));
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(event) => void submit(event)} data-testid={testId}>
      <FormAlert message={formError} />
      <TextField
        ref={field.ref}
        label={t("entries.detail.reason.label")}
        hint={t("entries.detail.reason.hint")}
        value={field.reason}
        maxLength={500}
        autoFocus
        autoComplete="off"
        error={field.error}
        data-testid="reason"
        onChange={(event) => field.onChange(event.target.value)}
      />
      <InlineFormActions submitLabel={submitLabel} isBusy={isBusy} onCancel={onCancel} />
    </form>
  );
}
