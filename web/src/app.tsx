// The app's pages by path. Signed-in pages sit inside the shell; the rest stand alone.
import { useTranslation } from "react-i18next";
import { RequireSession } from "./account/require-session.js";
import { useSession } from "./account/session.js";
import { SignInPage } from "./account/sign-in-page.js";
import { EntryDetailPage } from "./entries/detail/entry-detail-page.js";
import { EntriesPage } from "./entries/entries-page.js";
import { ImportPage } from "./imports/import-page.js";
import { ADMIN_HOME } from "./admin/admin-nav.js";
import { FoldersPage } from "./admin/folders/folders-page.js";
import { FolderPage } from "./admin/folders/folder-page.js";
import { TemplatesPage } from "./admin/templates/templates-page.js";
import { ServiceAccountsPage } from "./admin/service-accounts/service-accounts-page.js";
import { UsersPage } from "./admin/users/users-page.js";
import { GroupsPage } from "./admin/groups/groups-page.js";
import { MfaEnforcementPage } from "./admin/settings/mfa-enforcement-page.js";
import { abilitiesOf } from "./account/abilities.js";
import { SetupPage } from "./setup/setup-page.js";
import { AccountPage } from "./account/account-page.js";
import { SecurityPage } from "./account/security-page.js";
import { LinkPage } from "./account/link-page.js";
import { RequestsPage } from "./access/requests-page.js";
import { RequestsNavLabel } from "./access/requests-nav-label.js";
import { AuditPage } from "./audit/audit-page.js";
import { AppShell, type NavItem } from "./ui/app-shell.js";
import { AuthLayout } from "./ui/auth-layout.js";
import { ButtonLink } from "./ui/button.js";
import { useDocumentTitle } from "./ui/document-title.js";
import { CompassIcon } from "./ui/icons.js";
import { describeProblem } from "./ui/problem-text.js";
import { navigate, useLocation } from "./ui/router.js";
import { StatusPanel } from "./ui/status-panel.js";
import { useEffect, type ReactNode } from "react";
import type { SessionInfo } from "../../src/contract/auth.js";
import { SudoProvider } from "./account/sudo.js";
import { PushApprovalListener } from "./account/push-approval-listener.js";

/** "/entries/<id>" → the id (a malformed escape is left as typed, and simply not found). */
function entryIdOf(pathname: string): string | undefined {
  const raw = /^\/entries\/([^/]+)\/?$/.exec(pathname)?.[1];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function App() {
  const { pathname } = useLocation();
  const entryId = entryIdOf(pathname);
  const folderId = /^\/admin\/folders\/([0-9a-f-]{36})\/?$/i.exec(pathname)?.[1];
  if (folderId !== undefined) return <SignedIn>{() => <FolderPage key={folderId} folderId={folderId} />}</SignedIn>;
  if (entryId !== undefined) {
    return <SignedIn>{() => <EntryDetailPage key={entryId} entryId={entryId} />}</SignedIn>;
  }
  switch (pathname) {
    case "/setup":
      return <SetupPage />;
    case "/sign-in":
      return <SignInPage />;
    case "/join":
      return <LinkPage purpose="invite" />;
    case "/reset-password":
      return <LinkPage purpose="reset" />;
    case "/account":
      return <SignedIn>{(session) => <AccountPage session={session} />}</SignedIn>;
    case "/account/security":
      return <SignedIn>{(session) => <SecurityPage session={session} />}</SignedIn>;
    case "/":
      // Auditors hold no entries: the audit log is their home.
      return <SignedIn>{(session) => (session.user.role === "auditor" ? <Redirect to="/audit" /> : <EntriesPage session={session} />)}</SignedIn>;
    case "/audit":
      return <SignedIn>{(session) => <AuditPage session={session} />}</SignedIn>;
    case "/import":
      return <SignedIn>{(session) => <ImportPage session={session} />}</SignedIn>;
    case "/admin/folders":
      return <SignedIn>{(session) => <FoldersPage session={session} />}</SignedIn>;
    case "/requests":
      return <SignedIn>{() => <RequestsPage />}</SignedIn>;
    case "/admin/templates":
      return <SignedIn>{(session) => <TemplatesPage session={session} />}</SignedIn>;
    case "/admin/service-accounts":
      return <SignedIn>{(session) => <ServiceAccountsPage session={session} />}</SignedIn>;
    case "/admin/users":
      return <SignedIn>{(session) => <UsersPage session={session} />}</SignedIn>;
    case "/admin/groups":
      return <SignedIn>{(session) => <GroupsPage session={session} />}</SignedIn>;
    case "/admin/two-step":
      return <SignedIn>{(session) => <MfaEnforcementPage session={session} />}</SignedIn>;
    default:
      return <NotFoundPage />;
  }
}

function SignedIn({ children }: { children: Parameters<typeof RequireSession>[0]["children"] }) {
  const { t } = useTranslation();
  const { signOut } = useSession();
  // Each role sees only what it may do: auditors hold no entries, so they neither add nor import.
  const navItemsFor = (session: SessionInfo): readonly NavItem[] => {
    // A session that may only enrol a second factor has nowhere else to go (and asks nothing else).
    if (session.secondFactorEnrolment !== undefined) return [];
    const { canAddEntries, canManageCatalog, canReadAudit } = abilitiesOf(session);
    const isAuditor = session.user.role === "auditor";
    return [
      // Auditors hold no entries, so their first item is the audit log.
      ...(isAuditor ? [] : [{ to: "/", label: t("entries.navLabel"), isCurrent: (pathname: string) => pathname === "/" || pathname.startsWith("/entries/") }]),
      ...(canAddEntries ? [{ to: "/import", label: t("imports.navLabel") }] : []),
      // Auditors neither ask nor approve.
      ...(isAuditor ? [] : [{ to: "/requests", label: <RequestsNavLabel /> }]),
      ...(canReadAudit ? [{ to: "/audit", label: t("audit.navLabel") }] : []),
      ...(canManageCatalog ? [{ to: ADMIN_HOME, label: t("admin.navLabel"), isCurrent: (pathname: string) => pathname.startsWith("/admin/") }] : []),
    ];
  };
  return (
    <RequireSession>
      {(session): ReactNode => (
        <AppShell
          user={session.user}
          navItems={navItemsFor(session)}
          describeError={(error) => describeProblem(error, t)}
          onSignOut={async () => {
            await signOut();
            navigate("/sign-in");
          }}
        >
          <SudoProvider>
            {children(session)}
            <PushApprovalListener />
          </SudoProvider>
        </AppShell>
      )}
    </RequireSession>
  );
}

/** Replaces the address with `to` once rendered (the shell stays, so nothing flashes). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("shell.notFound.title"));
  return (
    <AuthLayout>
      <StatusPanel
        tone="info"
        icon={<CompassIcon width={28} height={28} />}
        title={t("shell.notFound.title")}
        actions={
          <ButtonLink to="/" isWide>
            {t("shell.notFound.action")}
          </ButtonLink>
        }
      >
        <p>{t("shell.notFound.body")}</p>
      </StatusPanel>
    </AuthLayout>
  );
}
