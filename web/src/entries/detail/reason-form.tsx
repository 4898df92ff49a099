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

export function ReasonForm({ submitLabel, onSubmit, onCancel, testId }: ReasonFormProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (reason.trim().length < MIN_REASON_LENGTH) {
      setReasonError(t("entries.detail.reason.tooShort"));
      ref.current?.focus();
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      await onSubmit(reason.trim());
    } catch (error) {
      setBusy(false);
      if (fieldOf(error) === "reason") {
        setReasonError(describeProblem(error, t));
        ref.current?.focus();
      } else {
        setFormError(describeProblem(error, t));
      }
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(event) => void submit(event)} data-testid={testId}>
      <FormAlert message={formError} />
      <TextField
        ref={ref}
        label={t("entries.detail.reason.label")}
        hint={t("entries.detail.reason.hint")}
        value={reason}
        maxLength={500}
        autoFocus
        autoComplete="off"
        error={reasonError}
        data-testid="reason"
        onChange={(event) => {
          setReason(event.target.value);
          setReasonError(undefined);
        }}
      />
      <InlineFormActions submitLabel={submitLabel} isBusy={isBusy} onCancel={onCancel} />
    </form>
  );
}
