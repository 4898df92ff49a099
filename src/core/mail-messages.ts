// The mails Watchword sends, in English and French: an invitation and a password-reset link.
// Pure: the caller gives the link and the names; nothing here sends anything.
export type MailLanguage = "en" | "fr";
export type MailKind = "invite" | "reset";

export interface MailText {
  readonly subject: string;
  readonly text: string;
}

interface MailFacts {
  readonly displayName: string;
  readonly username: string;
  readonly link: string;
  readonly expiresAt: Date;
}

const dateIn = (language: MailLanguage, at: Date): string =>
  new Intl.DateTimeFormat(language === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(at) + " UTC";

const MESSAGES: Readonly<Record<MailLanguage, Readonly<Record<MailKind, (facts: MailFacts, until: string) => MailText>>>> = {
  en: {
    invite: (f, until) => ({
      subject: "You are invited to Watchword",
      text: `Hello ${f.displayName},\n\nYou have been invited to Watchword as "${f.username}". Open this link to choose your password:\n\n${f.link}\n\nThe link works once, until ${until}. If you did not expect this mail, ignore it.\n`,
    }),
    reset: (f, until) => ({
      subject: "Reset your Watchword password",
      text: `Hello ${f.displayName},\n\nAn administrator issued a password-reset link for your Watchword account "${f.username}". Open it to choose a new password:\n\n${f.link}\n\nThe link works once, until ${until}. Using it signs you out everywhere else.\n`,
    }),
  },
  fr: {
    invite: (f, until) => ({
      subject: "Vous êtes invité à Watchword",
      text: `Bonjour ${f.displayName},\n\nVous avez été invité à Watchword sous le nom «\u00a0${f.username}\u00a0». Ouvrez ce lien pour choisir votre mot de passe\u00a0:\n\n${f.link}\n\nLe lien sert une seule fois, jusqu’au ${until}. Si vous n’attendiez pas ce courriel, ignorez-le.\n`,
    }),
    reset: (f, until) => ({
      subject: "Réinitialisez votre mot de passe Watchword",
      text: `Bonjour ${f.displayName},\n\nUn administrateur a émis un lien de réinitialisation du mot de passe pour votre compte Watchword «\u00a0${f.username}\u00a0». Ouvrez-le pour choisir un nouveau mot de passe\u00a0:\n\n${f.link}\n\nLe lien sert une seule fois, jusqu’au ${until}. L’utiliser vous déconnecte partout ailleurs.\n`,
    }),
  },
};

export function composeLinkMail(kind: MailKind, language: MailLanguage, facts: MailFacts): MailText {
  return MESSAGES[language][kind](facts, dateIn(language, facts.expiresAt));
}
