// /account/security, "Sign-in & security": the person's second factors (rename, remove) and the
// "Two-step verification → Configure" wizard: password again (sudo mode), then — a place kept for
// the recovery-codes step — the authenticator app: QR code, grouped key, first code, done.
import { EnrolmentNotice } from "./enrolment-notice.js";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import type { TotpEnrolment, UserFactor } from "../../../src/contract/second-factors.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { FormAlert } from "../ui/form-alert.js";
import { PageHeading } from "../ui/page-heading.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { ONE_TIME_CODE_INPUT } from "./second-step-form.js";

type WizardStep = "closed" | "password" | "recovery-codes" | "app" | "done";

export function SecurityPage({ session }: { session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t("account.security.documentTitle"));
  const [factors, setFactors] = useState<UserFactor[]>();
  const [step, setStep] = useState<WizardStep>("closed");
  const [listError, setListError] = useState<string>();
  const [pendingRemoval, setPendingRemoval] = useState<string>();
  const reload = () => client.listFactors().then((list) => setFactors(list.factors), (error: unknown) => setListError(describeProblem(error, t)));
  useEffect(() => void reload(), []);
  const when = (iso: string | null) => (iso === null ? t("account.security.never") : new Date(iso).toLocaleString(i18n.language));

  const remove = async (factor: UserFactor) => {
    try {
      await client.removeFactor(factor.id);
      setPendingRemoval(undefined);
      await reload();
    } catch (error) {
      if (error instanceof ApiError && error.key === "reauthentication_required") {
        setPendingRemoval(factor.id);
        setStep("password");
      } else setListError(describeProblem(error, t));
    }
  };

  const afterPassword = () => {
    if (pendingRemoval !== undefined) {
      const factor = factors?.find((f) => f.id === pendingRemoval);
      setStep("closed");
      if (factor !== undefined) void remove(factor);
      return;
    }
    // The recovery-codes step (another change) goes here; until it exists the wizard goes on.
    setStep("app");
  };

  return (
    <div className="page account-page" data-testid="security-page">
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("account.security.title")}</PageHeading>
          <p className="page__count">{t("account.signedInAs", { username: session.user.username })}</p>
        </div>
      </div>
      <EnrolmentNotice session={session} />
      <div className="account-page__panels">
        <Panel title={t("account.security.twoStep.title")} testId="two-step">
          <p>{(factors?.length ?? 0) > 0 ? t("account.security.twoStep.on") : t("account.security.twoStep.off")}</p>
          <FormAlert message={listError} testId="factors-error" />
          {factors !== undefined && factors.length > 0 ? (
            <ul className="factor-list" data-testid="factor-list">
              {factors.map((factor) => (
                <FactorRow key={factor.id} factor={factor} when={when} onChanged={() => void reload()} onRemove={() => void remove(factor)} />
              ))}
            </ul>
          ) : null}
          {step === "closed" ? (
            <Button variant="primary" onClick={() => setStep("password")} data-testid="configure-two-step">
              {t("account.security.twoStep.configure")}
            </Button>
          ) : null}
          {step === "password" ? <PasswordStep hasFactor={(factors?.length ?? 0) > 0} onDone={afterPassword} onCancel={() => setStep("closed")} /> : null}
          {/* RECOVERY CODES STEP: the sign-in recovery codes step (helper "recovery") renders here when step === "recovery-codes". */}
          {step === "app" ? (
            <AppStep
              onDone={() => {
                setStep("done");
                void reload();
              }}
              onCancel={() => setStep("closed")}
            />
          ) : null}
          {step === "done" ? (
            <div className="form" data-testid="two-step-done">
              <FormAlert tone="info" message={t("account.security.app.done")} />
              <Button variant="secondary" onClick={() => setStep("closed")}>
                {t("account.security.app.close")}
              </Button>
            </div>
          ) : null}
        </Panel>
      </div>
    </div>
  );
}

function PasswordStep({ hasFactor, onDone, onCancel }: { hasFactor: boolean; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    try {
      await client.reauthenticate(hasFactor ? { password, method: "totp", code } : { password });
      onDone();
    } catch (failure) {
      setBusy(false);
      setError(describeProblem(failure, t));
    }
  };
  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="reauthenticate-form">
      <p>{t("account.security.password.intro")}</p>
      <FormAlert message={error} testId="reauthenticate-error" />
      <TextField label={t("signIn.password")} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="reauthenticate-password" />
      {hasFactor ? <TextField {...ONE_TIME_CODE_INPUT} label={t("signIn.secondStep.code")} value={code} onChange={(e) => setCode(e.target.value)} data-testid="reauthenticate-code" /> : null}
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy}>
          {t("account.security.password.submit")}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t("account.security.cancel")}
        </Button>
      </div>
    </form>
  );
}

function AppStep({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<TotpEnrolment>();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  useEffect(() => {
    client.startTotpEnrolment().then(setEnrolment, (failure: unknown) => setError(describeProblem(failure, t)));
  }, []);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (enrolment === undefined) return;
    setBusy(true);
    try {
      await client.confirmTotpEnrolment(enrolment.factorId, { code, ...(name.trim() === "" ? {} : { name }) });
      onDone();
    } catch (failure) {
      setBusy(false);
      setCode("");
      setError(describeProblem(failure, t));
    }
  };
  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="app-step">
      <h3 className="panel__subtitle">{t("account.security.app.title")}</h3>
      <p>{t("account.security.app.scan")}</p>
      {enrolment !== undefined ? (
        <>
          <img className="totp-qr" src={enrolment.qrCode} alt={t("account.security.app.qrAlt")} width={200} height={200} data-testid="totp-qr" />
          <p>{t("account.security.app.manual")}</p>
          <p>
            <code className="totp-key" data-testid="totp-key">
              {enrolment.manualKey}
            </code>
          </p>
        </>
      ) : null}
      <TextField {...ONE_TIME_CODE_INPUT} label={t("account.security.app.code")} value={code} error={error} onChange={(e) => { setCode(e.target.value); setError(undefined); }} data-testid="totp-confirm-code" />
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

function FactorRow({ factor, when, onChanged, onRemove }: { factor: UserFactor; when: (iso: string | null) => string; onChanged: () => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const [isRenaming, setRenaming] = useState(false);
  const [name, setName] = useState(factor.name);
  const [error, setError] = useState<string>();
  const rename = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      await client.renameFactor(factor.id, name);
      setRenaming(false);
      onChanged();
    } catch (failure) {
      setError(describeProblem(failure, t));
    }
  };
  return (
    <li className="factor-list__item" data-testid="factor">
      {isRenaming ? (
        <form className="form" noValidate onSubmit={(event) => void rename(event)}>
          <TextField label={t("account.security.factor.name")} value={name} error={error} maxLength={60} onChange={(e) => setName(e.target.value)} />
          <div className="form__actions">
            <Button type="submit" variant="primary">
              {t("account.security.factor.save")}
            </Button>
            <Button variant="secondary" onClick={() => setRenaming(false)}>
              {t("account.security.cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <>
          <strong data-testid="factor-name">{factor.name}</strong>
          <span className="factor-list__meta">
            {t("account.security.factor.kindTotp")} · {t("account.security.factor.created", { when: when(factor.createdAt) })} · {t("account.security.factor.lastUsed", { when: when(factor.lastUsedAt) })}
          </span>
          <span className="form__actions">
            <Button variant="quiet" onClick={() => setRenaming(true)}>
              {t("account.security.factor.rename")}
            </Button>
            <Button variant="danger" onClick={onRemove} data-testid="factor-remove">
              {t("account.security.factor.remove")}
            </Button>
          </span>
        </>
      )}
    </li>
  );
}
