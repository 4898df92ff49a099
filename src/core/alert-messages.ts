// What an alert says, in English and French: its title, its sentence and the labels of its facts,
// shared by the mail, Slack and Teams forms, and the alert mail itself in the style of the request
// mails (core/mail-messages.ts). Pure. Never a code or a seed: only who did what to which entry.
import type { AlertEventKind, AlertFacts } from "./alerts.js";
import type { MailLanguage, MailText } from "./mail-messages.js";

export interface AlertWords {
  /** One line, e.g. "Code handed out: AWS root". */
  readonly title: string;
  /** One sentence, e.g. "alice took a code of "AWS root"." */
  readonly sentence: string;
  readonly labels: { readonly entry: string; readonly folder: string; readonly actor: string; readonly at: string; readonly channel: string; readonly reason: string; readonly open: string };
  readonly at: string;
  readonly channel: string;
}

type Phrase = (actor: string, target: string) => { title: string; sentence: string };

const PHRASES: Readonly<Record<MailLanguage, Readonly<Record<AlertEventKind, Phrase>>>> = {
  en: {
    code_issued: (a, t) => ({ title: `Code handed out: ${t}`, sentence: `${a} took a code of "${t}".` }),
    recovery_code_revealed: (a, t) => ({ title: `Recovery code revealed: ${t}`, sentence: `${a} revealed a recovery code of "${t}".` }),
    seed_overwritten: (a, t) => ({ title: `Seed overwritten: ${t}`, sentence: `${a} overwrote the seed of "${t}".` }),
    access_requested: (a, t) => ({ title: `Access requested: ${t}`, sentence: `${a} asked for access to "${t}".` }),
    emergency_used: (a, t) => ({ title: `Emergency access used: ${t}`, sentence: `${a} used emergency access to "${t}".` }),
  },
  fr: {
    code_issued: (a, t) => ({ title: `Code remis\u00a0: ${t}`, sentence: `${a} a obtenu un code de «\u00a0${t}\u00a0».` }),
    recovery_code_revealed: (a, t) => ({ title: `Code de récupération révélé\u00a0: ${t}`, sentence: `${a} a révélé un code de récupération de «\u00a0${t}\u00a0».` }),
    seed_overwritten: (a, t) => ({ title: `Graine remplacée\u00a0: ${t}`, sentence: `${a} a remplacé la graine de «\u00a0${t}\u00a0».` }),
    access_requested: (a, t) => ({ title: `Accès demandé\u00a0: ${t}`, sentence: `${a} a demandé l’accès à «\u00a0${t}\u00a0».` }),
    emergency_used: (a, t) => ({ title: `Accès d’urgence utilisé\u00a0: ${t}`, sentence: `${a} a utilisé l’accès d’urgence à «\u00a0${t}\u00a0».` }),
  },
};

const LABELS: Readonly<Record<MailLanguage, AlertWords["labels"]>> = {
  en: { entry: "Entry", folder: "Folder", actor: "By", at: "When", channel: "Through", reason: "Reason", open: "Open in Watchword" },
  fr: { entry: "Entrée", folder: "Dossier", actor: "Par", at: "Quand", channel: "Par le biais de", reason: "Raison", open: "Ouvrir dans Watchword" },
};

const CHANNELS: Readonly<Record<MailLanguage, Readonly<Record<string, string>>>> = {
  en: { ui: "the web app", api: "the API", cli: "the command line" },
  fr: { ui: "l’application web", api: "l’API", cli: "la ligne de commande" },
};

const dateIn = (language: MailLanguage, at: number): string =>
  new Intl.DateTimeFormat(language === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeStyle: "medium", timeZone: "UTC" }).format(new Date(at)) + " UTC";

export function alertWordsOf(facts: AlertFacts, language: MailLanguage): AlertWords {
  const { title, sentence } = PHRASES[language][facts.kind](facts.actor.name, facts.target.name);
  return { title, sentence, labels: LABELS[language], at: dateIn(language, facts.at), channel: CHANNELS[language][facts.channel] ?? facts.channel };
}

const MAIL_TEXT: Readonly<Record<MailLanguage, { hello: (name: string) => string; reason: (reason: string) => string; look: string; lookRequests: string; why: string }>> = {
  en: {
    hello: (name) => `Hello ${name},`,
    reason: (reason) => `Their reason: ${reason}`,
    look: "See the entry here:",
    lookRequests: "See the requests here:",
    why: "You receive this because you chose alerts for this in Watchword.",
  },
  fr: {
    hello: (name) => `Bonjour ${name},`,
    reason: (reason) => `Sa raison\u00a0: ${reason}`,
    look: "Consultez l’entrée ici\u00a0:",
    lookRequests: "Consultez les demandes ici\u00a0:",
    why: "Vous recevez ce courriel parce que vous avez choisi ces alertes dans Watchword.",
  },
};

/** The alert mail to one recipient, in their language. */
export function composeAlertMail(facts: AlertFacts, language: MailLanguage, recipientName: string): MailText {
  const words = alertWordsOf(facts, language);
  const text = MAIL_TEXT[language];
  const lines = [
    text.hello(recipientName),
    "",
    `${words.sentence} (${words.at}, ${words.channel})`,
    ...(facts.reason === null || facts.reason === "" ? [] : [text.reason(oneLine(facts.reason))]),
    ...(facts.link === null ? [] : ["", facts.target.kind === "entry" ? text.look : text.lookRequests, "", facts.link]),
    "",
    text.why,
  ];
  return { subject: oneLine(words.title), text: `${lines.join("\n")}\n` };
}

/** A subject or a quoted line never breaks: a reason with line breaks cannot forge headers or paragraphs. */
const oneLine = (text: string): string => text.replace(/[\r\n\t]+/g, " ");
