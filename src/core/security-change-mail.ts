// The mail that tells a user their password changed or a second factor was removed, and that
// their other sessions (browsers and CLI tokens) were signed out, in English and French. Pure: the
// caller gives the facts and sends it.
import type { MailLanguage, MailText } from "./mail-messages.js";

export type SecurityChange = "password_changed" | "factor_removed" | "passkey_removed";

export interface SecurityChangeMailFacts {
  readonly displayName: string;
  readonly username: string;
  readonly endedSessions: number;
  readonly at: Date;
}

const dateIn = (language: MailLanguage, at: Date): string =>
  new Intl.DateTimeFormat(language === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(at) + " UTC";

const WHAT: Readonly<Record<MailLanguage, Readonly<Record<SecurityChange, string>>>> = {
  en: { password_changed: "Your password was changed", factor_removed: "An authenticator app was removed from", passkey_removed: "A passkey or security key was removed from" },
  fr: { password_changed: "Votre mot de passe a été changé", factor_removed: "Une application d’authentification a été retirée de", passkey_removed: "Une clé d’accès ou clé de sécurité a été retirée de" },
};

export function composeSecurityChangeMail(change: SecurityChange, language: MailLanguage, f: SecurityChangeMailFacts): MailText {
  const when = dateIn(language, f.at);
  if (language === "fr") {
    const what = change === "password_changed" ? `${WHAT.fr[change]} sur votre compte Watchword «\u00a0${f.username}\u00a0»` : `${WHAT.fr[change]} votre compte Watchword «\u00a0${f.username}\u00a0»`;
    const ended = f.endedSessions === 0 ? "Aucune autre session n’était ouverte." : f.endedSessions === 1 ? "Votre autre session a été fermée." : `Vos ${f.endedSessions}\u00a0autres sessions ont été fermées.`;
    return {
      subject: "Changement de sécurité sur votre compte Watchword",
      text: `Bonjour ${f.displayName},\n\n${what} le ${when}. ${ended}\n\nSi ce n’était pas vous, changez votre mot de passe dès maintenant et prévenez un administrateur.\n`,
    };
  }
  const what = change === "password_changed" ? `${WHAT.en[change]} on your Watchword account "${f.username}"` : `${WHAT.en[change]} your Watchword account "${f.username}"`;
  const ended = f.endedSessions === 0 ? "No other session was open." : f.endedSessions === 1 ? "Your other session was signed out." : `Your ${f.endedSessions} other sessions were signed out.`;
  return {
    subject: "Security change on your Watchword account",
    text: `Hello ${f.displayName},\n\n${what} on ${when}. ${ended}\n\nIf this was not you, change your password now and tell an administrator.\n`,
  };
}
