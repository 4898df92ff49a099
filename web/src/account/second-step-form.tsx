// The second step of a sign-in: the code from the person's authenticator app, their passkey or
// security key (@simplewebauthn/browser), or one of their sign-in recovery codes, sent with the
// challenge cookie the password step set. Wrong, replayed
// and expired codes are said in words; a challenge that ended sends the person back to the password.
import { useRef, useState, type FormEvent } from "react";
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { SecondFactorSignInRequest } from "../../../src/contract/second-factors.js";
import { useTranslation } from "react-i18next";
import type { SignInReply } from "../../../src/contract/auth.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { RecoverySignIn } from "./recovery-sign-in.js";

/** The attributes of a one-time-code input: phones offer the code from a message, password managers fill it. */
export const ONE_TIME_CODE_INPUT = { name: "code", inputMode: "numeric", autoComplete: "one-time-code", maxLength: 12, spellCheck: false } as const;

/** ?second_step=push,totp,recovery_code: a sign-in whose challenge another page opened (a password-reset link). */
export const SECOND_STEP_PARAM = "second_step";

/** The methods a ?second_step= names, of those the second step knows (push approval among them); undefined when it names none. */
export function secondStepMethodsOf(search: URLSearchParams): readonly string[] | undefined {
  const methods = (search.get(SECOND_STEP_PARAM) ?? "").split(",").filter((method) => method === "push" || method === "totp" || method === "passkey" || method === "recovery_code");
  return methods.length === 0 ? undefined : methods;
}

/** A recovery code is letters and digits: the text keyboard, and no one-time-code autofill. */
const RECOVERY_CODE_INPUT = { name: "recovery-code", inputMode: "text", autoComplete: "off", maxLength: 24, spellCheck: false, autoCapitalize: "characters" } as const;

/**
 * "Lost your second factor?": whether the person is recovering their account through the recovery
 * method (recovery-sign-in.tsx) instead of answering. The sign-in page holds it, so that its
 * heading says which of the two the person is doing.
 */
export interface RecoveryChoice {
  readonly isRecovering: boolean;
  readonly setRecovering: (isRecovering: boolean) => void;
}

export function SecondStepForm({ methods, onSignedIn, onRestart, recovery }: { methods: readonly string[]; onSignedIn: (reply: SignInReply) => void; onRestart: () => void; recovery: RecoveryChoice }) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<"totp" | "passkey" | "recovery_code">(methods.includes("totp") ? "totp" : methods.includes("passkey") ? "passkey" : "recovery_code");
  const isRecovery = method === "recovery_code";
  const isPasskey = method === "passkey";
  /** The other ways this person may answer, as buttons under the form. */
  const others = (["totp", "passkey", "recovery_code"] as const).filter((m) => m !== method && methods.includes(m));
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [hasEnded, setEnded] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const { isRecovering, setRecovering } = recovery;

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (code.trim() === "") {
      setError(t(isRecovery ? "signIn.secondStep.recoveryCodeRequired" : "signIn.secondStep.codeRequired"));
      codeRef.current?.focus();
      return;
    }
    await answer(async () => ({ method, code }));
  };

  const answer = async (request: () => Promise<SecondFactorSignInRequest>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await client.finishSignIn(await request()));
    } catch (failure) {
      setBusy(false);
      setCode("");
      const isCancelled = failure instanceof Error && (failure.name === "NotAllowedError" || failure.name === "AbortError");
      setError(isCancelled ? t("signIn.secondStep.passkeyCancelled") : describeProblem(failure, t));
      if (failure instanceof ApiError && (failure.key === "sign_in_challenge_invalid" || failure.key === "second_factor_attempts_exhausted")) setEnded(true);
      codeRef.current?.focus();
    }
  };
  const usePasskey = (): Promise<void> =>
    answer(async () => {
      const { options } = await client.secondFactorPasskeyOptions();
      const credential = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
      return { method: "passkey", credential: credential as SecondFactorSignInRequest["credential"] };
    });
  const SWITCH_LABEL = { totp: "signIn.secondStep.useApp", passkey: "signIn.secondStep.usePasskey", recovery_code: "signIn.secondStep.useRecoveryCode" } as const;

  if (isRecovering) return <RecoverySignIn onSignedIn={onSignedIn} onBack={() => setRecovering(false)} />;
  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="second-step-form">
      <p>{t(isRecovery ? "signIn.secondStep.recoveryIntro" : isPasskey ? "signIn.secondStep.passkeyIntro" : "signIn.secondStep.intro")}</p>
      {hasEnded ? (
        <>
          <FormAlert message={error} testId="second-step-error" />
          <Button variant="primary" isWide onClick={onRestart} data-testid="second-step-restart">
            {t("signIn.secondStep.restart")}
          </Button>
        </>
      ) : isPasskey ? (
        <>
          <FormAlert message={error} testId="second-step-error" />
          <Button variant="primary" isWide isBusy={isBusy} onClick={() => void usePasskey()} data-testid="second-step-passkey">
            {t("signIn.secondStep.usePasskey")}
          </Button>
        </>
      ) : (
        <>
          <TextField
            {...(isRecovery ? RECOVERY_CODE_INPUT : ONE_TIME_CODE_INPUT)}
            key={method}
            ref={codeRef}
            autoFocus
            label={t(isRecovery ? "signIn.secondStep.recoveryCode" : "signIn.secondStep.code")}
            hint={t(isRecovery ? "signIn.secondStep.recoveryCodeHint" : "signIn.secondStep.codeHint")}
            value={code}
            error={error}
            data-testid="second-step-code"
            onChange={(event) => {
              setCode(event.target.value);
              setError(undefined);
            }}
          />
          <Button type="submit" variant="primary" isWide isBusy={isBusy}>
            {t("signIn.secondStep.submit")}
          </Button>
        </>
      )}
      {hasEnded
        ? null
        : others.map((other) => (
            <Button
              key={other}
              variant="secondary"
              isWide
              data-testid={(other === "recovery_code" && method === "totp") || (other === "totp" && method === "recovery_code") ? "second-step-switch" : `second-step-use-${other}`}
              onClick={() => {
                setMethod(other);
                setCode("");
                setError(undefined);
              }}
            >
              {t(SWITCH_LABEL[other])}
            </Button>
          ))}
      {hasEnded ? null : (
        <Button variant="quiet" isWide onClick={() => setRecovering(true)} data-testid="second-step-lost">
          {t("signIn.recovery.lost")}
        </Button>
      )}
      {hasEnded ? null : (
        <Button variant="secondary" isWide onClick={onRestart}>
          {t("signIn.secondStep.back")}
        </Button>
      )}
    </form>
  );
}
