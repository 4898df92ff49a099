// What the pages behind a one-time link share (/setup, /join, /reset-password): the page once the
// link checks out (a heading, an introduction, the form, and the session it starts), a link that
// cannot be used, and a check that failed with a retry.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { Button, ButtonLink } from "../ui/button.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { CloudOffIcon, LinkBrokenIcon } from "../ui/icons.js";
import { PageHeading } from "../ui/page-heading.js";
import { describeProblem, describeProblemTitle } from "../ui/problem-text.js";
import { navigate } from "../ui/router.js";
import { StatusPanel } from "../ui/status-panel.js";
import { useSession } from "./session.js";

/** Starts the session the link's form signed in to, and goes home, replacing the link in history (Back does not return to it). */
export function useStartSessionAndGoHome(): (reply: { readonly session: SessionInfo }) => void {
  const { startSession } = useSession();
  return (reply) => {
    startSession(reply.session);
    navigate("/", { replace: true });
  };
}

/** The link checks out: its heading, what it is for, then its form. */
export function LinkReady({ documentTitle, title, intro, children }: { documentTitle: string; title: string; intro: ReactNode; children: ReactNode }) {
  useDocumentTitle(documentTitle);
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p className="lede" data-testid="link-intro">
        {intro}
      </p>
      {children}
    </>
  );
}

/** A link that cannot be used (incomplete, expired, used): why, and sign-in as the way forward when `signInLabel` is given. */
export function LinkBroken({ documentTitle, title, testId, signInLabel, children }: { documentTitle: string; title: string; testId: string; signInLabel?: string; children: ReactNode }) {
  useDocumentTitle(documentTitle);
  return (
    <StatusPanel
      tone="warning"
      icon={<LinkBrokenIcon width={28} height={28} />}
      title={title}
      testId={testId}
      {...(signInLabel === undefined
        ? {}
        : {
            actions: (
              <ButtonLink to="/sign-in" isWide>
                {signInLabel}
              </ButtonLink>
            ),
          })}
    >
      {children}
    </StatusPanel>
  );
}

/** The link could not be checked (server away, or an unexpected error), with a retry. */
export function CheckFailed({ error, documentTitle, onRetry }: { error: unknown; documentTitle: string; onRetry: () => void }) {
  const { t } = useTranslation();
  useDocumentTitle(documentTitle);
  return (
    <StatusPanel
      tone="error"
      icon={<CloudOffIcon width={28} height={28} />}
      title={describeProblemTitle(error, t)}
      actions={
        <Button variant="primary" onClick={onRetry}>
          {t("shell.retry")}
        </Button>
      }
    >
      <p>{describeProblem(error, t)}</p>
    </StatusPanel>
  );
}
