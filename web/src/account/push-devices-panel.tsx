// "Sign-in & security" → push approval: turn this browser into a device that approves your
// sign-ins (with Web Push when the browser offers it), see and remove your devices, and answer
// the sign-ins waiting for this one as they arrive (server-sent events): tap the number the
// sign-in shows, or deny.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { PushDevice, PushRequest } from "../../../src/contract/push-approval.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { subscribeThisBrowser } from "./push-service-worker.js";
import { PUSH_DEVICES_CHANGED, PushRequestCard, usePushRequestStream, type PushAnswer } from "./push-request-card.js";

export function PushDevicesPanel({ headingLevel = 2 }: { readonly headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const [devices, setDevices] = useState<PushDevice[]>();
  const [vapidKey, setVapidKey] = useState("");
  const [error, setError] = useState<string>();
  const [needsPassword, setNeedsPassword] = useState<(() => Promise<void>) | undefined>();
  const reload = () =>
    client.listPushDevices().then(
      (list) => {
        setDevices(list.devices);
        setVapidKey(list.vapidPublicKey);
      },
      (failure: unknown) => setError(describeProblem(failure, t)),
    );
  useEffect(() => void reload(), []);
  const isRegistered = devices?.some((device) => device.isThisDevice) === true;
  const when = (iso: string | null) => (iso === null ? t("account.security.never") : new Date(iso).toLocaleString(i18n.language));

  /** Runs a change that needs sudo mode; asks for the password first when the server says so. */
  const withSudo = async (change: () => Promise<void>) => {
    setError(undefined);
    try {
      await change();
      await reload();
      window.dispatchEvent(new Event(PUSH_DEVICES_CHANGED));
    } catch (failure) {
      if (failure instanceof ApiError && failure.key === "reauthentication_required") setNeedsPassword(() => change);
      else setError(describeProblem(failure, t));
    }
  };
  const register = () => withSudo(async () => void (await client.registerPushDevice({ ...(await subscribeThisBrowser(vapidKey, i18n.language).then((s) => (s === undefined ? {} : { subscription: s }))) })));
  const thisDevice = devices?.find((device) => device.isThisDevice);

  return (
    <Panel title={t("account.push.title")} testId="push-devices" headingLevel={headingLevel}>
      <p>{t("account.push.intro")}</p>
      <FormAlert message={error} testId="push-devices-error" />
      {devices !== undefined && devices.length > 0 ? (
        <ul className="push-device-list" data-testid="push-device-list">
          {devices.map((device) => (
            <li key={device.id} className="push-device-list__item" data-testid="push-device">
              <strong>{device.name === "" ? t("account.push.unknownBrowser") : device.name}</strong>
              <span className="push-device-list__meta">
                {device.isThisDevice ? `${t("account.push.thisDevice")} · ` : ""}
                {t(device.hasWebPush ? "account.push.withWebPush" : "account.push.withoutWebPush")} · {t("account.security.factor.lastUsed", { when: when(device.lastUsedAt) })}
              </span>
              <span className="form__actions">
                <Button variant="danger" onClick={() => void withSudo(() => client.removePushDevice(device.id))} data-testid="push-device-remove">
                  {t("account.push.remove")}
                </Button>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {needsPassword !== undefined ? (
        <SudoForm
          onDone={() => {
            const change = needsPassword;
            setNeedsPassword(undefined);
            void withSudo(change);
          }}
          onCancel={() => setNeedsPassword(undefined)}
        />
      ) : !isRegistered && devices !== undefined ? (
        <Button variant="primary" className="button--wraps" onClick={() => void register()} data-testid="push-register">
          {t("account.push.register")}
        </Button>
      ) : null}
      {thisDevice !== undefined && !thisDevice.hasWebPush ? (
        <p className="field__hint" data-testid="push-no-web-push">
          {t("account.push.noWebPush")}
        </p>
      ) : null}
      {isRegistered ? <PushRequests /> : null}
    </Panel>
  );
}

function SudoForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      await client.reauthenticate({ password });
      onDone();
    } catch (failure) {
      setError(describeProblem(failure, t));
    }
  };
  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="push-sudo-form">
      <p>{t("account.security.password.intro")}</p>
      <TextField label={t("signIn.password")} name="password" type="password" autoComplete="current-password" value={password} error={error} onChange={(e) => setPassword(e.target.value)} data-testid="push-sudo-password" />
      <div className="form__actions">
        <Button type="submit" variant="primary">
          {t("account.security.password.submit")}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t("account.security.cancel")}
        </Button>
      </div>
    </form>
  );
}

/** The sign-ins waiting for this browser, kept current by the event stream. */
function PushRequests() {
  const { t } = useTranslation();
  const [requests, setRequests] = usePushRequestStream(true);
  const [answered, setAnswered] = useState<string>();
  const [error, setError] = useState<string>();
  const decide = async (request: PushRequest, answer: PushAnswer) => {
    setError(undefined);
    try {
      const { outcome } = await client.decidePushRequest(request.id, answer);
      setAnswered(t(outcome === "approved" ? "account.push.approved" : "account.push.refused"));
      setRequests((all) => all.filter((r) => r.id !== request.id));
    } catch (failure) {
      setError(describeProblem(failure, t));
    }
  };
  return (
    <div className="form" data-testid="push-requests">
      <FormAlert tone="info" message={answered} testId="push-answered" />
      <FormAlert message={error} testId="push-request-error" />
      {requests.length === 0 ? <p className="field__hint">{t("account.push.noRequests")}</p> : null}
      {requests.map((request) => (
        <PushRequestCard key={request.id} request={request} onAnswer={(answer) => void decide(request, answer)} />
      ))}
    </div>
  );
}
