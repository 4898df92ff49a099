// The mails Watchword sends, in English and French: an invitation, a password-reset link, and news of access requests.
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

/** What an access-request mail tells: never a seed or a code, only who asked for what and where to look. */
export type RequestMailKind = "request_created" | "request_approved" | "request_denied" | "emergency_used";

export interface RequestMailFacts {
  readonly recipientName: string;
  readonly requesterName: string;
  readonly targetName: string;
  readonly reason: string;
  /** The requests page of the web app. */
  readonly link: string;
}

const REQUEST_MESSAGES: Readonly<Record<MailLanguage, Readonly<Record<RequestMailKind, (facts: RequestMailFacts) => MailText>>>> = {
  en: {
    request_created: (f) => ({
      subject: `Access request for ${f.targetName}`,
      text: `Hello ${f.recipientName},\n\n${f.requesterName} asks for access to "${f.targetName}". Their reason: ${f.reason}\n\nApprove or deny it here:\n\n${f.link}\n`,
    }),
    request_approved: (f) => ({
      subject: `Access request approved: ${f.targetName}`,
      text: `Hello ${f.recipientName},\n\nYour access request for "${f.targetName}" was approved. See it here:\n\n${f.link}\n`,
    }),
    request_denied: (f) => ({
      subject: `Access request denied: ${f.targetName}`,
      text: `Hello ${f.recipientName},\n\nYour access request for "${f.targetName}" was denied. See it here:\n\n${f.link}\n`,
    }),
    emergency_used: (f) => ({
      subject: `Emergency use of ${f.targetName}`,
      text: `Hello ${f.recipientName},\n\n${f.requesterName} used emergency access to "${f.targetName}". Their reason: ${f.reason}\n\nReview the use here:\n\n${f.link}\n`,
    }),
  },
  fr: {
    request_created: (f) => ({
      subject: `Demande d’accès pour ${f.targetName}`,
      text: `Bonjour ${f.recipientName},\n\n${f.requesterName} demande l’accès à «\u00a0${f.targetName}\u00a0». Sa raison\u00a0: ${f.reason}\n\nApprouvez-la ou refusez-la ici\u00a0:\n\n${f.link}\n`,
    }),
    request_approved: (f) => ({
      subject: `Demande d’accès approuvée\u00a0: ${f.targetName}`,
      text: `Bonjour ${f.recipientName},\n\nVotre demande d’accès à «\u00a0${f.targetName}\u00a0» a été approuvée. Consultez-la ici\u00a0:\n\n${f.link}\n`,
    }),
    request_denied: (f) => ({
      subject: `Demande d’accès refusée\u00a0: ${f.targetName}`,
      text: `Bonjour ${f.recipientName},\n\nVotre demande d’accès à «\u00a0${f.targetName}\u00a0» a été refusée. Consultez-la ici\u00a0:\n\n${f.link}\n`,
    }),
    emergency_used: (f) => ({
      subject: `Accès d’urgence à ${f.targetName}`,
      text: `Bonjour ${f.recipientName},\n\n${f.requesterName} a utilisé l’accès d’urgence à «\u00a0${f.targetName}\u00a0». Sa raison\u00a0: ${f.reason}\n\nExaminez cette utilisation ici\u00a0:\n\n${f.link}\n`,
    }),
  },
};

export function composeRequestMail(kind: RequestMailKind, language: MailLanguage, facts: RequestMailFacts): MailText {
  return REQUEST_MESSAGES[language][kind](facts);
}
