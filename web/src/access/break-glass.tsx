// Emergency access (break glass): the code of an entry that needs approval, at once, against a
// mandatory reason, with a plain warning that every approver is alerted and the use is reviewed.
// An entry that asks for a step-up before each code asks for it here too.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { EmergencyCodeReply } from "../../../src/contract/access-requests.js";
import { ReasonForm } from "../entries/detail/reason-form.js";
import { useStepUp } from "../entries/step-up-dialog.js";
import { formatCode } from "../entries/code-format.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { WarningIcon } from "../ui/icons.js";

export function BreakGlass({ entry }: { entry: { readonly id: string; readonly name: string } }) {
  const { t } = useTranslation();
  const stepUp = useStepUp(entry);
  const [isAsking, setAsking] = useState(false);
  const [issued, setIssued] = useState<EmergencyCodeReply>();

  if (issued !== undefined) {
    return (
      <div className="break-glass" data-testid="emergency-code">
        <p className="break-glass__code" data-testid="emergency-code-digits" aria-label={t("access.emergency.codeLabel")}>
          {formatCode(issued.code, issued.type)}
        </p>
        <p className="panel__hint">{t("access.emergency.issued")}</p>
      </div>
    );
  }
  return (
    <div className="break-glass">
      <div className="alert alert--error" role="note">
        <WarningIcon className="alert__icon" />
        <div className="alert__text">{t("access.emergency.warning")}</div>
      </div>
      {isAsking ? (
        <ReasonForm
          testId="emergency-form"
          submitLabel={t("access.emergency.confirm")}
          onCancel={() => setAsking(false)}
          onSubmit={async (reason) => setIssued(await stepUp.withStepUp(() => client.emergencyCode(entry.id, reason)))}
        />
      ) : (
        <Button variant="danger" data-testid="break-glass" onClick={() => setAsking(true)}>
          {t("access.emergency.button")}
        </Button>
      )}
      {stepUp.dialog}
    </div>
  );
}
