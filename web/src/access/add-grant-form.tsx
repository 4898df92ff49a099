// Adds a grant: whom (the principal picker), which permission, and for how long. The server's
// refusal (a grant that exists already, a service account asked to manage) is said by the form.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { GrantPermission, GrantView, NamedPrincipal, ScopeKind } from "../../../src/contract/grants.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { PlusIcon } from "../ui/icons.js";
import { describeProblem } from "../ui/problem-text.js";
import { SelectField } from "../ui/select-field.js";
import { EXPIRY_CHOICES, permissionText } from "./grant-text.js";
import { PrincipalPicker } from "./principal-picker.js";

const PERMISSIONS: readonly GrantPermission[] = ["use", "recover", "manage"];

export function AddGrantForm({ scope, onAdded }: { scope: { kind: ScopeKind; id: string }; onAdded: (grant: GrantView) => void }) {
  const { t } = useTranslation();
  const [principal, setPrincipal] = useState<NamedPrincipal>();
  const [permission, setPermission] = useState<GrantPermission>("use");
  const [expiry, setExpiry] = useState<(typeof EXPIRY_CHOICES)[number]>("");
  const [missing, setMissing] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (principal === undefined) return setMissing(t("entries.access.principalRequired"));
    setBusy(true);
    setFailure(undefined);
    try {
      const grant = await client.createGrant({
        principal: { kind: principal.kind, id: principal.id },
        scope,
        permission,
        ...(expiry === "" ? {} : { durationSeconds: Number(expiry) }),
      });
      setPrincipal(undefined);
      onAdded(grant);
    } catch (reason) {
      setFailure(describeProblem(reason, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-grant" noValidate onSubmit={(event) => void submit(event)} data-testid="add-grant-form">
      <h3 className="add-grant__title">{t("entries.access.addTitle")}</h3>
      <FormAlert message={failure} testId="add-grant-error" />
      <PrincipalPicker
        label={t("entries.access.principal")}
        value={principal}
        error={missing}
        onChange={(next) => {
          setPrincipal(next);
          setMissing(undefined);
        }}
      />
      <div className="add-grant__row">
        <SelectField label={t("entries.access.permission")} value={permission} data-testid="grant-permission" onChange={(event) => setPermission(event.target.value as GrantPermission)}>
          {PERMISSIONS.map((p) => (
            <option key={p} value={p}>
              {permissionText(p, t)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("entries.access.expiry")} value={expiry} data-testid="grant-expiry" onChange={(event) => setExpiry(event.target.value as (typeof EXPIRY_CHOICES)[number])}>
          {EXPIRY_CHOICES.map((seconds) => (
            <option key={seconds} value={seconds}>
              {t(`entries.access.expiryChoices.${seconds === "" ? "never" : seconds}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <Button type="submit" variant="primary" isBusy={isBusy} icon={<PlusIcon className="button__icon" />} data-testid="add-grant">
        {t("entries.access.add")}
      </Button>
    </form>
  );
}
