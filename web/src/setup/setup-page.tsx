// /setup#token=…: checks the one-time link, then lets the first administrator be created and
// signs them in. A used link shows that setup is finished and points to sign-in.
import { useCallback } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useLinkCheck } from "../account/link-check.js";
import { CheckFailed, LinkBroken, LinkReady, useStartSessionAndGoHome } from "../account/one-time-link-views.js";
import { ApiError, client } from "../ui/api-client.js";
import { AuthLayout } from "../ui/auth-layout.js";
import { ButtonLink } from "../ui/button.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { CheckCircleIcon } from "../ui/icons.js";
import { LoadingView } from "../ui/loading-view.js";
import { useLocation } from "../ui/router.js";
import { StatusPanel } from "../ui/status-panel.js";
import { SetupForm } from "./setup-form.js";
import { setupTokenFrom } from "./setup-link.js";

type LinkState =
  | { readonly kind: "ready" }
  | { readonly kind: "already-set-up" }
  | { readonly kind: "not-valid" }
  | { readonly kind: "failed"; readonly error: unknown };

/** conflict: an administrator exists (the link was used); not_found or a malformed token: the link never worked or expired. */
function linkStateOf(error: unknown): LinkState {
  if (error instanceof ApiError && error.code === "conflict") return { kind: "already-set-up" };
  if (error instanceof ApiError && (error.code === "not_found" || error.code === "invalid_input")) return { kind: "not-valid" };
  return { kind: "failed", error };
}

const code = { code: <code /> };

export function SetupPage() {
  const { hash } = useLocation();
  const token = setupTokenFrom(hash);
  return <AuthLayout>{token === undefined ? <IncompleteLink /> : <SetupWithToken key={token} token={token} />}</AuthLayout>;
}

function SetupWithToken({ token }: { token: string }) {
  const { t } = useTranslation();
  const startSessionAndGoHome = useStartSessionAndGoHome();
  const check = useCallback(() => client.checkSetup(token).then((): LinkState => ({ kind: "ready" })), [token]);
  const { link, setLink, recheck } = useLinkCheck(check, linkStateOf);

  switch (link.kind) {
    case "checking":
      return <LoadingView label={t("setup.checking")} />;
    case "already-set-up":
      return <AlreadySetUp />;
    case "not-valid":
      return (
        <LinkBroken documentTitle={t("setup.linkNotValid.documentTitle")} title={t("setup.linkNotValid.title")} testId="setup-link-not-valid">
          <p>
            <Trans i18nKey="setup.linkNotValid.body" components={code} />
          </p>
        </LinkBroken>
      );
    case "failed":
      return <CheckFailed error={link.error} documentTitle={t("setup.documentTitle")} onRetry={() => void recheck()} />;
    case "ready":
      return (
        <LinkReady documentTitle={t("setup.documentTitle")} title={t("setup.title")} intro={t("setup.intro")}>
          <SetupForm token={token} onSetUp={startSessionAndGoHome} onLinkUnusable={(error) => setLink(linkStateOf(error))} />
        </LinkReady>
      );
  }
}

function AlreadySetUp() {
  const { t } = useTranslation();
  useDocumentTitle(t("setup.alreadyDone.documentTitle"));
  return (
    <StatusPanel
      tone="success"
      icon={<CheckCircleIcon width={28} height={28} />}
      title={t("setup.alreadyDone.title")}
      testId="setup-already-done"
      actions={
        <ButtonLink to="/sign-in" isWide>
          {t("setup.alreadyDone.action")}
        </ButtonLink>
      }
    >
      <p>{t("setup.alreadyDone.body")}</p>
    </StatusPanel>
  );
}

function IncompleteLink() {
  const { t } = useTranslation();
  return (
    <LinkBroken documentTitle={t("setup.linkNotValid.documentTitle")} title={t("setup.linkIncomplete.title")} testId="setup-link-incomplete">
      <p>
        <Trans i18nKey="setup.linkIncomplete.body" components={code} />
      </p>
    </LinkBroken>
  );
}
