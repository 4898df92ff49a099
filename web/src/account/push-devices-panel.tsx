// "Sign-in & security" → push approval: turn this browser into a device that approves your
// sign-ins (with Web Push when the browser offers it), see and remove your devices, and answer
// the sign-ins waiting for this one as they arrive (server-sent events): tap the number the
// sign-in shows, or deny.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { PushDevice, PushRequest, PushSubscription } from "../../../src/contract/push-approval.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";

/** A Web Push subscription when this browser has a service worker and allows notifications; none otherwise. */
async function subscribeThisBrowser(vapidPublicKey: string): Promise<PushSubscription | undefined> {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return undefined;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration === undefined) return undefined;
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: vapidPublicKey });
    const json = subscription.toJSON();
    if (json.endpoint === undefined || json.keys?.p256dh === undefined || json.keys.auth === undefined) return undefined;
    return { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } };
  } catch {
    return undefined; // notifications refused: the open app still gets requests
  }
}

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
    } catch (failure) {
      if (failure instanceof ApiError && failure.key === "reauthentication_required") setNeedsPassword(() => change);
      else setError(describeProblem(failure, t));
    }
  };
  const register = () => withSudo(async () => void (await client.registerPushDevice({ ...(await subscribeThisBrowser(vapidKey).then((s) => (s === undefined ? {} : { subscription: s }))) })));

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
  const [requests, setRequests] = useState<PushRequest[]>([]);
  const [answered, setAnswered] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const events = new EventSource("/api/v1/account/push-requests/events");
    events.addEventListener("requests", (event) => setRequests((JSON.parse((event as MessageEvent<string>).data) as { requests: PushRequest[] }).requests));
    return () => events.close();
  }, []);
  const decide = async (request: PushRequest, answer: { number: number } | { deny: true }) => {
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
        <div key={request.id} className="push-request" role="group" aria-label={t("account.push.requestTitle")} data-testid="push-request">
          <h3 className="panel__subtitle">{t("account.push.requestTitle")}</h3>
          <p data-testid="push-request-who">
            {t("account.push.requestWho", {
              username: request.username,
              ip: request.ip,
              browser: request.browser ?? t("account.push.unknownBrowser"),
              system: request.system ?? t("account.push.unknownSystem"),
            })}
          </p>
          <p>{t("account.push.tapNumber")}</p>
          <div className="form__actions">
            {request.choices.map((choice) => (
              <Button key={choice} variant="secondary" onClick={() => void decide(request, { number: choice })} data-testid="push-choice">
                {choice}
              </Button>
            ))}
          </div>
          <Button variant="danger" onClick={() => void decide(request, { deny: true })} data-testid="push-deny">
            {t("account.push.deny")}
          </Button>
        </div>
      ))}
    </div>
  );
}
