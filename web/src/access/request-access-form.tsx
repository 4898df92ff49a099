// Asks for access to an entry for a while, with a reason: shown on an entry that needs an approved
// request, or one the member sees but may not use. Approvers are told in the app.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { AccessRequest, RequestPermission } from "../../../src/contract/access-requests.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem, fieldOf } from "../ui/problem-text.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { useDurationText } from "./duration-text.js";
import { DURATION_CHOICES } from "./durations.js";

const MIN_REASON_LENGTH = 3;

export function RequestAccessForm({ entryId, onSent, onCancel }: { entryId: string; onSent: (request: AccessRequest) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const durationText = useDurationText();
  const [permission, setPermission] = useState<RequestPermission>("use");
  const [durationSeconds, setDuration] = useState(3600);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (reason.trim().length < MIN_REASON_LENGTH) {
      setReasonError(t("entries.detail.reason.tooShort"));
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      onSent(await client.requestAccess({ entryId, permission, durationSeconds, reason: reason.trim() }));
    } catch (error) {
      setBusy(false);
      if (fieldOf(error) === "reason") setReasonError(describeProblem(error, t));
      else setFormError(describeProblem(error, t));
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(event) => void submit(event)} data-testid="request-access-form">
      <FormAlert message={formError} />
      <SelectField label={t("access.request.permission")} value={permission} data-testid="request-permission" onChange={(event) => setPermission(event.target.value as RequestPermission)}>
        <option value="use">{t("access.permission.use")}</option>
        <option value="recover">{t("access.permission.recover")}</option>
      </SelectField>
      <SelectField label={t("access.request.duration")} value={String(durationSeconds)} data-testid="request-duration" onChange={(event) => setDuration(Number(event.target.value))}>
        {DURATION_CHOICES.map((seconds) => (
          <option key={seconds} value={seconds}>
            {durationText(seconds)}
          </option>
        ))}
      </SelectField>
      <TextField
        ref={reasonRef}
        label={t("access.request.reason")}
        hint={t("access.request.reasonHint")}
        value={reason}
        maxLength={500}
        autoComplete="off"
        error={reasonError}
        data-testid="request-reason"
        onChange={(event) => {
          setReason(event.target.value);
          setReasonError(undefined);
        }}
      />
      <div className="inline-form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="send-request">
          {t("access.request.send")}
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
      </div>
    </form>
  );
}
