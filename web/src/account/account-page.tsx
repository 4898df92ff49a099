// /account: the signed-in person's own account: their display name and language (saved on the
// server and applied at once), and the way to Sign-in & security (security-page.tsx), where the
// password, two-step verification and the sessions are.
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import type { User } from "../../../src/contract/users.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { PageHeading } from "../ui/page-heading.js";
import { Panel } from "../ui/panel.js";
import { ChevronRightIcon, ShieldCheckIcon } from "../ui/icons.js";
import { Link } from "../ui/router.js";
import { ProfileForm } from "./profile-form.js";
import { SESSION_KEY } from "./session.js";

export function AccountPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("account.documentTitle"));
  const queryClient = useQueryClient();

  // The session carries the name the header shows and the saved language: it follows the account at once.
  const onSaved = (user: User): void => {
    queryClient.setQueryData(SESSION_KEY, {
      status: "signed-in",
      session: { ...session, user: { ...session.user, displayName: user.displayName }, language: user.language },
    });
  };

  return (
    <div className="page account-page" data-testid="account-page">
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("account.title")}</PageHeading>
          <p className="page__count">{t("account.signedInAs", { username: session.user.username })}</p>
        </div>
      </div>
      <div className="account-page__panels">
        <Panel title={t("account.profile.title")} testId="account-profile">
          <ProfileForm displayName={session.user.displayName} language={session.language} onSaved={onSaved} />
        </Panel>
        <Panel title={t("account.security.title")} testId="account-security">
          <Link to="/account/security" className="account-page__security-link" data-testid="security-link">
            <ShieldCheckIcon className="account-page__security-icon" width={20} height={20} />
            <span className="account-page__security-text">
              <span className="account-page__security-name">{t("account.security.link")}</span>
              <span className="account-page__security-intro">{t("account.security.linkIntro")}</span>
            </span>
            <ChevronRightIcon className="account-page__security-chevron" />
          </Link>
        </Panel>
      </div>
    </div>
  );
}
