// One push request as the approving browser shows it: who is signing in (or confirming it is
// them), from where and with what, the three numbers to tap, and "deny". The Sign-in & security
// panel lists these inline; every other page shows them in the app-wide dialog.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PushRequest } from "../../../src/contract/push-approval.js";
import { Button } from "../ui/button.js";

export type PushAnswer = { readonly number: number } | { readonly deny: true };

/** The words of a request, by what it asks: a sign-in, sudo mode, or a step-up before a code. */
export const PUSH_REQUEST_TEXTS = {
  sign_in: { title: "account.push.requestTitle", who: "account.push.requestWho", tap: "account.push.tapNumber", approved: "account.push.approved", denied: "account.push.refused" },
  reauthentication: { title: "account.push.reauthenticationTitle", who: "account.push.reauthenticationWho", tap: "account.push.tapNumberSession", approved: "account.push.sessionApproved", denied: "account.push.sessionRefused" },
  step_up: { title: "account.push.stepUpTitle", who: "account.push.stepUpWho", tap: "account.push.tapNumberSession", approved: "account.push.sessionApproved", denied: "account.push.sessionRefused" },
} as const;

export function PushRequestCard({ request, onAnswer, hasTitle = true }: { request: PushRequest; onAnswer: (answer: PushAnswer) => void; hasTitle?: boolean }) {
  const { t } = useTranslation();
  const texts = PUSH_REQUEST_TEXTS[request.purpose];
  return (
    <div className="push-request" role="group" aria-label={t(texts.title)} data-testid="push-request">
      {hasTitle ? <h3 className="panel__subtitle">{t(texts.title)}</h3> : null}
      <p data-testid="push-request-who">
        {t(texts.who, {
          username: request.username,
          ip: request.ip,
          browser: request.browser ?? t("account.push.unknownBrowser"),
          system: request.system ?? t("account.push.unknownSystem"),
        })}
      </p>
      <p>{t(texts.tap)}</p>
      <div className="form__actions push-request__choices">
        {request.choices.map((choice) => (
          <Button key={choice} variant="secondary" onClick={() => onAnswer({ number: choice })} data-testid="push-choice">
            {choice}
          </Button>
        ))}
      </div>
      <Button variant="danger" onClick={() => onAnswer({ deny: true })} data-testid="push-deny">
        {t("account.push.deny")}
      </Button>
    </div>
  );
}

/** The requests waiting for this browser, kept current by the event stream while `isOn`. */
export function usePushRequestStream(isOn: boolean): readonly [PushRequest[], (update: (all: PushRequest[]) => PushRequest[]) => void] {
  const [requests, setRequests] = useState<PushRequest[]>([]);
  useEffect(() => {
    if (!isOn) return setRequests([]);
    const events = new EventSource("/api/v1/account/push-requests/events");
    events.addEventListener("requests", (event) => setRequests((JSON.parse((event as MessageEvent<string>).data) as { requests: PushRequest[] }).requests));
    return () => events.close();
  }, [isOn]);
  return [requests, setRequests];
}

/** Said by the Sign-in & security panel when this browser starts or stops approving sign-ins. */
export const PUSH_DEVICES_CHANGED = "watchword:push-devices-changed";
