// The address a recovery code goes to: an e-mail address or a phone number in E.164 form. Checks
// the shape once, and makes the hint shown back to people ("a•••@example.com", "+33 ••• •• 78").
// Pure. The whole address is never shown again once stored: only its hint.
import { invalidInput, problem } from "./errors.js";

export type RecoveryChannel = "email" | "sms";

const MAIL_ADDRESS = /^[^\s@<>",;()[\]\\]+@[^\s@<>",;()[\]\\]+\.[^\s@<>",;()[\]\\]{2,}$/;
// ITU-T E.164: a + , a country code that does not start with 0, at most 15 digits in all. Whether
// the number is in service is the gateway's to say; libphonenumber's per-country plans would only
// refuse numbers the gateway would refuse too.
const E164 = /^\+[1-9]\d{6,14}$/;

/** The address as stored and sent to: an e-mail address trimmed (its domain in lower case), a phone number as +digits. */
export function normaliseRecoveryAddress(channel: RecoveryChannel, raw: string): string {
  const text = raw.trim();
  if (channel === "email") {
    if (text.length > 254 || !MAIL_ADDRESS.test(text)) throw invalidInput(problem("recovery_email_invalid"), "address");
    const at = text.lastIndexOf("@");
    return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
  }
  const digits = text.replace(/[\s.\-()]/g, "").replace(/^00/, "+");
  if (text.length > 40 || !E164.test(digits)) throw invalidInput(problem("recovery_phone_invalid"), "address");
  return digits;
}

/** Enough for the owner to recognise the address, too little for anyone else to use it. */
export function hintOf(channel: RecoveryChannel, address: string): string {
  if (channel === "email") {
    const at = address.lastIndexOf("@");
    const local = address.slice(0, at);
    const domain = address.slice(at + 1);
    const dot = domain.lastIndexOf(".");
    return `${local.slice(0, 1)}•••@${domain.slice(0, 1)}•••${domain.slice(dot)}`;
  }
  return `${address.slice(0, 3)}•••${address.slice(-2)}`;
}
