// The text messages of account recovery, in English and French: short enough for one SMS segment
// (160 characters of the GSM 7-bit alphabet, 3GPP TS 23.038), so they avoid what that alphabet
// lacks (curly apostrophes, «», non-breaking spaces, ê, î, ô, û, ç). No links: the person knows
// where their Watchword is, and a link in a text is what phishing looks like. Pure.
import type { MailLanguage } from "./mail-messages.js";
import type { RecoveryCodePurposeText, RecoveryNotice } from "./recovery-mail.js";

/** The notices a text message carries: administrators are told by mail only. */
export type RecoverySmsNotice = Exclude<RecoveryNotice, "requested_admin">;

// 3GPP TS 23.038 §6.2.1: the default alphabet, and its extension table (each of those counts twice).
const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "^{}\\[~]|€\f";

/** How many SMS segments the text takes: 160 septets in one (153 each when split), or 70 UCS-2 units (67). */
export function smsSegmentsOf(text: string): number {
  let septets = 0;
  for (const char of text) {
    if (GSM_BASIC.includes(char)) septets += 1;
    else if (GSM_EXTENSION.includes(char)) septets += 2;
    else {
      const units = text.length;
      return units <= 70 ? 1 : Math.ceil(units / 67);
    }
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

// Numeric in both languages (no month name: "août" has a û), day first, as either reader expects.
const dateIn = (language: MailLanguage, at: Date): string =>
  new Intl.DateTimeFormat(language === "fr" ? "fr-FR" : "en-GB", { dateStyle: "short", timeStyle: "short", timeZone: "UTC" })
    .format(at)
    .replace(/[\u00a0\u202f]/g, " ") + " UTC";

const CODES: Readonly<Record<MailLanguage, Readonly<Record<RecoveryCodePurposeText, (code: string) => string>>>> = {
  en: {
    confirm_method: (code) => `Watchword code: ${code}. It confirms this number for account recovery and expires in 10 minutes. Not you? Ignore this text.`,
    recovery: (code) => `Watchword code: ${code}. It starts the recovery of your account and expires in 10 minutes. Not you? Someone has your password: change it.`,
  },
  fr: {
    confirm_method: (code) => `Code Watchword : ${code}. Il confirme ce numéro pour la récupération du compte et expire dans 10 minutes. Pas vous ? Ignorez ce SMS.`,
    recovery: (code) => `Code Watchword : ${code}. Il lance la récupération de votre compte et expire dans 10 minutes. Pas vous ? Quelqu'un a votre mot de passe : changez-le.`,
  },
};

const NOTICES: Readonly<Record<MailLanguage, Readonly<Record<RecoverySmsNotice, (readyAt: string) => string>>>> = {
  en: {
    requested: (when) => `Watchword: someone with your password asked to recover your account. It can finish on ${when}. Not you? Sign in, cancel it, change your password.`,
    approved: () => "Watchword: an administrator approved the recovery of your account. Sign in with your password to finish it and set up new second factors.",
    denied: () => "Watchword: an administrator denied the recovery of your account. Your sign-in methods stay as they were.",
    completed: () => "Watchword: your account was recovered. Its old second factors were removed and its sessions ended. Not you? Tell an administrator at once.",
  },
  fr: {
    requested: (when) => `Watchword : récupération de votre compte demandée, effective le ${when}. Pas vous ? Connectez-vous, annulez-la et changez de mot de passe.`,
    approved: () => "Watchword : un administrateur a approuvé la récupération de votre compte. Connectez-vous pour la terminer et configurer de nouveaux seconds facteurs.",
    denied: () => "Watchword : un administrateur a refusé la récupération de votre compte. Vos méthodes de connexion restent inchangées.",
    completed: () => "Watchword : votre compte a été récupéré. Ses anciens seconds facteurs ont été supprimés et ses sessions fermées. Pas vous ? Prévenez un administrateur.",
  },
};

export function composeRecoveryCodeSms(purpose: RecoveryCodePurposeText, language: MailLanguage, code: string): string {
  return CODES[language][purpose](code);
}

export function composeRecoveryNoticeSms(notice: RecoverySmsNotice, language: MailLanguage, readyAt: Date): string {
  return NOTICES[language][notice](dateIn(language, readyAt));
}
