// One push request as the approving browser shows it: who is signing in (or confirming it is
// them), from where and with what, the three numbers to tap, and "deny". The Sign-in & security
// panel lists these inline; every other page shows them in the app-wide dialog.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PushRequest } from "../../../src/contract/push-approval.js";
import { Button } from "../ui/button.js";

export type PushAnswer = { readonly number: number } | { readonly deny: true };

/** What the person is asked, by the request's purpose: a sign-in to approve, or a confirmation that it is them (sudo mode elsewhere). */
const WORDS = {
  sign_in: { title: "account.push.requestTitle", who: "account.push.requestWho", tap: "account.push.tapNumber", approved: "account.push.approved", refused: "account.push.refused" },
  reauthentication: {
    title: "account.push.reauthenticationTitle",
    who: "account.push.reauthenticationWho",
    tap: "account.push.reauthenticationTapNumber",
    approved: "account.push.reauthenticationApproved",
    refused: "account.push.reauthenticationRefused",
  },
  step_up: { title: "account.push.stepUpTitle", who: "account.push.stepUpWho", tap: "account.push.reauthenticationTapNumber", approved: "account.push.reauthenticationApproved", refused: "account.push.reauthenticationRefused" },
} as const;

export const wordsOf = (request: Pick<PushRequest, "purpose">) => WORDS[request.purpose];

/** Sign-in & security's query parameter naming the request a tapped notification was about (web/service-worker/sw.js). */
export const PUSH_REQUEST_PARAM = "push_request";

/** `isNamed`: the request the page was opened for (a tapped notification): marked, scrolled to and focused. */
export function PushRequestCard({ request, onAnswer, hasTitle = true, isNamed = false }: { request: PushRequest; onAnswer: (answer: PushAnswer) => void; hasTitle?: boolean; isNamed?: boolean }) {
  const { t } = useTranslation();
  const words = wordsOf(request);
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!isNamed) return;
    card.current?.scrollIntoView({ block: "center" });
    card.current?.focus({ preventScroll: true });
  }, [isNamed]);
  return (
    <div
      ref={card}
      className={isNamed ? "push-request push-request--named" : "push-request"}
      role="group"
      aria-label={t(words.title)}
      aria-current={isNamed ? "true" : undefined}
      tabIndex={isNamed ? -1 : undefined}
      data-testid="push-request"
      data-request-id={request.id}
      data-purpose={request.purpose}
    >
      {hasTitle ? <h3 className="panel__subtitle">{t(words.title)}</h3> : null}
      <p data-testid="push-request-who">
        {t(words.who, {
          username: request.username,
          ip: request.ip,
          browser: request.browser ?? t("account.push.unknownBrowser"),
          system: request.system ?? t("account.push.unknownSystem"),
        })}
      </p>
      <p>{t(words.tap)}</p>
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
