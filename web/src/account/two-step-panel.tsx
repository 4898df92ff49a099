// "Two-step verification" on Sign-in & security: whether it is on (any method sign-in asks for, as
// the server counts them: an app, a passkey, a push device), "Configure" and its wizard (a place
// kept for the recovery-codes step, then the authenticator app), the authenticator apps added
// (rename, remove), then the other methods the page hands in. Sudo mode is the shared dialog's
// (sudo.tsx): it opens when the server refuses a change because the window has passed.
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TotpEnrolment, UserFactor, UserFactorList } from "../../../src/contract/second-factors.js";
import { formatMoment } from "../entries/detail/time-text.js";
import { client, onSecondFactorsChanged } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { ShieldCheckIcon, WarningIcon } from "../ui/icons.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { useSudo } from "./sudo.js";
import { AppStep } from "./totp-enrolment-steps.js";

type WizardStep = { kind: "closed" } | { kind: "recovery-codes" } | { kind: "app"; enrolment: TotpEnrolment } | { kind: "done" };

export function TwoStepPanel({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const withSudo = useSudo();
  const [factors, setFactors] = useState<UserFactor[]>();
  const [methods, setMethods] = useState<UserFactorList["methods"]>([]);
  const [step, setStep] = useState<WizardStep>({ kind: "closed" });
  const [isStarting, setStarting] = useState(false);
  const [configureError, setConfigureError] = useState<string>();
  const [listError, setListError] = useState<string>();
  const reload = () =>
    client.listFactors().then(
      (list) => {
        setFactors(list.factors);
        setMethods(list.methods);
      },
      (error: unknown) => setListError(describeProblem(error, t)),
    );
  // Again after a change in any panel of the page (a passkey or a push device added or removed).
  useEffect(() => {
    void reload();
    return onSecondFactorsChanged(() => void reload());
  }, []);
  const when = (iso: string) => formatMoment(iso, i18n.language);
  const isOn = methods.length > 0;
  /** "a code from your authenticator app, a passkey or security key, or an approval on another browser" (recovery codes only stand beside them). */
  const namesOf = (held: UserFactorList["methods"]): string =>
    new Intl.ListFormat(i18n.language, { type: "disjunction" }).format(
      held.flatMap((method) => (method === "recovery_code" ? [] : [t(`account.security.twoStep.method.${method}`)])),
    );

  const remove = async (factor: UserFactor) => {
    setListError(undefined);
    try {
      await withSudo(() => client.removeFactor(factor.id));
      await reload();
    } catch (error) {
      setListError(describeProblem(error, t));
    }
  };

  /** The app step: a new key, made in sudo mode (the shared dialog asks first when the window has passed). */
  const startApp = async () => {
    // The recovery-codes step (another change) goes before this; until it exists the wizard starts here.
    setStarting(true);
    setConfigureError(undefined);
    try {
      setStep({ kind: "app", enrolment: await withSudo(() => client.startTotpEnrolment()) });
    } catch (error) {
      setConfigureError(describeProblem(error, t));
    } finally {
      setStarting(false);
    }
  };

  return (
    <Panel title={t("account.security.twoStep.title")} testId="two-step" className="two-step">
      <p className={`two-step__status two-step__status--${isOn ? "on" : "off"}`} data-testid="two-step-status">
        {isOn ? <ShieldCheckIcon className="two-step__status-icon" /> : <WarningIcon className="two-step__status-icon" />}
        <span>{isOn ? t("account.security.twoStep.on", { methods: namesOf(methods) }) : t("account.security.twoStep.off")}</span>
      </p>
      {step.kind === "closed" ? (
        <>
          <FormAlert message={configureError} testId="configure-error" />
          <div className="form__actions">
            <Button variant="primary" isBusy={isStarting} onClick={() => void startApp()} data-testid="configure-two-step">
              {t("account.security.twoStep.configure")}
            </Button>
          </div>
        </>
      ) : null}
      {/* RECOVERY CODES STEP: the sign-in recovery codes step (helper "recovery") renders here when step.kind === "recovery-codes". */}
      {step.kind === "app" ? (
        <AppStep
          enrolment={step.enrolment}
          onDone={() => {
            setStep({ kind: "done" });
            void reload();
          }}
          onCancel={() => setStep({ kind: "closed" })}
        />
      ) : null}
      {step.kind === "done" ? (
        <div className="form" data-testid="two-step-done">
          <FormAlert tone="info" message={t("account.security.app.done")} />
          <div className="form__actions">
            <Button variant="secondary" onClick={() => setStep({ kind: "closed" })}>
              {t("account.security.app.close")}
            </Button>
          </div>
        </div>
      ) : null}

      <Panel title={t("account.security.app.title")} headingLevel={3} testId="authenticator-apps">
        <FormAlert message={listError} testId="factors-error" />
        {factors !== undefined && factors.length > 0 ? (
          <ul className="factor-list" data-testid="factor-list">
            {factors.map((factor) => (
              <FactorRow key={factor.id} factor={factor} when={when} onChanged={() => void reload()} onRemove={() => void remove(factor)} />
            ))}
          </ul>
        ) : factors !== undefined ? (
          <p className="two-step__empty">{t("account.security.app.none")}</p>
        ) : null}
      </Panel>
      {children}
    </Panel>
  );
}

function FactorRow({ factor, when, onChanged, onRemove }: { factor: UserFactor; when: (iso: string) => string; onChanged: () => void; onRemove: () => void }) {
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
        <form className="factor-list__rename" noValidate onSubmit={(event) => void rename(event)}>
          <TextField label={t("account.security.factor.renameLabel", { name: factor.name })} value={name} error={error} maxLength={60} onChange={(e) => setName(e.target.value)} />
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
          <div className="factor-list__text">
            <span className="factor-list__name" data-testid="factor-name">
              {factor.name}
            </span>
            <span className="factor-list__meta">
              {t("account.security.factor.created", { when: when(factor.createdAt) })} · {factor.lastUsedAt === null ? t("account.security.factor.neverUsed") : t("account.security.factor.lastUsed", { when: when(factor.lastUsedAt) })}
            </span>
          </div>
          <div className="factor-list__actions">
            <Button variant="quiet" onClick={() => setRenaming(true)} aria-label={t("account.security.factor.renameButtonLabel", { name: factor.name })}>
              {t("account.security.factor.rename")}
            </Button>
            <Button variant="danger" onClick={onRemove} aria-label={t("account.security.factor.removeLabel", { name: factor.name })} data-testid="factor-remove">
              {t("account.security.factor.remove")}
            </Button>
          </div>
        </>
      )}
    </li>
  );
}
