// The account's sign-in recovery codes: how many remain and when the set was made; a new set
// (the first, or one replacing the old) in sudo mode (sudo.tsx asks for the password when needed); the new codes shown
// once (shown-recovery-codes.tsx). The server keeps only salted hashes, so nothing shows them later.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { GeneratedRecoveryCodes, RecoveryCodeStatus } from "../../../src/contract/sign-in-security.js";
import { formatMoment } from "../entries/detail/time-text.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { InfoIcon, KeyIcon, WarningIcon } from "../ui/icons.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { useSudo } from "./sudo.js";
import { ShownRecoveryCodes } from "./shown-recovery-codes.js";
import "../ui/sign-in-security.css";

export const RECOVERY_CODES_KEY = ["account", "recovery-codes"] as const;
/** At or below this many, the panel asks for a new set. */
const LOW_REMAINING = 3;

function StatusLine({ status }: { status: RecoveryCodeStatus }) {
  const { t, i18n } = useTranslation();
  if (status.total === 0 || status.generatedAt === null) return <p className="sign-in-codes__status">{t("account.recoveryCodes.none")}</p>;
  const date = formatMoment(status.generatedAt, i18n.language);
  return (
    <>
      <p className="sign-in-codes__status" data-testid="recovery-codes-status">
        <KeyIcon className="sign-in-codes__status-icon" />
        <span>{t("account.recoveryCodes.remaining", { count: status.remaining, total: status.total, date })}</span>
      </p>
      {status.remaining <= LOW_REMAINING ? (
        <FormAlert message={status.remaining === 0 ? t("account.recoveryCodes.allUsed") : t("account.recoveryCodes.low")} testId="recovery-codes-low" />
      ) : null}
    </>
  );
}

function ConfirmForm({ hasCodes, onMade, onCancel }: { hasCodes: boolean; onMade: (made: GeneratedRecoveryCodes) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onMade(await withSudo(() => client.generateRecoveryCodes()));
    } catch (failure) {
      setBusy(false);
      setError(describeProblem(failure, t));
    }
  };
  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="recovery-codes-form">
      <FormAlert message={error} testId="recovery-codes-error" />
      {hasCodes ? (
        <p className="form__note">
          <WarningIcon className="form__note-icon" />
          <span>{t("account.recoveryCodes.replaceWarning")}</span>
        </p>
      ) : null}
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="recovery-codes-submit">
          {t("account.recoveryCodes.submit")}
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          {t("account.recoveryCodes.cancel")}
        </Button>
      </div>
    </form>
  );
}

export function RecoveryCodesPanel({ username, headingLevel }: { username: string; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: RECOVERY_CODES_KEY, queryFn: () => client.getRecoveryCodeStatus() });
  const [step, setStep] = useState<{ kind: "status" } | { kind: "password" } | { kind: "shown"; made: GeneratedRecoveryCodes }>({ kind: "status" });
  const hasCodes = (status.data?.total ?? 0) > 0;

  const onMade = (made: GeneratedRecoveryCodes): void => {
    queryClient.setQueryData<RecoveryCodeStatus>(RECOVERY_CODES_KEY, { remaining: made.codes.length, total: made.codes.length, generatedAt: made.generatedAt });
    setStep({ kind: "shown", made });
  };

  return (
    <Panel title={t("account.recoveryCodes.title")} testId="account-recovery-codes" className="sign-in-codes" headingLevel={headingLevel}>
      {step.kind === "shown" ? (
        <ShownRecoveryCodes made={step.made} username={username} onDone={() => setStep({ kind: "status" })} />
      ) : (
        <>
          <p className="form__note">
            <InfoIcon className="form__note-icon" />
            <span>{t("account.recoveryCodes.intro")}</span>
          </p>
          {status.isError ? <FormAlert message={t("account.recoveryCodes.loadFailed")} /> : status.data === undefined ? null : <StatusLine status={status.data} />}
          {step.kind === "password" ? (
            <ConfirmForm hasCodes={hasCodes} onMade={onMade} onCancel={() => setStep({ kind: "status" })} />
          ) : (
            <div className="form__actions">
              <Button variant={hasCodes ? "secondary" : "primary"} data-testid="recovery-codes-start" isBusy={status.isPending} onClick={() => setStep({ kind: "password" })}>
                {hasCodes ? t("account.recoveryCodes.regenerate") : t("account.recoveryCodes.create")}
              </Button>
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
