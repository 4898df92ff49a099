// Asks for access to an entry or a folder for a while, with a reason: shown on an entry that needs
// an approved request, or one the member sees but may not use, and on the Requests page for a
// folder (chosen there, as a member does not see a folder's entries before). Approvers are told
// in the app.
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { AccessRequest, RequestPermission } from "../../../src/contract/access-requests.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { useReason } from "../entries/detail/reason-form.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { useDurationText } from "./duration-text.js";
import { DURATION_CHOICES } from "./durations.js";

/** What the request is for: one entry, or one folder (with everything in it). */
export type RequestTarget = { readonly entryId: string } | { readonly folderId: string };

interface RequestAccessFormProps {
  /** The entry or folder; a folder form with no folder chosen yet says so instead of sending. */
  readonly target: RequestTarget | undefined;
  readonly onSent: (request: AccessRequest) => void;
  readonly onCancel: () => void;
  /** Fields that come before the permission (the folder picker). */
  readonly children?: ReactNode;
  /** Said next to the folder picker when none is chosen. */
  readonly onMissingTarget?: () => void;
  readonly testId?: string;
}

export function RequestAccessForm({ target, onSent, onCancel, children, onMissingTarget, testId = "request-access-form" }: RequestAccessFormProps) {
  const { t } = useTranslation();
  const durationText = useDurationText();
  const [permission, setPermission] = useState<RequestPermission>("use");
  const [durationSeconds, setDuration] = useState(3600);
  const field = useReason();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (target === undefined) onMissingTarget?.();
    const reason = field.check();
    if (reason === undefined || target === undefined) return;
    setBusy(true);
    setFormError(undefined);
    try {
      onSent(await client.requestAccess({ ...target, permission, durationSeconds, reason }));
    } catch (error) {
      setBusy(false);
      if (!field.sayRefusal(error)) setFormError(describeProblem(error, t));
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(event) => void submit(event)} data-testid={testId}>
      <FormAlert message={formError} />
      {children}
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
        ref={field.ref}
        label={t("access.request.reason")}
        hint={t("access.request.reasonHint")}
        value={field.reason}
        maxLength={500}
        autoComplete="off"
        error={field.error}
        data-testid="request-reason"
        onChange={(event) => field.onChange(event.target.value)}
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
