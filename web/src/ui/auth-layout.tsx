// The frame of the pages seen before signing in (setup, sign-in) and of whole-page messages:
// the product's mark above one centred card, the language switch below it.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LogoMark } from "./icons.js";
import { LanguageSwitch } from "./language-switch.js";

export function AuthLayout({ children, isWide = false }: { children: ReactNode; isWide?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="auth-layout">
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="auth-layout__brand">
        <LogoMark className="logo-mark" width={36} height={36} />
        <span className="auth-layout__name">{t("shell.productName")}</span>
      </header>
      <main id="main" className={`auth-layout__card${isWide ? " auth-layout__card--wide" : ""}`} tabIndex={-1}>
        {children}
      </main>
      <footer className="auth-layout__footer">
        <span className="auth-layout__tagline">{t("shell.tagline")}</span>
        <LanguageSwitch />
      </footer>
    </div>
  );
}
