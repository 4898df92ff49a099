// /account: the signed-in person's own account: their display name and language (saved on the
// server and applied at once), their password (changing it ends their other sessions), their
// sign-in recovery codes, their sessions, and their passkeys and security keys.
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import type { User } from "../../../src/contract/users.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { PageHeading } from "../ui/page-heading.js";
import { Panel } from "../ui/panel.js";
import { Link } from "../ui/router.js";
import { ChangePasswordForm } from "./change-password-form.js";
import { PasskeysPanel } from "./passkeys-panel.js";
import { ProfileForm } from "./profile-form.js";
import { RecoveryCodesPanel } from "./recovery-codes-panel.js";
import { SessionsPanel } from "./sessions-panel.js";
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
        <Panel title={t("account.password.title")} testId="account-password">
          <ChangePasswordForm username={session.user.username} />
        </Panel>
        <Panel title={t("account.security.title")} testId="account-security">
          <p>{t("account.security.linkIntro")}</p>
          <Link to="/account/security" data-testid="security-link">
            {t("account.security.link")}
          </Link>
        </Panel>
        {/* Until the "Sign-in & security" page exists (issue 10): the merge moves these two there. */}
        <RecoveryCodesPanel username={session.user.username} />
        <SessionsPanel />
        <Panel title={t("account.passkeys.title")} testId="account-passkeys">
          <PasskeysPanel username={session.user.username} />
        </Panel>
      </div>
    </div>
  );
}
