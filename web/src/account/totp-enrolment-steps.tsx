// The step of "Two-step verification → Configure" that adds an authenticator app: the QR code and
// the key in groups of four, answered with a first code. The enrolment's key lives only in this
// step's props and the panel's state: it is never stored by the web app.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TotpEnrolment } from "../../../src/contract/second-factors.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { ONE_TIME_CODE_INPUT } from "./second-step-form.js";
import { useSudo } from "./sudo.js";

/** The enrolment the panel started (in sudo mode); confirming it is sudo mode's too, asked again if the window closed meanwhile. */
export function AppStep({ enrolment, onDone, onCancel }: { enrolment: TotpEnrolment; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    try {
      await withSudo(() => client.confirmTotpEnrolment(enrolment.factorId, { code, ...(name.trim() === "" ? {} : { name }) }));
      onDone();
    } catch (failure) {
      setBusy(false);
      setCode("");
      setError(describeProblem(failure, t));
    }
  };
  return (
    <form className="form two-step__step totp-enrolment" noValidate onSubmit={(event) => void submit(event)} data-testid="app-step">
      <h3 className="two-step__step-title">{t("account.security.app.addTitle")}</h3>
      <div className="totp-enrolment__scan">
        <img className="totp-enrolment__qr" src={enrolment.qrCode} alt={t("account.security.app.qrAlt")} width={176} height={176} data-testid="totp-qr" />
        <div className="totp-enrolment__instructions">
          <p>{t("account.security.app.scan")}</p>
          <p className="totp-enrolment__manual">{t("account.security.app.manual")}</p>
          <p className="totp-enrolment__key">
            <code data-testid="totp-key">{enrolment.manualKey}</code>
          </p>
          <p className="totp-enrolment__account">{t("account.security.app.account", { issuer: enrolment.issuer, account: enrolment.account })}</p>
        </div>
      </div>
      <TextField
        {...ONE_TIME_CODE_INPUT}
        label={t("account.security.app.code")}
        value={code}
        error={error}
        onChange={(e) => {
          setCode(e.target.value);
          setError(undefined);
        }}
        data-testid="totp-confirm-code"
      />
      <TextField label={t("account.security.app.name")} hint={t("account.security.app.nameHint")} name="factor-name" maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="totp-confirm">
          {t("account.security.app.confirm")}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t("account.security.cancel")}
        </Button>
      </div>
    </form>
  );
}
