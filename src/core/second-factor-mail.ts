// The mail that tells a user their two-step sign-in was throttled or locked after wrong codes, in
// English and French. Pure: the caller gives the facts and sends it. Someone who reached the
// second step knew the password, so the mail says to change it.
import type { AccountNotice } from "./second-factor-throttle.js";
import type { MailLanguage, MailText } from "./mail-messages.js";

export interface SecondFactorMailFacts {
  readonly displayName: string;
  readonly username: string;
  readonly failures: number;
  /** The address the last wrong code came from. */
  readonly ip: string;
  readonly at: Date;
}

const dateIn = (language: MailLanguage, at: Date): string =>
  new Intl.DateTimeFormat(language === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(at) + " UTC";

type Compose = (facts: SecondFactorMailFacts, when: string) => MailText;

const MESSAGES: Readonly<Record<MailLanguage, Readonly<Record<AccountNotice, Compose>>>> = {
  en: {
    throttled: (f, when) => ({
      subject: "Wrong sign-in codes on your Watchword account",
      text: `Hello ${f.displayName},\n\n${f.failures} wrong codes were entered at the second step of signing in to your Watchword account "${f.username}", the last one from ${f.ip} on ${when}. Further attempts must now wait longer and longer.\n\nThe second step is only asked after the right password. If this was not you, someone knows your password: change it now.\n`,
    }),
    locked: (f, when) => ({
      subject: "Two-step sign-in locked on your Watchword account",
      text: `Hello ${f.displayName},\n\nAfter ${f.failures} wrong codes at the second step of signing in to your Watchword account "${f.username}", the last one from ${f.ip} on ${when}, two-step sign-in is locked. An administrator must unlock it.\n\nThe second step is only asked after the right password. If this was not you, someone knows your password: change it now.\n`,
    }),
  },
  fr: {
    throttled: (f, when) => ({
      subject: "Codes de connexion erronés sur votre compte Watchword",
      text: `Bonjour ${f.displayName},\n\n${f.failures}\u00a0codes erronés ont été saisis à la deuxième étape de la connexion à votre compte Watchword «\u00a0${f.username}\u00a0», le dernier depuis ${f.ip} le ${when}. Les prochaines tentatives devront attendre de plus en plus longtemps.\n\nLa deuxième étape n’est demandée qu’après le bon mot de passe. Si ce n’était pas vous, quelqu’un connaît votre mot de passe\u00a0: changez-le dès maintenant.\n`,
    }),
    locked: (f, when) => ({
      subject: "Connexion en deux étapes verrouillée sur votre compte Watchword",
      text: `Bonjour ${f.displayName},\n\nAprès ${f.failures}\u00a0codes erronés à la deuxième étape de la connexion à votre compte Watchword «\u00a0${f.username}\u00a0», le dernier depuis ${f.ip} le ${when}, la connexion en deux étapes est verrouillée. Un administrateur doit la déverrouiller.\n\nLa deuxième étape n’est demandée qu’après le bon mot de passe. Si ce n’était pas vous, quelqu’un connaît votre mot de passe\u00a0: changez-le dès maintenant.\n`,
    }),
  },
};

export function composeSecondFactorMail(notice: AccountNotice, language: MailLanguage, facts: SecondFactorMailFacts): MailText {
  return MESSAGES[language][notice](facts, dateIn(language, facts.at));
}
