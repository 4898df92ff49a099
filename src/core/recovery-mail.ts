// The mails of account recovery, in English and French: the code that proves an address, and the
// notices that a recovery was asked for, approved or denied, and finished (text messages have
// their own short texts: recovery-sms.ts). Pure: the caller gives the facts and sends them. A
// notice never carries a code.
import type { MailLanguage, MailText } from "./mail-messages.js";

export type RecoveryCodePurposeText = "confirm_method" | "recovery";
export type RecoveryNotice = "requested" | "requested_admin" | "approved" | "denied" | "completed";

export interface RecoveryNoticeFacts {
  readonly recipientName: string;
  readonly username: string;
  /** When the waiting period ends (the recovery may then finish without an approval). */
  readonly readyAt: Date;
  readonly link: string;
}

const dateIn = (language: MailLanguage, at: Date): string =>
  new Intl.DateTimeFormat(language === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(at) + " UTC";

const CODE_TEXT: Readonly<Record<MailLanguage, Readonly<Record<RecoveryCodePurposeText, (code: string) => MailText>>>> = {
  en: {
    confirm_method: (code) => ({ subject: "Your Watchword confirmation code", text: `Your Watchword code is ${code}. It confirms this address as your recovery method and is valid for 10 minutes. If you did not ask for it, ignore this message.\n` }),
    recovery: (code) => ({ subject: "Your Watchword recovery code", text: `Your Watchword code is ${code}. It starts the recovery of your account and is valid for 10 minutes. If you did not ask for it, someone knows your password: change it.\n` }),
  },
  fr: {
    confirm_method: (code) => ({ subject: "Votre code de confirmation Watchword", text: `Votre code Watchword est ${code}. Il confirme cette adresse comme moyen de récupération et reste valable 10\u00a0minutes. Si vous ne l’avez pas demandé, ignorez ce message.\n` }),
    recovery: (code) => ({ subject: "Votre code de récupération Watchword", text: `Votre code Watchword est ${code}. Il lance la récupération de votre compte et reste valable 10\u00a0minutes. Si vous ne l’avez pas demandé, quelqu’un connaît votre mot de passe\u00a0: changez-le.\n` }),
  },
};

type Compose = (facts: RecoveryNoticeFacts, readyAt: string) => MailText;

const NOTICES: Readonly<Record<MailLanguage, Readonly<Record<RecoveryNotice, Compose>>>> = {
  en: {
    requested: (f, when) => ({
      subject: "Recovery of your Watchword account was requested",
      text: `Hello ${f.recipientName},\n\nSomeone who knows the password of your Watchword account "${f.username}" and received the code sent to your recovery method asked to replace its two-step sign-in methods. Unless an administrator approves it sooner, it can finish on ${when}: your second factors will then be removed.\n\nIf this was not you, sign in with your second factor and cancel it, change your password, and tell an administrator: ${f.link}\n`,
    }),
    requested_admin: (f, when) => ({
      subject: `Account recovery for "${f.username}" is waiting`,
      text: `Hello ${f.recipientName},\n\nThe Watchword user "${f.username}" proved their recovery method and asks to replace their lost two-step sign-in methods. Approve or deny it in Watchword; without a decision it can finish on ${when}.\n\n${f.link}\n`,
    }),
    approved: (f) => ({
      subject: "Recovery of your Watchword account was approved",
      text: `Hello ${f.recipientName},\n\nAn administrator approved the recovery of your Watchword account "${f.username}". Sign in with your password to finish it and set up new two-step sign-in methods: ${f.link}\n`,
    }),
    denied: (f) => ({
      subject: "Recovery of your Watchword account was denied",
      text: `Hello ${f.recipientName},\n\nAn administrator denied the recovery of your Watchword account "${f.username}". Your sign-in methods stay as they were. Ask an administrator if you need help.\n`,
    }),
    completed: (f) => ({
      subject: "Your Watchword account was recovered",
      text: `Hello ${f.recipientName},\n\nThe recovery of your Watchword account "${f.username}" finished: its former second factors were removed and every session ended. If this was not you, tell an administrator at once.\n`,
    }),
  },
  fr: {
    requested: (f, when) => ({
      subject: "La récupération de votre compte Watchword a été demandée",
      text: `Bonjour ${f.recipientName},\n\nQuelqu’un qui connaît le mot de passe de votre compte Watchword «\u00a0${f.username}\u00a0» et a reçu le code envoyé à votre moyen de récupération demande à remplacer ses méthodes de connexion en deux étapes. Sauf approbation plus rapide d’un administrateur, elle pourra aboutir le ${when}\u00a0: vos seconds facteurs seront alors supprimés.\n\nSi ce n’était pas vous, connectez-vous avec votre second facteur et annulez-la, changez votre mot de passe et prévenez un administrateur\u00a0: ${f.link}\n`,
    }),
    requested_admin: (f, when) => ({
      subject: `Une récupération de compte attend pour «\u00a0${f.username}\u00a0»`,
      text: `Bonjour ${f.recipientName},\n\nL’utilisateur Watchword «\u00a0${f.username}\u00a0» a prouvé son moyen de récupération et demande à remplacer ses méthodes de connexion en deux étapes perdues. Approuvez-la ou refusez-la dans Watchword\u00a0; sans décision, elle pourra aboutir le ${when}.\n\n${f.link}\n`,
    }),
    approved: (f) => ({
      subject: "La récupération de votre compte Watchword a été approuvée",
      text: `Bonjour ${f.recipientName},\n\nUn administrateur a approuvé la récupération de votre compte Watchword «\u00a0${f.username}\u00a0». Connectez-vous avec votre mot de passe pour la terminer et configurer de nouvelles méthodes de connexion en deux étapes\u00a0: ${f.link}\n`,
    }),
    denied: (f) => ({
      subject: "La récupération de votre compte Watchword a été refusée",
      text: `Bonjour ${f.recipientName},\n\nUn administrateur a refusé la récupération de votre compte Watchword «\u00a0${f.username}\u00a0». Vos méthodes de connexion restent inchangées. Demandez de l’aide à un administrateur si besoin.\n`,
    }),
    completed: (f) => ({
      subject: "Votre compte Watchword a été récupéré",
      text: `Bonjour ${f.recipientName},\n\nLa récupération de votre compte Watchword «\u00a0${f.username}\u00a0» est terminée\u00a0: ses anciens seconds facteurs ont été supprimés et toutes ses sessions fermées. Si ce n’était pas vous, prévenez immédiatement un administrateur.\n`,
    }),
  },
};

/** The mail that carries a code. */
export function composeRecoveryCode(purpose: RecoveryCodePurposeText, language: MailLanguage, code: string): MailText {
  return CODE_TEXT[language][purpose](code);
}

export function composeRecoveryNotice(notice: RecoveryNotice, language: MailLanguage, facts: RecoveryNoticeFacts): MailText {
  return NOTICES[language][notice](facts, dateIn(language, facts.readyAt));
}
