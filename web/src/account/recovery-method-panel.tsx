// The account-recovery method on "Sign-in & security": the e-mail address or phone number codes go
// to if the person loses their second factors (only its hint is ever shown), added or changed by
// entering back a code sent to it, in sudo mode (the shared dialog asks once the window has passed);
// and a recovery of the account under way, which its owner can cancel. It is never a way to sign in.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { OwnRecoveryMethod, SentRecoveryCode } from "../../../src/contract/recovery-method.js";
import { formatMoment } from "../entries/detail/time-text.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { ONE_TIME_CODE_INPUT } from "./second-step-form.js";
import { useSudo } from "./sudo.js";
import "./recovery-method.css";

type Channel = "email" | "sms";
type Step = { kind: "view" } | { kind: "edit" } | { kind: "code"; sent: SentRecoveryCode };

export function RecoveryMethodPanel() {
  const { t, i18n } = useTranslation();
  const withSudo = useSudo();
  const [own, setOwn] = useState<OwnRecoveryMethod>();
  const [step, setStep] = useState<Step>({ kind: "view" });
  const [channel, setChannel] = useState<Channel>("email");
  const [address, setAddress] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const reload = () => client.getRecoveryMethod().then(setOwn, (failure: unknown) => setError(describeProblem(failure, t)));
  useEffect(() => void reload(), []);

  /** Runs a change in sudo mode: the shared dialog asks first when the window has passed, then it runs again. */
  const change = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await withSudo(work);
    } catch (failure) {
      setError(describeProblem(failure, t));
    } finally {
      setBusy(false);
    }
  };
  const send = () =>
    change(async () => {
      const sent = await client.startRecoveryMethod({ channel, address });
      setCode("");
      setStep({ kind: "code", sent });
    });
  const submitAddress = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (address.trim() === "") return setError(t("account.recoveryMethod.addressRequired"));
    void send();
  };
  const submitCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (step.kind !== "code") return;
    if (code.trim() === "") return setError(t("account.recoveryMethod.codeRequired"));
    void change(async () => {
      await client.confirmRecoveryMethod({ attemptToken: step.sent.attemptToken, code });
      // The new hint first: "saved" beside "No recovery method yet." would be a moment's contradiction.
      await reload();
      setStep({ kind: "view" });
      setAddress("");
      setNotice(t("account.recoveryMethod.saved"));
    });
  };
  const remove = () =>
    change(async () => {
      await client.removeRecoveryMethod();
      await reload();
      setNotice(t("account.recoveryMethod.removed"));
      setStep({ kind: "view" });
    });
  const cancelRecovery = () =>
    change(async () => {
      await client.cancelOwnRecovery();
      setNotice(t("account.recoveryMethod.recoveryCancelled"));
      await reload();
    });

  const method = own?.method ?? null;
  return (
    <Panel title={t("account.recoveryMethod.title")} testId="recovery-method" className="recovery-method">
      <p>{t("account.recoveryMethod.intro")}</p>
      {own !== undefined && own.recovery !== null ? (
        <div className="form">
          <FormAlert message={t("account.recoveryMethod.recoveryPending", { date: formatMoment(own.recovery.requestedAt, i18n.language) })} testId="own-recovery-pending" />
          <Button variant="danger" isBusy={isBusy} onClick={() => void cancelRecovery()} data-testid="own-recovery-cancel">
            {t("account.recoveryMethod.cancelRecovery")}
          </Button>
        </div>
      ) : null}
      <FormAlert tone="info" message={notice} testId="recovery-method-notice" />
      {step.kind === "view" ? (
        <>
          <p data-testid="recovery-method-current">
            {method === null
              ? t("account.recoveryMethod.none")
              : t("account.recoveryMethod.current", { hint: method.hint, channel: t(method.channel === "email" ? "account.recoveryMethod.channelEmail" : "account.recoveryMethod.channelSms"), date: formatMoment(method.confirmedAt, i18n.language) })}
          </p>
          <FormAlert message={error} testId="recovery-method-error" />
          <div className="form__actions">
            <Button
              variant={method === null ? "primary" : "secondary"}
              onClick={() => {
                setNotice(undefined);
                setChannel(own?.channels.email === false && own.channels.sms ? "sms" : "email");
                setStep({ kind: "edit" });
              }}
              data-testid="recovery-method-edit"
            >
              {t(method === null ? "account.recoveryMethod.add" : "account.recoveryMethod.change")}
            </Button>
            {method !== null ? (
              <Button variant="danger" isBusy={isBusy} onClick={() => void remove()} data-testid="recovery-method-remove">
                {t("account.recoveryMethod.remove")}
              </Button>
            ) : null}
          </div>
        </>
      ) : null}
      {step.kind === "edit" ? (
        <form className="form" noValidate onSubmit={submitAddress} data-testid="recovery-method-form">
          <fieldset className="recovery-channel">
            <legend>{t("account.recoveryMethod.channel")}</legend>
            {(["email", "sms"] as const).map((option) => (
              <label key={option} className="recovery-channel__choice">
                <input type="radio" name="recovery-channel" value={option} checked={channel === option} disabled={own?.channels[option] === false} onChange={() => setChannel(option)} data-testid={`recovery-channel-${option}`} />
                {t(option === "email" ? "account.recoveryMethod.email" : "account.recoveryMethod.sms")}
              </label>
            ))}
          </fieldset>
          <TextField
            label={t(channel === "email" ? "account.recoveryMethod.emailAddress" : "account.recoveryMethod.phoneNumber")}
            {...(channel === "sms" ? { hint: t("account.recoveryMethod.phoneHint") } : {})}
            name="recovery-address"
            type={channel === "email" ? "email" : "tel"}
            autoComplete={channel === "email" ? "email" : "tel"}
            maxLength={254}
            value={address}
            error={error}
            onChange={(event) => {
              setAddress(event.target.value);
              setError(undefined);
            }}
            data-testid="recovery-address"
          />
          <div className="form__actions">
            <Button type="submit" variant="primary" isBusy={isBusy} data-testid="recovery-method-send">
              {t("account.recoveryMethod.send")}
            </Button>
            <Button variant="secondary" onClick={() => setStep({ kind: "view" })}>
              {t("account.recoveryMethod.cancel")}
            </Button>
          </div>
        </form>
      ) : null}
      {step.kind === "code" ? (
        <form className="form" noValidate onSubmit={submitCode} data-testid="recovery-method-code-form">
          <FormAlert tone="info" message={t("account.recoveryMethod.sent", { hint: step.sent.hint })} />
          <TextField
            {...ONE_TIME_CODE_INPUT}
            autoFocus
            label={t("account.recoveryMethod.code")}
            hint={t("account.recoveryMethod.codeHint")}
            value={code}
            error={error}
            onChange={(event) => {
              setCode(event.target.value);
              setError(undefined);
            }}
            data-testid="recovery-method-code"
          />
          <div className="form__actions">
            <Button type="submit" variant="primary" isBusy={isBusy} data-testid="recovery-method-confirm">
              {t("account.recoveryMethod.confirm")}
            </Button>
            <Button variant="secondary" onClick={() => void send()}>
              {t("account.recoveryMethod.resend")}
            </Button>
            <Button variant="quiet" onClick={() => setStep({ kind: "view" })}>
              {t("account.recoveryMethod.cancel")}
            </Button>
          </div>
        </form>
      ) : null}
    </Panel>
  );
}
