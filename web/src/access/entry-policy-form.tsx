// An entry's access policy for its managers: approval required with N approvers, emergency access.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { EntryPolicyReply } from "../../../src/contract/access-requests.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { CheckboxField } from "../ui/checkbox-field.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { SelectField } from "../ui/select-field.js";

const APPROVER_COUNTS = [0, 1, 2, 3, 4, 5];

export function EntryPolicyForm({ entryId, policy, onSaved }: { entryId: string; policy: EntryPolicyReply; onSaved: (policy: EntryPolicyReply) => void }) {
  const { t } = useTranslation();
  const [approvalsRequired, setApprovals] = useState(policy.approvalsRequired);
  const [emergencyAccess, setEmergency] = useState(policy.emergencyAccess);
  const [stepUpRequired, setStepUp] = useState(policy.stepUpRequired);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await client.setEntryPolicy(entryId, { approvalsRequired, emergencyAccess, stepUpRequired }));
      setSaved(true);
    } catch (failure) {
      setError(describeProblem(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(event) => void submit(event)} data-testid="entry-policy-form">
      <FormAlert message={error} />
      <FormAlert tone="info" message={saved ? t("access.policy.saved") : undefined} />
      <SelectField
        label={t("access.policy.approvals")}
        hint={t("access.policy.approvalsHint")}
        value={String(approvalsRequired)}
        data-testid="policy-approvals"
        onChange={(event) => {
          setApprovals(Number(event.target.value));
          setSaved(false);
        }}
      >
        {APPROVER_COUNTS.map((n) => (
          <option key={n} value={n}>
            {n === 0 ? t("access.policy.noApproval") : t("access.policy.approvers", { count: n })}
          </option>
        ))}
      </SelectField>
      <CheckboxField
        label={t("access.policy.emergency")}
        hint={t("access.policy.emergencyHint")}
        checked={emergencyAccess}
        data-testid="policy-emergency"
        onChange={(event) => {
          setEmergency(event.target.checked);
          setSaved(false);
        }}
      />
      <CheckboxField
        label={t("access.policy.stepUp")}
        hint={t(policy.stepUpFromFolder ? "access.policy.stepUpFromFolder" : "access.policy.stepUpHint")}
        checked={stepUpRequired}
        data-testid="policy-step-up"
        onChange={(event) => {
          setStepUp(event.target.checked);
          setSaved(false);
        }}
      />
      <div className="inline-form__actions">
        <Button type="submit" variant="secondary" isBusy={isBusy} data-testid="save-policy">
          {t("access.policy.save")}
        </Button>
      </div>
    </form>
  );
}
