// The 6-digit codes that prove a recovery address: valid 10 minutes, single use, at most 5 tries,
// bound to the attempt that asked for it (its token), superseded when a new one is sent. A code is
// kept only as an HMAC under a random key of its own, sealed by the keyring and bound to the
// attempt, so that a copy of the database cannot try the million codes offline.
import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { invalidInput, problem, tooManyRequests, unauthenticated, unavailable } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import type { MailLanguage } from "../core/mail-messages.js";
import type { RecoveryChannel } from "../core/recovery-address.js";
import { composeRecoveryCode } from "../core/recovery-mail.js";
import { composeRecoveryCodeSms } from "../core/recovery-sms.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { RecoveryCodeAttemptRecord, RecoveryMethodStore } from "../store/recovery-methods.js";
import type { RecoveryCodePurpose } from "../store/schema-recovery-method.js";
import type { Mailer } from "./mailer.js";
import type { TextSender } from "./sms-gateway.js";

export const RECOVERY_CODE_LIFETIME_MS = 10 * 60 * 1000;
export const MAX_RECOVERY_CODE_TRIES = 5;
/** Codes sent to one account within an hour, all purposes: a known password cannot spam a phone (or run up an SMS bill). */
export const MAX_RECOVERY_CODES_PER_HOUR = 5;
const ATTEMPT_TOKEN_PREFIX = "ww_r_";

export interface SentCode {
  /** For the client that asked: stored only as its SHA-256. */
  readonly token: string;
  /** The public id the audit events name. */
  readonly attemptId: string;
  readonly expiresAt: number;
}

export type CodeVerdict = { readonly ok: true; readonly attempt: RecoveryCodeAttemptRecord; readonly address: string } | { readonly ok: false; readonly reason: "wrong_code" | "too_many_attempts"; readonly left: number; readonly attemptId: string };

/** One message in both forms: a mail, and the short text an SMS carries instead (core/recovery-sms.ts). */
export interface RecoveryMessage {
  readonly mail: { readonly subject: string; readonly text: string };
  /** Absent for a message only ever mailed (the administrators' notice). */
  readonly sms?: string;
}

/** Where codes go: the SMTP mailer and the SMS gateway, either of which may be missing. */
export interface RecoveryCodeChannels {
  readonly mailer: Mailer | undefined;
  readonly texts: TextSender | undefined;
}

export interface RecoveryCodeAttempts {
  isAvailable(channel: RecoveryChannel): boolean;
  /** Sends a new code (ending the user's other open attempts for the purpose); 429 past the hourly limit, 503 when it cannot be sent. */
  send(userId: UserId, purpose: RecoveryCodePurpose, channel: RecoveryChannel, address: string, language: MailLanguage): Promise<SentCode>;
  /**
   * Checks a code against the attempt the token names, which must be the user's and for the
   * purpose. 400 for a malformed code and 401 for an attempt that is not open (nothing counted);
   * otherwise one try is counted. A right code ends the attempt.
   */
  verify(userId: UserId, purpose: RecoveryCodePurpose, token: string, code: string): Promise<CodeVerdict>;
  /** Sends a message (not a code) over a channel; false when it could not. */
  notify(channel: RecoveryChannel, address: string, message: RecoveryMessage): Promise<boolean>;
}

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
const codeKeyBinding = (attemptId: string) => ({ recordId: attemptId, field: "recovery-code:key" });
export const attemptAddressBinding = (attemptId: string) => ({ recordId: attemptId, field: "recovery-code:address" });
const macOf = (key: Secret, code: string): Buffer => createHmac("sha256", key.reveal()).update(code, "utf8").digest();

/** "123 456", "123-456" → "123456"; anything but 6 digits after that is refused before a try is counted. */
export function normaliseRecoveryCode(code: string): string {
  const digits = code.replace(/[\s-]/g, "");
  if (!/^\d{6}$/.test(digits)) throw invalidInput(problem("recovery_code_malformed"), "code");
  return digits;
}

export function createRecoveryCodeAttempts(deps: {
  store: Pick<RecoveryMethodStore, "insertAttempt" | "findAttempt" | "countAttemptsSince" | "claimAttempt" | "consumeAttempt" | "deleteExpiredAttempts">;
  keyring: Pick<Keyring, "seal" | "open">;
  channels: RecoveryCodeChannels;
  clock: Clock;
  /** A message not sent: logged with the reason only, never the address or the text. */
  warn: (failure: { channel: RecoveryChannel; attemptId: string; reason: string }) => void;
}): RecoveryCodeAttempts {
  const { store, keyring, channels, clock, warn } = deps;

  async function deliver(channel: RecoveryChannel, address: string, message: RecoveryMessage): Promise<void> {
    if (channel === "email") {
      if (channels.mailer === undefined) throw unavailable(problem("recovery_email_unavailable"));
      await channels.mailer.send({ to: address, subject: message.mail.subject, text: message.mail.text });
    } else {
      if (channels.texts === undefined || message.sms === undefined) throw unavailable(problem("recovery_sms_unavailable"));
      await channels.texts.send({ to: address, text: message.sms });
    }
  }

  const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 160);

  return {
    isAvailable: (channel) => (channel === "email" ? channels.mailer !== undefined : channels.texts !== undefined),

    async send(userId, purpose, channel, address, language) {
      if (channel === "email" ? channels.mailer === undefined : channels.texts === undefined) throw unavailable(problem(channel === "email" ? "recovery_email_unavailable" : "recovery_sms_unavailable"));
      const now = clock.now();
      await store.deleteExpiredAttempts(now);
      if ((await store.countAttemptsSince(userId, now - 60 * 60 * 1000)) >= MAX_RECOVERY_CODES_PER_HOUR) throw tooManyRequests(problem("recovery_code_send_limit"), 60 * 60);
      const attemptId = randomUUID();
      const token = ATTEMPT_TOKEN_PREFIX + randomBytes(32).toString("base64url");
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const keyBytes = randomBytes(32);
      const key = Secret.fromBytes(keyBytes);
      keyBytes.fill(0);
      const addressSecret = Secret.fromUtf8(address);
      try {
        await store.insertAttempt({
          tokenHash: hashToken(token),
          id: attemptId,
          userId,
          purpose,
          channel,
          addressSealed: keyring.seal(addressSecret, attemptAddressBinding(attemptId)),
          codeKeySealed: keyring.seal(key, codeKeyBinding(attemptId)),
          codeMac: macOf(key, code).toString("hex"),
          createdAt: now,
          expiresAt: now + RECOVERY_CODE_LIFETIME_MS,
        });
      } finally {
        key.destroy();
        addressSecret.destroy();
      }
      try {
        await deliver(channel, address, { mail: composeRecoveryCode(purpose, language, code), sms: composeRecoveryCodeSms(purpose, language, code) });
      } catch (error) {
        await store.consumeAttempt(hashToken(token), clock.now());
        warn({ channel, attemptId, reason: reasonOf(error) });
        throw unavailable(problem("recovery_code_not_sent"));
      }
      return { token, attemptId, expiresAt: now + RECOVERY_CODE_LIFETIME_MS };
    },

    async verify(userId, purpose, token, code) {
      const normalised = normaliseRecoveryCode(code);
      const expired = unauthenticated(problem("recovery_code_expired"));
      if (!token.startsWith(ATTEMPT_TOKEN_PREFIX) || token.length > 100) throw expired;
      const tokenHash = hashToken(token);
      const found = await store.findAttempt(tokenHash);
      // Bound to the attempt: another user's, or another purpose's, is no attempt at all here.
      if (found === undefined || found.userId !== userId || found.purpose !== purpose) throw expired;
      const now = clock.now();
      const claimed = await store.claimAttempt(tokenHash, now, MAX_RECOVERY_CODE_TRIES);
      if (claimed === undefined) {
        if (found.consumedAt === null && found.expiresAt > now && found.attempts >= MAX_RECOVERY_CODE_TRIES) return { ok: false, reason: "too_many_attempts", left: 0, attemptId: found.id };
        throw expired;
      }
      const key = keyring.open(claimed.codeKeySealed, codeKeyBinding(claimed.id));
      let isRight: boolean;
      try {
        isRight = timingSafeEqual(macOf(key, normalised), Buffer.from(claimed.codeMac, "hex"));
      } finally {
        key.destroy();
      }
      const left = MAX_RECOVERY_CODE_TRIES - claimed.attempts;
      if (!isRight) {
        if (left <= 0) await store.consumeAttempt(tokenHash, clock.now());
        return { ok: false, reason: left <= 0 ? "too_many_attempts" : "wrong_code", left, attemptId: claimed.id };
      }
      // Single use: of two right answers racing, one wins.
      if (!(await store.consumeAttempt(tokenHash, clock.now()))) throw expired;
      const address = keyring.open(claimed.addressSealed, attemptAddressBinding(claimed.id));
      try {
        return { ok: true, attempt: claimed, address: address.revealUtf8() };
      } finally {
        address.destroy();
      }
    },

    async notify(channel, address, message) {
      try {
        await deliver(channel, address, message);
        return true;
      } catch (error) {
        warn({ channel, attemptId: "", reason: reasonOf(error) });
        return false;
      }
    },
  };
}
