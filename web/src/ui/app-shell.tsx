// The frame of every signed-in page: product mark, navigation and the account menu (who is signed
// in, the language, "Sign out"). Pages render inside <main>.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { UserSummary } from "../../../src/contract/auth.js";
import { AnnouncerProvider } from "./announcer.js";
import { FormAlert } from "./form-alert.js";
import { LogoMark } from "./icons.js";
import { Link, useLocation } from "./router.js";
import { UserMenu } from "./user-menu.js";

export interface NavItem {
  readonly to: string;
  readonly label: ReactNode;
  /** Whether the item stands for the current page; by default, when the path is exactly `to`. */
  readonly isCurrent?: (pathname: string) => boolean;
}

interface AppShellProps {
  readonly user: UserSummary;
  readonly navItems: readonly NavItem[];
  /** Ends the session; a rejection is shown in the shell and leaves the person signed in. */
  readonly onSignOut: () => Promise<void>;
  /** Turns a rejection of onSignOut into a sentence. */
  readonly describeError: (error: unknown) => string;
  readonly children: ReactNode;
}

export function AppShell({ user, navItems, onSignOut, describeError, children }: AppShellProps) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const [isSigningOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string>();

  const signOut = async (): Promise<void> => {
    setSigningOut(true);
    setSignOutError(undefined);
    try {
      await onSignOut();
    } catch (error) {
      setSignOutError(t("shell.signOutFailed", { reason: describeError(error) }));
      setSigningOut(false);
    }
  };

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/" className="app-header__brand" aria-label={t("shell.homeLink")}>
            <LogoMark className="logo-mark" />
            <span className="app-header__name">{t("shell.productName")}</span>
          </Link>
          <nav className="app-header__nav" aria-label={t("shell.mainNavigation")}>
            <ul>
              {navItems.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} className="app-header__nav-link" aria-current={(item.isCurrent?.(pathname) ?? pathname === item.to) ? "page" : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="app-header__account">
            <UserMenu user={user} isSigningOut={isSigningOut} onSignOut={() => void signOut()} />
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <FormAlert message={signOutError} />
        <AnnouncerProvider>{children}</AnnouncerProvider>
      </main>
    </div>
  );
}
