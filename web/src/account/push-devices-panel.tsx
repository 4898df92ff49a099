// "Sign-in & security" → push approval: turn this browser into a device that approves your
// sign-ins (with Web Push when the browser offers it), see and remove your devices, and answer
// the sign-ins waiting for this one as they arrive (server-sent events): tap the number the
// sign-in shows, or deny.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PushDevice, PushRequest, PushSubscription } from "../../../src/contract/push-approval.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { useSudo } from "./sudo.js";

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
  const withSudo = useSudo();
  const [error, setError] = useState<string>();
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

  /** Runs a change in sudo mode: the shared dialog asks first when the window has passed, then it runs again. */
  const change = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await withSudo(work);
      await reload();
    } catch (failure) {
      setError(describeProblem(failure, t));
    }
  };
  const register = () => change(async () => client.registerPushDevice({ ...(await subscribeThisBrowser(vapidKey).then((s) => (s === undefined ? {} : { subscription: s }))) }));

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
                <Button variant="danger" onClick={() => void change(() => client.removePushDevice(device.id))} data-testid="push-device-remove">
                  {t("account.push.remove")}
                </Button>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {!isRegistered && devices !== undefined ? (
        <Button variant="primary" className="button--wraps" onClick={() => void register()} data-testid="push-register">
          {t("account.push.register")}
        </Button>
      ) : null}
      {isRegistered ? <PushRequests /> : null}
    </Panel>
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
