// /join#token=… and /reset-password#token=…: checks the one-time link, lets the person choose a
// password, and signs them in, as first-run setup does. The token is taken from the fragment and
// then removed from the address bar, so it is not left in history, bookmarks or screenshots.
import { useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { LinkStatusReply } from "../../../src/contract/users.js";
import { ApiError, client } from "../ui/api-client.js";
import { AuthLayout } from "../ui/auth-layout.js";
import { LoadingView } from "../ui/loading-view.js";
import { describeProblem } from "../ui/problem-text.js";
import { navigate } from "../ui/router.js";
import { setupTokenFrom } from "../setup/setup-link.js";
import { useLinkCheck } from "./link-check.js";
import { LinkPasswordForm, type LinkPurpose } from "./link-password-form.js";
import { CheckFailed, LinkBroken, LinkReady, useStartSessionAndGoHome } from "./one-time-link-views.js";

type LinkState =
  | { readonly kind: "ready"; readonly status: LinkStatusReply }
  /** conflict: used already; not_found or invalid_input: never valid, or expired. */
  | { readonly kind: "unusable"; readonly error: ApiError }
  | { readonly kind: "failed"; readonly error: unknown };

function linkStateOf(error: unknown): LinkState {
  if (error instanceof ApiError && (error.code === "conflict" || error.code === "not_found" || error.code === "invalid_input")) return { kind: "unusable", error };
  return { kind: "failed", error };
}

const LINK_CALLS = {
  invite: { check: (token: string) => client.checkInvite(token), complete: (token: string, values: { password: string; displayName?: string }) => client.acceptInvite({ token, ...values }) },
  reset: { check: (token: string) => client.checkPasswordReset(token), complete: (token: string, values: { password: string }) => client.completePasswordReset({ token, password: values.password }) },
} as const;

export function LinkPage({ purpose }: { purpose: LinkPurpose }) {
  // Read once: the fragment is cleared right after, and the page keeps working from this copy.
  const [token] = useState(() => setupTokenFrom(window.location.hash));
  useEffect(() => {
    if (window.location.hash !== "") navigate(window.location.pathname + window.location.search, { replace: true, keepScroll: true });
  }, []);
  return <AuthLayout>{token === undefined ? <IncompleteLink purpose={purpose} /> : <LinkWithToken purpose={purpose} token={token} />}</AuthLayout>;
}

function LinkWithToken({ purpose, token }: { purpose: LinkPurpose; token: string }) {
  const { t } = useTranslation();
  const startSessionAndGoHome = useStartSessionAndGoHome();
  const check = useCallback(() => LINK_CALLS[purpose].check(token).then((status): LinkState => ({ kind: "ready", status })), [purpose, token]);
  const { link, setLink, recheck } = useLinkCheck(check, linkStateOf);

  switch (link.kind) {
    case "checking":
      return <LoadingView label={t("account.links.checking")} />;
    case "unusable":
      return <LinkUnusable purpose={purpose} error={link.error} />;
    case "failed":
      return <CheckFailed error={link.error} documentTitle={t(`account.links.${purpose}.documentTitle`)} onRetry={() => void recheck()} />;
    case "ready":
      return (
        <LinkReady
          documentTitle={t(`account.links.${purpose}.documentTitle`)}
          title={t(`account.links.${purpose}.title`)}
          intro={<Trans i18nKey={`account.links.${purpose}.intro`} values={{ username: link.status.username }} components={{ strong: <strong /> }} />}
        >
          <LinkPasswordForm
            purpose={purpose}
            status={link.status}
            submit={(values) => LINK_CALLS[purpose].complete(token, values)}
            onDone={startSessionAndGoHome}
            onLinkUnusable={(error) => setLink(linkStateOf(error))}
          />
        </LinkReady>
      );
  }
}

/** The server's own sentence (translated by its key), and sign-in as the way forward. */
function LinkUnusable({ purpose, error }: { purpose: LinkPurpose; error: ApiError }) {
  const { t } = useTranslation();
  const kind = error.code === "conflict" ? "used" : "invalid";
  return (
    <LinkBroken documentTitle={t(`account.links.${purpose}.${kind}Title`)} title={t(`account.links.${purpose}.${kind}Title`)} testId={`link-${kind}`} signInLabel={t("account.links.signIn")}>
      <p>{describeProblem(error, t)}</p>
    </LinkBroken>
  );
}

function IncompleteLink({ purpose }: { purpose: LinkPurpose }) {
  const { t } = useTranslation();
  return (
    <LinkBroken documentTitle={t(`account.links.${purpose}.invalidTitle`)} title={t("account.links.incomplete.title")} testId="link-incomplete" signInLabel={t("account.links.signIn")}>
      <p>
        <Trans i18nKey="account.links.incomplete.body" components={{ code: <code /> }} />
      </p>
    </LinkBroken>
  );
}
