// /sign-in: username and password. Afterwards the person lands where they were going, unless others
// failed to sign in to their account since: then they are told first, and go on when they have read it.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo, SignInReply } from "../../../src/contract/auth.js";
import { AuthLayout } from "../ui/auth-layout.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { FormAlert } from "../ui/form-alert.js";
import { PageHeading } from "../ui/page-heading.js";
import { describeProblem } from "../ui/problem-text.js";
import { navigate, useLocation } from "../ui/router.js";
import { TextField } from "../ui/text-field.js";
import { safeNextPath } from "./next-path.js";
import { useSession } from "./session.js";
import { USERNAME_INPUT } from "./username-input.js";
import { SecondStepForm } from "./second-step-form.js";

type Field = "username" | "password";

/** A sign-in that succeeded while others failed: what to tell the person before the session starts. */
interface FailedSignInsNotice {
  readonly failed: NonNullable<SignInReply["failedSignIns"]>;
  readonly session: SessionInfo;
}

export function SignInPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("signIn.documentTitle"));
  const { state, startSession } = useSession();
  const { search } = useLocation();
  const next = safeNextPath(search.get("next"));

  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const [notice, setNotice] = useState<FailedSignInsNotice>();
  const [hasChallenge, setChallenge] = useState(false);
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
        return setChallenge(true);
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

  if (hasChallenge) {
    return (
      <AuthLayout>
        <PageHeading>{t("signIn.secondStep.title")}</PageHeading>
        <SecondStepForm onSignedIn={finish} onRestart={() => setChallenge(false)} />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout>
      <PageHeading>{t("signIn.title")}</PageHeading>
      <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="sign-in-form">
        <FormAlert message={formError} testId="form-error" />
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
      </form>
    </AuthLayout>
  );
}
