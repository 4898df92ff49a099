// The header's account menu: a button with the signed-in person's initials, name and role that
// opens a panel with their account, the interface language and "Sign out". The language chosen here
// is saved on the account (as on the Account page), so mails and the next sign-in use it. A disclosure (button
// with aria-expanded controlling the panel) rather than an ARIA menu, because the panel holds more
// than menu items. Escape closes it and puts focus back on the button; so do a click or focus
// elsewhere. Hand-written: one small popover does not justify a component library.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo, UserSummary } from "../../../src/contract/auth.js";
import type { Language } from "../../../src/contract/users.js";
import { SESSION_KEY } from "../account/session.js";
import { switchLanguage } from "../i18n/i18n.js";
import { isLanguage, LANGUAGES } from "../i18n/language.js";
import { client } from "./api-client.js";
import { Button } from "./button.js";
import { CheckIcon, ChevronDownIcon, GlobeIcon, PencilIcon, ShieldCheckIcon, SignOutIcon } from "./icons.js";
import { Link } from "./router.js";

/** "Alice Martin" → "AM", "alice" → "A": a recognisable mark beside the name, not a picture. */
function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== "");
  return words
    .slice(0, 2)
    .map((word) => [...word][0]?.toLocaleUpperCase() ?? "")
    .join("");
}

interface UserMenuProps {
  readonly user: UserSummary;
  readonly isSigningOut: boolean;
  readonly onSignOut: () => void;
}

export function UserMenu({ user, isSigningOut, onSignOut }: UserMenuProps) {
  const { t } = useTranslation();
  const [isOpen, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const role = t(`shell.roles.${user.role}`);

  useEffect(() => {
    if (!isOpen) return undefined;
    const isInside = (target: EventTarget | null): boolean => target instanceof Node && rootRef.current?.contains(target) === true;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent): void => {
      if (!isInside(event.target)) setOpen(false);
    };
    const onFocus = (event: FocusEvent): void => {
      if (!isInside(event.target)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("focusin", onFocus);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("focusin", onFocus);
    };
  }, [isOpen]);

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu__button"
        aria-expanded={isOpen}
        aria-controls={panelId}
        data-testid="user-menu-button"
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {initialsOf(user.displayName)}
        </span>
        <span className="user-menu__button-text visually-hidden-on-phone">
          <span className="user-menu__name">{user.displayName}</span>
          <span className="user-menu__role">{role}</span>
        </span>
        <span className="visually-hidden">{t("shell.userMenu.button")}</span>
        <ChevronDownIcon className="user-menu__chevron" width={14} height={14} aria-hidden="true" />
      </button>
      <div id={panelId} className="user-menu__panel" hidden={!isOpen} data-testid="user-menu">
        <section className="user-menu__account" aria-label={t("shell.userMenu.account")}>
          <span className="avatar avatar--l" aria-hidden="true">
            {initialsOf(user.displayName)}
          </span>
          <span className="user-menu__who" data-testid="signed-in-user">
            <span className="visually-hidden">{t("shell.signedInAs")} </span>
            <span className="user-menu__name">{user.displayName}</span>
            <span className="user-menu__username">{user.username}</span>
            <span className="user-menu__role-chip">{role}</span>
          </span>
        </section>
        <div className="user-menu__section">
          <Link to="/account" className="user-menu__link" data-testid="account-link" onClick={() => setOpen(false)}>
            <PencilIcon width={14} height={14} aria-hidden="true" />
            {t("account.menuLink")}
          </Link>
          <Link to="/account/security" className="user-menu__link" data-testid="security-menu-link" onClick={() => setOpen(false)}>
            <ShieldCheckIcon width={14} height={14} aria-hidden="true" />
            {t("account.security.menuLink")}
          </Link>
        </div>
        <LanguageChoice />
        <div className="user-menu__footer">
          <Button variant="quiet" className="user-menu__sign-out" icon={<SignOutIcon className="button__icon" />} isBusy={isSigningOut} onClick={onSignOut}>
            {t("shell.signOut")}
          </Button>
        </div>
      </div>
    </div>
  );
}

/** Applies the language at once, then saves it on the account; the session follows the saved account. */
function useChooseLanguage(): { choose: (language: Language) => void; hasFailed: boolean } {
  const queryClient = useQueryClient();
  const [hasFailed, setFailed] = useState(false);
  const choose = (language: Language): void => {
    setFailed(false);
    void switchLanguage(language);
    client.updateAccount({ language }).then(
      (user) => {
        queryClient.setQueryData<{ status: string; session?: SessionInfo }>(SESSION_KEY, (before) =>
          before?.session === undefined ? before : { ...before, session: { ...before.session, language: user.language } },
        );
      },
      () => setFailed(true),
    );
  };
  return { choose, hasFailed };
}

function LanguageChoice() {
  const { t, i18n } = useTranslation();
  const labelId = useId();
  const current = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : "en";
  const { choose, hasFailed } = useChooseLanguage();
  return (
    <div className="user-menu__section">
      <p id={labelId} className="user-menu__section-title">
        <GlobeIcon width={14} height={14} aria-hidden="true" />
        {t("shell.language")}
      </p>
      <div role="group" aria-labelledby={labelId} className="user-menu__choices">
        {LANGUAGES.map((language) => (
          <Choice key={language} lang={language} isChosen={language === current} onChoose={() => choose(language)}>
            {t(`shell.languages.${language}`)}
          </Choice>
        ))}
      </div>
      {hasFailed ? (
        <p className="user-menu__error" role="alert" data-testid="language-not-saved">
          {t("shell.userMenu.languageNotSaved")}
        </p>
      ) : null}
    </div>
  );
}

function Choice({ lang, isChosen, onChoose, children }: { lang: string; isChosen: boolean; onChoose: () => void; children: ReactNode }) {
  return (
    <button type="button" className="user-menu__choice" lang={lang} aria-pressed={isChosen} data-testid={`language-${lang}`} onClick={onChoose}>
      <CheckIcon className="user-menu__check" width={14} height={14} aria-hidden="true" />
      {children}
    </button>
  );
}
