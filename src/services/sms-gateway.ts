// Sends text messages through the HTTP gateway of the configuration (WATCHWORD_SMS_*): one JSON
// POST per message with a bearer token, so any provider (or a small bridge in front of one) fits.
// The only module that speaks to the gateway; it never logs a message, which carries a code.
//
//   POST <WATCHWORD_SMS_URL>
//   Authorization: Bearer <WATCHWORD_SMS_TOKEN>
//   Content-Type: application/json
//   Idempotency-Key: <one id per message>
//   {"to": "+33612345678", "text": "Watchword code: 123456. …", "sender": "Watchword"}
//
// Any 2xx answer means the gateway took the message; anything else, or no answer in 10 s, fails.
import { randomUUID } from "node:crypto";
import type { SmsGatewayConfig } from "../config.js";

export interface TextMessage {
  /** E.164, as core/recovery-address.ts normalises it. */
  readonly to: string;
  readonly text: string;
}

export interface TextSender {
  /** Rejects with the gateway's status (never the message) when it does not take it. */
  send(message: TextMessage): Promise<void>;
}

const TIMEOUT_MS = 10_000;

export function createSmsGateway(config: SmsGatewayConfig): TextSender {
  return {
    async send(message) {
      const body = JSON.stringify({ to: message.to, text: message.text, ...(config.sender === undefined ? {} : { sender: config.sender }) });
      const reply = await fetch(config.url, {
        method: "POST",
        headers: { authorization: `Bearer ${config.token.revealUtf8()}`, "content-type": "application/json", "idempotency-key": randomUUID() },
        body,
        redirect: "error",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      // The body is read and dropped: a gateway's error page may echo the message.
      await reply.arrayBuffer().catch(() => undefined);
      if (!reply.ok) throw new Error(`SMS gateway answered ${reply.status}`);
    },
  };
}
