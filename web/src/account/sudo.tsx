// Sudo mode in the browser: one dialog for the whole app. An action wrapped in withSudo() that the
// server refuses with reauthentication_required opens it (password, plus the second factor when
// the person has one: a code or a passkey; or, for a person with a passkey, the passkey instead of
// the password, with an app's code when the key did not verify them), and once the re-authentication succeeds the action is
// tried again. Closing the dialog rejects with the server's own refusal, so the action's form says
// "Confirm your password (and second factor) again to do this." as for any other problem.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { PasskeyReauthenticateRequest, ReauthenticateRequest } from "../../../src/contract/second-factors.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { Dialog } from "../ui/dialog.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { ONE_TIME_CODE_INPUT } from "./second-step-form.js";

type WithSudo = <T>(action: () => Promise<T>) => Promise<T>;

const SudoContext = createContext<WithSudo>((action) => action());

/** withSudo(action): runs it, and after a re-authentication once more when sudo mode had ended. */
export const useSudo = (): WithSudo => useContext(SudoContext);

export const isReauthenticationRequired = (error: unknown): boolean => error instanceof ApiError && error.key === "reauthentication_required";

/** The browser's dialog was closed or timed out: a sentence of our own, not a problem. */
const isCeremonyCancelled = (error: unknown): boolean => error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError");

export function SudoProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ resolve: () => void; reject: () => void }>();
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  const withSudo = useCallback<WithSudo>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!isReauthenticationRequired(error)) throw error;
      await new Promise<void>((resolve, reject) => setPending({ resolve, reject: () => reject(error) }));
      return action();
    }
  }, []);

  const close = (outcome: "done" | "cancelled") => {
    const current = pendingRef.current;
    setPending(undefined);
    if (outcome === "done") current?.resolve();
    else current?.reject();
  };

  return (
    <SudoContext.Provider value={withSudo}>
      {children}
      <SudoDialog isOpen={pending !== undefined} onDone={() => close("done")} onCancel={() => close("cancelled")} />
    </SudoContext.Provider>
  );
}

function SudoDialog({ isOpen, onDone, onCancel }: { isOpen: boolean; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={isOpen} onClose={onCancel} title={t("account.sudo.title")} description={t("account.sudo.intro")} size="s" testId="sudo-dialog">
      <SudoForm onDone={onDone} onCancel={onCancel} />
    </Dialog>
  );
}

function SudoForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  /** The second factors the server asked for, once it said the password is not enough. */
  const [methods, setMethods] = useState<readonly string[]>([]);
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const hasCode = methods.includes("totp");
  const hasPasskey = methods.includes("passkey");
  const hasPush = methods.includes("push");
  /** Push approval under way: the number to tap on the other device. */
  const [pushNumber, setPushNumber] = useState<number>();
  /** The person has a passkey: it may stand in for the password. */
  const [hasOwnPasskey, setOwnPasskey] = useState(false);
  /** A passkey answer that did not verify the person, waiting for the app's code to go with it. */
  const [keyAnswer, setKeyAnswer] = useState<PasskeyReauthenticateRequest["credential"]>();
  useEffect(() => {
    let isCurrent = true;
    client
      .listPasskeys()
      .then(({ passkeys }) => isCurrent && setOwnPasskey(passkeys.length > 0))
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, []);

  /** The passkey instead of the password: alone when it verified the person, else with the app's code. */
  const sendKeyAnswer = async (request: PasskeyReauthenticateRequest): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await client.reauthenticateWithPasskey(request);
      onDone();
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.key === "second_factor_required") {
        setKeyAnswer(request.credential);
        setError(t("account.sudo.passkeyNeedsCode"));
        return;
      }
      setKeyAnswer(undefined);
      setError(isCeremonyCancelled(failure) ? t("account.passkeys.cancelled") : describeProblem(failure, t));
    }
  };
  const usePasskeyInstead = (): void =>
    void (async () => {
      setBusy(true);
      setError(undefined);
      try {
        const { options } = await client.passkeyReauthenticationOptions();
        const credential = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
        await sendKeyAnswer({ credential: credential as PasskeyReauthenticateRequest["credential"] });
      } catch (failure) {
        setBusy(false);
        setError(isCeremonyCancelled(failure) ? t("account.passkeys.cancelled") : describeProblem(failure, t));
      }
    })();

  const send = async (request: () => Promise<ReauthenticateRequest>): Promise<void> => {
    if (password === "") return setError(t("errors.passwordRequired"));
    setBusy(true);
    setError(undefined);
    try {
      await client.reauthenticate(await request());
      onDone();
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.key === "second_factor_required") {
        // Which factors: a code from the app, a passkey, or both.
        const [factors, passkeys, pushDevices] = await Promise.all([
          client.listFactors().catch(() => ({ factors: [] })),
          client.listPasskeys().catch(() => ({ passkeys: [] })),
          client.listPushDevices().catch(() => ({ devices: [] })),
        ]);
        // Push only when another device can answer: this browser cannot approve its own request.
        const offered = [...(factors.factors.some((f) => f.kind === "totp") ? ["totp"] : []), ...(passkeys.passkeys.length > 0 ? ["passkey"] : []), ...(pushDevices.devices.some((device) => !device.isThisDevice) ? ["push"] : [])];
        setMethods(offered);
        // Nothing to offer when push approval is the only factor and this browser its only device: say why.
        setError(t(offered.length === 0 && pushDevices.devices.length > 0 ? "problems.push_no_other_device" : "account.sudo.secondFactor"));
        return;
      }
      setError(isCeremonyCancelled(failure) ? t("account.passkeys.cancelled") : describeProblem(failure, t));
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (keyAnswer !== undefined) {
      if (code.trim() === "") return setError(t("signIn.secondStep.codeRequired"));
      return void sendKeyAnswer({ credential: keyAnswer, method: "totp", code });
    }
    if (hasCode && code.trim() === "") return setError(t("signIn.secondStep.codeRequired"));
    void send(async () => (hasCode ? { password, method: "totp", code } : { password }));
  };
  const usePasskey = (): void =>
    void send(async () => {
      const { options } = await client.reauthenticationPasskeyOptions();
      const credential = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
      return { password, method: "passkey", credential: credential as ReauthenticateRequest["credential"] };
    });

  /** Push approval: the password, a request to the person's devices, the number; once approved, sudo mode. */
  const usePush = async (): Promise<void> => {
    if (password === "") return setError(t("errors.passwordRequired"));
    setBusy(true);
    setError(undefined);
    try {
      const sent = await client.requestReauthenticationPush({ password });
      setPushNumber(sent.number);
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const { status } = await client.reauthenticationPushStatus();
        if (status === "approved") return await send(async () => ({ password, method: "push" }));
        if (status !== "pending") {
          setPushNumber(undefined);
          setBusy(false);
          return setError(t(status === "denied" ? "account.sudo.pushDenied" : "signIn.push.expired"));
        }
      }
    } catch (failure) {
      setPushNumber(undefined);
      setBusy(false);
      setError(describeProblem(failure, t));
    }
  };

  return (
    <form className="form" noValidate onSubmit={submit} data-testid="sudo-form">
      <FormAlert message={error} testId="sudo-error" />
      {keyAnswer === undefined ? (
        <TextField label={t("signIn.password")} name="password" type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} data-testid="sudo-password" />
      ) : null}
      {hasOwnPasskey && methods.length === 0 && keyAnswer === undefined && pushNumber === undefined ? (
        <Button variant="secondary" isBusy={isBusy} onClick={usePasskeyInstead} data-testid="sudo-passkey-instead">
          {t("account.sudo.passkeyInstead")}
        </Button>
      ) : null}
      {hasCode || keyAnswer !== undefined ? (
        <TextField {...ONE_TIME_CODE_INPUT} label={t("signIn.secondStep.code")} autoFocus={keyAnswer !== undefined} value={code} onChange={(e) => setCode(e.target.value)} data-testid="sudo-code" />
      ) : null}
      {pushNumber !== undefined ? (
        <>
          <p>{t("signIn.push.intro")}</p>
          <p className="push-number" aria-live="polite" data-testid="sudo-push-number">
            {pushNumber}
          </p>
        </>
      ) : null}
      <div className="form__actions">
        {hasPush ? (
          <Button variant={hasCode || hasPasskey ? "secondary" : "primary"} isBusy={isBusy} onClick={() => void usePush()} data-testid="sudo-push">
            {t("account.sudo.usePush")}
          </Button>
        ) : null}
        {(hasPasskey || hasPush) && !hasCode && keyAnswer === undefined ? null : (
          <Button type="submit" variant="primary" isBusy={isBusy} data-testid="sudo-submit">
            {t("account.sudo.submit")}
          </Button>
        )}
        {hasPasskey ? (
          <Button variant={hasCode ? "secondary" : "primary"} isBusy={isBusy} onClick={usePasskey} data-testid="sudo-passkey">
            {t("account.sudo.usePasskey")}
          </Button>
        ) : null}
        <Button variant="quiet" onClick={onCancel}>
          {t("account.sudo.cancel")}
        </Button>
      </div>
    </form>
  );
}
