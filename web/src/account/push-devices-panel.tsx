// "Sign-in & security" → push approval: turn this browser into a device that approves your
// sign-ins (with Web Push when the browser offers it), see and remove your devices, and answer
// the sign-ins waiting for this one as they arrive (server-sent events): tap the number the
// sign-in shows, or deny.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PushDevice, PushRequest } from "../../../src/contract/push-approval.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { useLocation } from "../ui/router.js";
import { useSudo } from "./sudo.js";
import { subscribeThisBrowser } from "./push-service-worker.js";
import { PUSH_DEVICES_CHANGED, PUSH_REQUEST_PARAM, PushRequestCard, usePushRequestStream, wordsOf, type PushAnswer } from "./push-request-card.js";

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
      window.dispatchEvent(new Event(PUSH_DEVICES_CHANGED));
    } catch (failure) {
      setError(describeProblem(failure, t));
    }
  };
  const register = () => change(async () => client.registerPushDevice({ ...(await subscribeThisBrowser(vapidKey, i18n.language).then((s) => (s === undefined ? {} : { subscription: s }))) }));
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
                <Button variant="danger" onClick={() => void change(() => client.removePushDevice(device.id))} data-testid="push-device-remove">
                  {t("account.push.remove")}
                </Button>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {!isRegistered && devices !== undefined ? (
        // At the end of the line, as every panel's action is (the sentence wraps on a phone).
        <div className="form__actions">
          <Button variant="primary" className="button--wraps" onClick={() => void register()} data-testid="push-register">
            {t("account.push.register")}
          </Button>
        </div>
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

/** The sign-ins waiting for this browser, kept current by the event stream. */
function PushRequests() {
  const { t } = useTranslation();
  const [requests, setRequests] = usePushRequestStream(true);
  const named = useLocation().search.get(PUSH_REQUEST_PARAM);
  const [answered, setAnswered] = useState<string>();
  const [error, setError] = useState<string>();
  const decide = async (request: PushRequest, answer: PushAnswer) => {
    setError(undefined);
    try {
      const { outcome } = await client.decidePushRequest(request.id, answer);
      setAnswered(t(outcome === "approved" ? wordsOf(request).approved : wordsOf(request).refused));
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
        <PushRequestCard key={request.id} request={request} isNamed={request.id === named} onAnswer={(answer) => void decide(request, answer)} />
      ))}
    </div>
  );
}
