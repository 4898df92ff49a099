// Push approval from any page: while this browser is one of the person's registered devices, the
// requests that reach it over the event stream open a dialog wherever they are in the app (Sign-in
// & security lists them in its own panel instead). Denying, or closing the dialog, is "not me"
// only when said: closing leaves the request waiting until it expires. A tapped notification
// (web/service-worker/sw.js) sends the app to the request on Sign-in & security.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PushRequest } from "../../../src/contract/push-approval.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { Dialog } from "../ui/dialog.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { navigate, useLocation } from "../ui/router.js";
import { registerServiceWorker } from "./push-service-worker.js";
import { PUSH_DEVICES_CHANGED, PUSH_REQUEST_PARAM, PushRequestCard, usePushRequestStream, wordsOf, type PushAnswer } from "./push-request-card.js";

/** The page whose panel answers requests itself. */
const SECURITY_PATH = "/account/security";

/** Whether this browser approves the person's sign-ins; asked again when the panel changes it. */
function useIsPushDevice(language: string): boolean {
  const [isDevice, setDevice] = useState(false);
  // Its service worker speaks the app's language, and shows requests once the app is closed.
  useEffect(() => void (isDevice ? registerServiceWorker(language) : undefined), [isDevice, language]);
  useEffect(() => {
    let isCurrent = true;
    const check = () =>
      void client.listPushDevices().then(
        (list) => isCurrent && setDevice(list.devices.some((device) => device.isThisDevice)),
        () => undefined, // not a device, or no answer: the app works on without push approval
      );
    check();
    window.addEventListener(PUSH_DEVICES_CHANGED, check);
    return () => {
      isCurrent = false;
      window.removeEventListener(PUSH_DEVICES_CHANGED, check);
    };
  }, []);
  return isDevice;
}

/** The page the service worker asks for when its notification is tapped: a request on Sign-in & security, nothing else. */
const isApprovalPage = (url: unknown): url is string => typeof url === "string" && url.startsWith(`${SECURITY_PATH}?${PUSH_REQUEST_PARAM}=`);

function useNotificationTaps(): void {
  useEffect(() => {
    const container = "serviceWorker" in navigator ? navigator.serviceWorker : undefined;
    if (container === undefined) return;
    const onMessage = (event: MessageEvent<unknown>) => {
      const data = event.data as { kind?: unknown; url?: unknown } | null;
      if (data?.kind === "open_push_request" && isApprovalPage(data.url)) navigate(data.url);
    };
    container.addEventListener("message", onMessage);
    container.startMessages();
    return () => container.removeEventListener("message", onMessage);
  }, []);
}

export function PushApprovalListener() {
  const { t, i18n } = useTranslation();
  useNotificationTaps();
  const { pathname } = useLocation();
  const isOn = useIsPushDevice(i18n.language) && pathname !== SECURITY_PATH;
  const [requests, setRequests] = usePushRequestStream(isOn);
  /** Requests closed without an answer: not shown again here (they wait on the panel until they expire). */
  const [dismissed, setDismissed] = useState<readonly string[]>([]);
  const [outcome, setOutcome] = useState<{ readonly message: string; readonly isError: boolean; readonly purpose: PushRequest["purpose"] }>();
  const [answering, setAnswering] = useState<PushRequest>();
  const shown: PushRequest | undefined = answering ?? requests.find((request) => !dismissed.includes(request.id));

  const decide = async (request: PushRequest, answer: PushAnswer) => {
    // The dialog stays on this request until its outcome, whatever the stream says meanwhile.
    setAnswering(request);
    try {
      const { outcome: decided } = await client.decidePushRequest(request.id, answer);
      setOutcome({ message: t(decided === "approved" ? wordsOf(request).approved : wordsOf(request).refused), isError: false, purpose: request.purpose });
    } catch (failure) {
      setOutcome({ message: describeProblem(failure, t), isError: true, purpose: request.purpose });
    }
    setAnswering(undefined);
    setRequests((all) => all.filter((r) => r.id !== request.id));
  };
  const close = () => {
    if (shown !== undefined) setDismissed((all) => [...all, shown.id]);
    setOutcome(undefined);
  };

  return (
    <Dialog isOpen={isOn && (shown !== undefined || outcome !== undefined)} onClose={close} title={t(wordsOf(shown ?? outcome ?? { purpose: "sign_in" }).title)} size="s" testId="push-approval-dialog">
      {shown !== undefined ? (
        <div className="push-approval-dialog__body">
          <PushRequestCard request={shown} hasTitle={false} onAnswer={(answer) => void decide(shown, answer)} />
        </div>
      ) : outcome !== undefined ? (
        <div className="form">
          <FormAlert tone={outcome.isError ? "error" : "info"} message={outcome.message} testId="push-dialog-outcome" />
          <div className="form__actions">
            <Button variant="primary" onClick={() => setOutcome(undefined)} data-testid="push-dialog-close">
              {t("account.push.close")}
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
