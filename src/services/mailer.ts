// Sends mail through the SMTP server of the configuration (nodemailer). The only module that
// speaks SMTP; it never logs a message's body, which carries one-time links.
import type { Transporter } from "nodemailer";
import type { SmtpConfig } from "../config.js";

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  /** Rejects when the SMTP server does not accept the message. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** nodemailer loads on the first mail: a server that never sends one does not pay for it. */
export function createSmtpMailer(config: SmtpConfig): Mailer {
  let transport: Promise<Transporter> | undefined;
  const open = () =>
    (transport ??= import("nodemailer").then((nodemailer) =>
      nodemailer.default.createTransport({ url: config.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }, { from: config.from }),
    ));
  return {
    async send(message) {
      await (await open()).sendMail({ to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      void transport?.then((t) => t.close());
    },
  };
}
