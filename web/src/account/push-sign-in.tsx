// The pending sign-in's push step: sends a request to the person's other devices, shows the
// two-digit number to tap there, and asks the server every second what became of it. Approved:
// the sign-in finishes; denied or a wrong number: it ended; expired: send another.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SignInReply } from "../../../src/contract/auth.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";

const POLL_MS = 1_000;
type Phase = { kind: "sending" } | { kind: "waiting"; number: number } | { kind: "expired" } | { kind: "ended"; message: string };

export function PushSignIn({ onSignedIn, onRestart, onOtherMethod }: { onSignedIn: (reply: SignInReply) => void; onRestart: () => void; onOtherMethod?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: "sending" });
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  const isDone = useRef(false);

  useEffect(() => {
    let isCurrent = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const end = (failure: unknown) => {
      if (!isCurrent) return;
      const hasEnded = failure instanceof ApiError && ["sign_in_challenge_invalid", "second_factor_attempts_exhausted", "push_requests_exhausted"].includes(failure.key ?? "");
      if (hasEnded) setPhase({ kind: "ended", message: describeProblem(failure, t) });
      else setError(describeProblem(failure, t));
    };
    const poll = async () => {
      try {
        const { status } = await client.pushApprovalStatus();
        if (!isCurrent) return;
        if (status === "approved" && !isDone.current) {
          isDone.current = true;
          return onSignedIn(await client.finishSignIn({ method: "push" }));
        }
        if (status === "denied") return setPhase({ kind: "ended", message: t("signIn.push.denied") });
        if (status === "expired") return setPhase({ kind: "expired" });
        timer = setTimeout(() => void poll(), POLL_MS);
      } catch (failure) {
        end(failure);
      }
    };
    setPhase({ kind: "sending" });
    setError(undefined);
    client.requestPushApproval().then(
      (sent) => {
        if (!isCurrent) return;
        setPhase({ kind: "waiting", number: sent.number });
        timer = setTimeout(() => void poll(), POLL_MS);
      },
      end,
    );
    return () => {
      isCurrent = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [round]);

  return (
    <div className="form" data-testid="push-sign-in">
      <FormAlert message={error} testId="push-sign-in-error" />
      {phase.kind === "sending" ? <p>{t("signIn.push.sending")}</p> : null}
      {phase.kind === "waiting" ? (
        <>
          <p>{t("signIn.push.intro")}</p>
          <p className="push-number" aria-live="polite" data-testid="push-number">
            {phase.number}
          </p>
          <p className="field__hint">{t("signIn.push.waiting")}</p>
        </>
      ) : null}
      {phase.kind === "expired" ? (
        <>
          <FormAlert message={t("signIn.push.expired")} testId="push-expired" />
          <Button variant="primary" isWide onClick={() => setRound((n) => n + 1)} data-testid="push-resend">
            {t("signIn.push.resend")}
          </Button>
        </>
      ) : null}
      {phase.kind === "ended" ? (
        <>
          <FormAlert message={phase.message} testId="push-ended" />
          <Button variant="primary" isWide onClick={onRestart} data-testid="push-restart">
            {t("signIn.secondStep.restart")}
          </Button>
        </>
      ) : (
        <>
          {onOtherMethod !== undefined ? (
            <Button variant="secondary" isWide onClick={onOtherMethod} data-testid="push-other-method">
              {t("signIn.push.otherMethod")}
            </Button>
          ) : null}
          <Button variant="secondary" isWide onClick={onRestart}>
            {t("signIn.secondStep.back")}
          </Button>
        </>
      )}
    </div>
  );
}
