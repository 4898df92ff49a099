// "Lost your second factor?" at the second step of a sign-in (the page's heading then says
// "Recover your account", sign-in-page.tsx): a code to the recovery method, then
// the recovery waits for an administrator's approval or its waiting period, and, once ready,
// finishes (the old factors removed) and signs in to set up new ones. The recovery method never
// signs anyone in by itself: the server decides when a recovery is ready.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SignInReply } from "../../../src/contract/auth.js";
import type { RecoveryStatusReply, SentRecoveryCode } from "../../../src/contract/recovery-method.js";
import { formatMoment } from "../entries/detail/time-text.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { navigate } from "../ui/router.js";
import { TextField } from "../ui/text-field.js";
import { ONE_TIME_CODE_INPUT } from "./second-step-form.js";
import "./recovery-method.css";

export function RecoverySignIn({ onSignedIn, onBack }: { onSignedIn: (reply: SignInReply) => void; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<RecoveryStatusReply>();
  const [sent, setSent] = useState<SentRecoveryCode>();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    client.recoveryStatus().then(setStatus, (failure: unknown) => setError(describeProblem(failure, t)));
  }, []);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(describeProblem(failure, t));
    } finally {
      setBusy(false);
    }
  };
  const send = () =>
    run(async () => {
      setSent(await client.startRecovery());
      setCode("");
    });
  const confirm = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sent === undefined || isBusy) return;
    if (code.trim() === "") {
      setError(t("signIn.recovery.codeRequired"));
      codeRef.current?.focus();
      return;
    }
    await run(async () => {
      const recovery = await client.confirmRecovery({ attemptToken: sent.attemptToken, code });
      setStatus({ method: status?.method ?? null, recovery });
      setSent(undefined);
    });
  };
  const finish = () =>
    run(async () => {
      onSignedIn(await client.completeRecovery());
      navigate("/account/security", { replace: true });
    });

  const recovery = status?.recovery ?? null;
  return (
    <div className="form recovery-sign-in" data-testid="recovery-sign-in">
      {status === undefined ? <FormAlert message={error} testId="recovery-sign-in-error" /> : null}
      {status !== undefined && recovery === null && status.method === null ? <FormAlert message={t("signIn.recovery.noMethod")} testId="recovery-no-method" /> : null}
      {status !== undefined && recovery === null && status.method !== null && sent === undefined ? (
        <>
          <p>{t("signIn.recovery.intro", { hint: status.method.hint })}</p>
          <FormAlert message={error} testId="recovery-sign-in-error" />
          <Button variant="primary" isWide isBusy={isBusy} onClick={() => void send()} data-testid="recovery-send">
            {t("signIn.recovery.send")}
          </Button>
        </>
      ) : null}
      {sent !== undefined ? (
        <form className="form" noValidate onSubmit={(event) => void confirm(event)} data-testid="recovery-code-form">
          <FormAlert tone="info" message={t("signIn.recovery.sent", { hint: sent.hint })} />
          <TextField
            {...ONE_TIME_CODE_INPUT}
            ref={codeRef}
            autoFocus
            label={t("signIn.recovery.code")}
            hint={t("signIn.recovery.codeHint")}
            value={code}
            error={error}
            data-testid="recovery-code"
            onChange={(event) => {
              setCode(event.target.value);
              setError(undefined);
            }}
          />
          <Button type="submit" variant="primary" isWide isBusy={isBusy} data-testid="recovery-confirm">
            {t("signIn.recovery.confirm")}
          </Button>
          <Button variant="secondary" isWide onClick={() => void send()}>
            {t("signIn.recovery.resend")}
          </Button>
        </form>
      ) : null}
      {recovery !== null && !recovery.isReady ? <FormAlert tone="info" message={t("signIn.recovery.pending", { date: formatMoment(recovery.readyAt, i18n.language) })} testId="recovery-pending" /> : null}
      {recovery !== null && recovery.isReady ? (
        <>
          <p data-testid="recovery-ready">{t("signIn.recovery.ready")}</p>
          <FormAlert message={error} testId="recovery-sign-in-error" />
          <Button variant="primary" isWide isBusy={isBusy} onClick={() => void finish()} data-testid="recovery-finish">
            {t("signIn.recovery.finish")}
          </Button>
        </>
      ) : null}
      <Button variant="secondary" isWide onClick={onBack}>
        {t("signIn.recovery.back")}
      </Button>
    </div>
  );
}
