// Step-up before a code: an entry (or its folder) that asks for a fresh second factor answers its
// code, its emergency code, its recovery codes and its secret fields with step_up_required; this
// dialog asks for the authenticator app's code, a passkey or a push approval on the person's other
// device (whichever they have), sends it to the step-up endpoint and, once accepted, lets the view
// fetch what it was asked for. useStepUp() wraps such a fetch the way withSudo() does.
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactElement } from "react";
import { useTranslation } from "react-i18next";
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { StepUpRequest } from "../../../src/contract/mfa-enforcement.js";
import { ONE_TIME_CODE_INPUT } from "../account/second-step-form.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { Dialog } from "../ui/dialog.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";

/** What the step-up is for: a code (one-time, emergency or recovery code), or a secret field's value. */
export type StepUpPurpose = "code" | "secret";

/** The dialog's words for each purpose: its introduction and the code form's button. */
const PURPOSE_TEXT = {
  code: { intro: "entries.stepUp.intro", submit: "entries.stepUp.submit" },
  secret: { intro: "entries.stepUp.introSecret", submit: "entries.stepUp.submitSecret" },
} as const satisfies Record<StepUpPurpose, { intro: string; submit: string }>;

interface StepUpDialogProps {
  readonly isOpen: boolean;
  readonly entry: { readonly id: string; readonly name: string };
  readonly purpose?: StepUpPurpose;
  readonly onPassed: () => void;
  readonly onClose: () => void;
}

export const isStepUpRequired = (error: unknown): boolean => error instanceof ApiError && error.key === "step_up_required";

/** How often the dialog asks what became of a push request, as the sign-in's push step does. */
const PUSH_POLL_MS = 1_000;

type WithStepUp = <T>(action: () => Promise<T>) => Promise<T>;

/**
 * withStepUp(action): runs an action that gets a code or a recovery code of the entry and, when the
 * entry asks for a step-up, opens the dialog (render `dialog`) and runs the action once more after
 * it. Closing the dialog rejects with the server's refusal, which the action's form says in words.
 */
export function useStepUp(entry: StepUpDialogProps["entry"], purpose: StepUpPurpose = "code"): { withStepUp: WithStepUp; dialog: ReactElement } {
  const [pending, setPending] = useState<{ resolve: () => void; reject: () => void }>();
  const withStepUp = useCallback<WithStepUp>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!isStepUpRequired(error)) throw error;
      await new Promise<void>((resolve, reject) => setPending({ resolve, reject: () => reject(error) }));
      return action();
    }
  }, []);
  const settle = (outcome: "passed" | "closed") => {
    setPending(undefined);
    if (outcome === "passed") pending?.resolve();
    else pending?.reject();
  };
  const dialog = <StepUpDialog isOpen={pending !== undefined} entry={entry} purpose={purpose} onPassed={() => settle("passed")} onClose={() => settle("closed")} />;
  return { withStepUp, dialog };
}

export function StepUpDialog({ isOpen, entry, purpose = "code", onPassed, onClose }: StepUpDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title={t("entries.stepUp.title")} description={t(PURPOSE_TEXT[purpose].intro, { name: entry.name })} size="s" testId="step-up-dialog">
      <StepUpForm entryId={entry.id} purpose={purpose} onPassed={onPassed} onCancel={onClose} />
    </Dialog>
  );
}

function StepUpForm({ entryId, purpose, onPassed, onCancel }: { entryId: string; purpose: StepUpPurpose; onPassed: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  /** The person's methods, as the server counts them; until known, the code field shows. */
  const [methods, setMethods] = useState<readonly string[]>();
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    client.listFactors().then(
      (list) => setMethods(list.methods),
      () => setMethods(["totp"]),
    );
  }, []);
  const hasCode = methods === undefined || methods.includes("totp");
  const hasPasskey = methods?.includes("passkey") === true;
  const hasPush = methods?.includes("push") === true;
  const push = usePushStepUp(entryId, onPassed);

  const send = async (request: () => Promise<StepUpRequest>): Promise<void> => {
    setBusy(true);
    try {
      await client.stepUp(entryId, await request());
      onPassed();
    } catch (failure) {
      setBusy(false);
      setCode("");
      // The browser's own dialog closed or timed out: a sentence of ours, not a problem.
      const isCancelled = failure instanceof Error && (failure.name === "NotAllowedError" || failure.name === "AbortError");
      setError(isCancelled ? t("account.passkeys.cancelled") : describeProblem(failure, t));
      codeRef.current?.focus();
    }
  };
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy || !hasCode) return;
    if (code.trim() === "") {
      setError(t("signIn.secondStep.codeRequired"));
      codeRef.current?.focus();
      return;
    }
    await send(async () => ({ method: "totp", code }));
  };
  const usePasskey = (): void =>
    void send(async () => {
      const { options } = await client.reauthenticationPasskeyOptions();
      const credential = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
      return { method: "passkey", credential: credential as StepUpRequest["credential"] };
    });

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="step-up-form">
      {hasCode ? (
        <TextField
          {...ONE_TIME_CODE_INPUT}
          ref={codeRef}
          autoFocus
          label={t("signIn.secondStep.code")}
          hint={t("signIn.secondStep.codeHint")}
          value={code}
          error={error}
          data-testid="step-up-code"
          onChange={(event) => {
            setCode(event.target.value);
            setError(undefined);
          }}
        />
      ) : (
        // One live region when there is no code field: the push request's refusal shows in it too.
        <FormAlert message={error ?? push.error} testId={error === undefined ? "step-up-push-error" : "step-up-error"} />
      )}
      {push.number !== undefined ? (
        <div data-testid="step-up-push-waiting">
          <p>{t("signIn.push.intro")}</p>
          <p className="push-number" aria-live="polite" data-testid="step-up-push-number">
            {push.number}
          </p>
          <p className="field__hint">{t("signIn.push.waiting")}</p>
        </div>
      ) : null}
      {hasCode && hasPush ? <FormAlert message={push.error} testId="step-up-push-error" /> : null}
      <div className="form__actions">
        {hasCode ? (
          <Button type="submit" variant="primary" isBusy={isBusy} data-testid="step-up-submit">
            {t(PURPOSE_TEXT[purpose].submit)}
          </Button>
        ) : null}
        {hasPasskey ? (
          <Button variant={hasCode ? "secondary" : "primary"} isBusy={isBusy} onClick={usePasskey} data-testid="step-up-passkey">
            {t("account.sudo.usePasskey")}
          </Button>
        ) : null}
        {hasPush ? (
          <Button variant={hasCode || hasPasskey ? "secondary" : "primary"} isBusy={push.isWaiting} onClick={push.send} data-testid="step-up-push">
            {t(push.hasSent && !push.isWaiting ? "entries.stepUp.pushResend" : "entries.stepUp.usePush")}
          </Button>
        ) : null}
        <Button variant="secondary" onClick={onCancel}>
          {t("entries.stepUp.cancel")}
        </Button>
      </div>
    </form>
  );
}

/**
 * Push approval as the step-up: a request to the person's other devices bound to this session,
 * the number to tap there, and a question every second until it is approved (then the step-up
 * itself), refused or expired. Closing the dialog unmounts the form and stops asking.
 */
function usePushStepUp(entryId: string, onPassed: () => void) {
  const { t } = useTranslation();
  /** 0: not asked yet; each "Send" starts a new round (a new request). */
  const [round, setRound] = useState(0);
  const [number, setNumber] = useState<number>();
  const [isWaiting, setWaiting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (round === 0) return undefined;
    let isCurrent = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (message: string): void => {
      if (!isCurrent) return;
      setNumber(undefined);
      setWaiting(false);
      setError(message);
    };
    const poll = async (): Promise<void> => {
      try {
        const { status } = await client.stepUpPushStatus(entryId);
        if (!isCurrent) return;
        if (status === "pending") {
          timer = setTimeout(() => void poll(), PUSH_POLL_MS);
          return;
        }
        if (status === "approved") {
          await client.stepUp(entryId, { method: "push" });
          if (isCurrent) onPassed();
          return;
        }
        fail(t(status === "denied" ? "account.sudo.pushDenied" : status === "used" ? "problems.step_up_push_used" : "signIn.push.expired"));
      } catch (failure) {
        fail(describeProblem(failure, t));
      }
    };
    setWaiting(true);
    setError(undefined);
    client.requestStepUpPush(entryId).then(
      (sent) => {
        if (!isCurrent) return;
        setNumber(sent.number);
        timer = setTimeout(() => void poll(), PUSH_POLL_MS);
      },
      (failure: unknown) => fail(describeProblem(failure, t)),
    );
    return () => {
      isCurrent = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [round]);

  return { number, isWaiting, error, hasSent: round > 0, send: () => setRound((n) => n + 1) };
}
