// /sign-in: username and password, or single sign-on when the server has it (a link that leaves for
// the provider; a refused one comes back as ?sso_problem=<key>, said here). Afterwards the person lands where they were going, unless others
// failed to sign in to their account since: then they are told first, and go on when they have read it.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { browserSupportsWebAuthn, startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { PasskeySignInRequest } from "../../../src/contract/passkeys.js";
import type { SessionInfo, SignInReply } from "../../../src/contract/auth.js";
import { SSO_PROBLEM_PARAM } from "../../../src/contract/sso.js";
import { AuthLayout } from "../ui/auth-layout.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button, buttonClass } from "../ui/button.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { FormAlert } from "../ui/form-alert.js";
import { PageHeading } from "../ui/page-heading.js";
import { describeProblem, sayProblem } from "../ui/problem-text.js";
import { navigate, useLocation } from "../ui/router.js";
import { TextField } from "../ui/text-field.js";
import { safeNextPath } from "./next-path.js";
import { useSession } from "./session.js";
import { USERNAME_INPUT } from "./username-input.js";
import { secondStepMethodsOf } from "./second-step-form.js";
import { PushOrSecondStep } from "./push-or-second-step.js";

type Field = "username" | "password";

/** A sign-in that succeeded while others failed: what to tell the person before the session starts. */
interface FailedSignInsNotice {
  readonly failed: NonNullable<SignInReply["failedSignIns"]>;
  readonly session: SessionInfo;
}

export function SignInPage() {
  const { t } = useTranslation();
  // At the second step, "Lost your second factor?" turns the page into an account recovery.
  const [isRecovering, setRecovering] = useState(false);
  useDocumentTitle(t(isRecovering ? "signIn.recovery.title" : "signIn.documentTitle"));
  const { state, startSession } = useSession();
  const { search } = useLocation();
  const next = safeNextPath(search.get("next"));

  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const [notice, setNotice] = useState<FailedSignInsNotice>();
  const sso = useQuery({ queryKey: ["sso"], queryFn: () => client.getSsoInfo(), staleTime: Number.POSITIVE_INFINITY, retry: false });
  const ssoProblem = ssoProblemOf(search, t);
  const [challengeMethods, setChallengeMethods] = useState<readonly string[] | undefined>(() => secondStepMethodsOf(search));
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Someone already signed in (e.g. who came back with the Back button) goes straight on.
  useEffect(() => {
    if (state.status === "signed-in") navigate(next, { replace: true });
  }, [state.status, next]);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const missing: Partial<Record<Field, string>> = {};
    if (username.trim() === "") missing.username = t("errors.usernameRequired");
    if (password === "") missing.password = t("errors.passwordRequired");
    setFieldErrors(missing);
    if (missing.username !== undefined || missing.password !== undefined) {
      setFormError(undefined);
      (missing.username !== undefined ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    setFormError(undefined);
    try {
      const reply = await client.startSignIn({ username: username.trim(), password });
      if (reply.status === "mfa_required") {
        setBusy(false);
        setPassword("");
        return setChallengeMethods(reply.challenge.methods);
      }
      finish(reply);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.code === "unauthenticated") {
        setFormError(t("errors.wrongCredentials"));
        setPassword("");
        passwordRef.current?.focus();
      } else {
        setFormError(describeProblem(error, t));
      }
    }
  };

  // A passkey alone: the browser offers its discoverable credentials and verifies the person.
  const signInWithPasskey = async (): Promise<void> => {
    if (isBusy) return;
    setBusy(true);
    setFormError(undefined);
    try {
      const { options } = await client.passkeySignInOptions();
      const credential = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
      const reply = await client.signInWithPasskey({ credential: credential as PasskeySignInRequest["credential"] });
      startSession(reply.session);
      navigate(next, { replace: true });
    } catch (error) {
      setBusy(false);
      const isCancelled = error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError");
      setFormError(isCancelled ? t("signIn.passkeyCancelled") : describeProblem(error, t));
    }
  };
  /** A session started (after the password, or the second step). */
  function finish(reply: SignInReply): void {
    if (reply.failedSignIns !== undefined) {
      setBusy(false);
      setPassword("");
      return setNotice({ failed: reply.failedSignIns, session: reply.session });
    }
    startSession(reply.session);
    navigate(next, { replace: true });
  }

  const justSignedOut = state.status === "signed-out" && state.hasJustSignedOut && formError === undefined;
  const sessionEnded = state.status === "signed-out" && state.hasSessionEnded === true && formError === undefined;

  if (notice !== undefined) {
    const goOn = (): void => {
      startSession(notice.session);
      navigate(next, { replace: true });
    };
    return (
      <AuthLayout>
        <PageHeading>{t("signIn.failedSignIns.title")}</PageHeading>
        <div className="form" data-testid="failed-sign-ins">
          <p role="alert">
            {t("signIn.failedSignIns.count", { count: notice.failed.count })} {notice.failed.accountLocked ? t("signIn.failedSignIns.locked") : t("signIn.failedSignIns.notLocked")}
          </p>
          <Button variant="primary" isWide onClick={goOn} data-testid="failed-sign-ins-continue">
            {t("signIn.failedSignIns.continue")}
          </Button>
        </div>
      </AuthLayout>
    );
  }

  if (challengeMethods !== undefined) {
    return (
      <AuthLayout>
        <PageHeading>{t(isRecovering ? "signIn.recovery.title" : "signIn.secondStep.title")}</PageHeading>
        <PushOrSecondStep
          methods={challengeMethods}
          onSignedIn={finish}
          onRestart={() => {
            setRecovering(false);
            setChallengeMethods(undefined);
          }}
          recovery={{ isRecovering, setRecovering }}
        />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout>
      <PageHeading>{t("signIn.title")}</PageHeading>
      <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="sign-in-form">
        <FormAlert message={formError ?? ssoProblem} testId="form-error" />
        {justSignedOut ? <FormAlert tone="info" message={t("signIn.signedOut")} /> : null}
        {sessionEnded ? <FormAlert tone="info" message={t("signIn.sessionEnded")} testId="session-ended" /> : null}
        <TextField
          {...USERNAME_INPUT}
          ref={usernameRef}
          label={t("signIn.username")}
          value={username}
          error={fieldErrors.username}
          onChange={(event) => {
            setUsername(event.target.value);
            setFieldErrors((errors) => ({ ...errors, username: undefined }));
          }}
        />
        <TextField
          ref={passwordRef}
          label={t("signIn.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          error={fieldErrors.password}
          onChange={(event) => {
            setPassword(event.target.value);
            setFieldErrors((errors) => ({ ...errors, password: undefined }));
          }}
        />
        <Button type="submit" variant="primary" isWide isBusy={isBusy}>
          {t("signIn.submit")}
        </Button>
        {sso.data?.configured === true ? (
          <>
            <p className="sign-in__or" aria-hidden="true">
              <span>{t("signIn.sso.or")}</span>
            </p>
            {/* A navigation, not a request: the server sends the browser on to the provider. */}
            <a className={buttonClass("secondary", true)} href={`/api/v1/auth/sso/start?next=${encodeURIComponent(next)}`} data-testid="sso-sign-in">
              {t("signIn.sso.button", { label: sso.data.label ?? "SSO" })}
            </a>
          </>
        ) : null}
        {browserSupportsWebAuthn() ? (
          <>
            {/* One "or" between the password form and the other ways in. */}
            {sso.data?.configured === true ? null : (
              <p className="sign-in__or" aria-hidden="true">
                <span>{t("signIn.or")}</span>
              </p>
            )}
            <Button isWide onClick={() => void signInWithPasskey()} data-testid="passkey-sign-in">
              {t("signIn.passkey")}
            </Button>
          </>
        ) : null}
      </form>
    </AuthLayout>
  );
}

/** The sentence for a single sign-on that came back refused (?sso_problem=<key>&p_<name>=…); only sso_* keys are said. */
function ssoProblemOf(search: URLSearchParams, t: Parameters<typeof sayProblem>[2]): string | undefined {
  const key = search.get(SSO_PROBLEM_PARAM);
  if (key === null || !/^sso_[a-z_]{1,40}$/.test(key)) return undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of search) if (name.startsWith("p_")) params[name.slice(2)] = value.slice(0, 64);
  return sayProblem(key as Parameters<typeof sayProblem>[0], params, t);
}
