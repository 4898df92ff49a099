// Account recoveries waiting on /admin/users: users who proved their recovery method and ask to
// replace lost second factors. An administrator approves (the user may finish at once) or denies;
// shown only while there is one, so the page stays as it was otherwise.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AccountRecovery } from "../../../../src/contract/recovery-method.js";
import { formatMoment } from "../../entries/detail/time-text.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { Panel } from "../../ui/panel.js";
import { describeProblem } from "../../ui/problem-text.js";
import "../../account/recovery-method.css";

export function AccountRecoveriesPanel() {
  const { t, i18n } = useTranslation();
  const [recoveries, setRecoveries] = useState<AccountRecovery[]>([]);
  const [error, setError] = useState<string>();
  const reload = () => client.listAccountRecoveries().then((list) => setRecoveries(list.recoveries), (failure: unknown) => setError(describeProblem(failure, t)));
  useEffect(() => void reload(), []);
  const decide = async (recovery: AccountRecovery, verb: "approve" | "deny") => {
    setError(undefined);
    try {
      await (verb === "approve" ? client.approveAccountRecovery(recovery.id) : client.denyAccountRecovery(recovery.id));
      await reload();
    } catch (failure) {
      setError(describeProblem(failure, t));
    }
  };
  if (recoveries.length === 0 && error === undefined) return null;
  const when = (iso: string) => formatMoment(iso, i18n.language);
  return (
    <Panel title={t("admin.recoveries.title")} testId="account-recoveries">
      <p>{t("admin.recoveries.intro")}</p>
      <FormAlert message={error} testId="account-recoveries-error" />
      <ul className="account-recoveries">
        {recoveries.map((recovery) => (
          <li key={recovery.id} className="account-recoveries__item" data-testid="account-recovery">
            <span>
              {recovery.status === "approved"
                ? t("admin.recoveries.approved", { username: recovery.username })
                : t("admin.recoveries.row", { username: recovery.username, requested: when(recovery.requestedAt), ready: when(recovery.readyAt) })}
            </span>
            <span className="form__actions">
              {recovery.status === "pending" ? (
                <Button variant="primary" onClick={() => void decide(recovery, "approve")} data-testid="account-recovery-approve">
                  {t("admin.recoveries.approve")}
                </Button>
              ) : null}
              <Button variant="danger" onClick={() => void decide(recovery, "deny")} data-testid="account-recovery-deny">
                {t("admin.recoveries.deny")}
              </Button>
            </span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
