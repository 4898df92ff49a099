// The parts every WebAuthn ceremony shares: challenges stored in the database (5 minutes, single
// use, bound to a session or a browser), reading the challenge an answer signed, and checking an
// assertion against a stored passkey with its signature counter moved by compare-and-set.
import { createHash } from "node:crypto";
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { WebAuthnConfig } from "../config.js";
import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import type { ChallengeRecord, PasskeyRecord, PasskeyStore } from "../store/passkeys.js";
import type { ChallengePurpose } from "../store/schema-passkeys.js";

export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

/** Why an answer was refused, as the audit event names it (never shown to the caller as such). */
export type AssertionFailure =
  | "challenge_invalid"
  | "response_invalid"
  | "unknown_credential"
  | "user_disabled"
  | "user_handle_mismatch"
  | "wrong_origin"
  | "wrong_rp_id"
  | "user_not_verified"
  | "counter_went_back"
  | "bad_signature"
  | "not_verified";

export class PasskeyRefusal extends Error {
  constructor(readonly reason: AssertionFailure) {
    super(`passkey refused: ${reason}`);
    this.name = "PasskeyRefusal";
  }
}

/** What a challenge is bound to is stored only as its SHA-256: a binding cookie is a bearer secret. */
export const bindingKey = (binding: string): string => createHash("sha256").update(`watchword webauthn ${binding}`).digest("hex");

export async function storeChallenge(
  passkeys: Pick<PasskeyStore, "insertChallenge" | "deleteExpiredChallenges">,
  clock: Clock,
  challenge: string,
  purpose: ChallengePurpose,
  binding: string,
  userId: UserId | null,
): Promise<void> {
  const now = clock.now();
  // Expired challenges go as new ones come: an indexed delete, so no sweeper is needed.
  await passkeys.deleteExpiredChallenges(now);
  await passkeys.insertChallenge({ challenge, purpose, binding: bindingKey(binding), userId, createdAt: now, expiresAt: now + CHALLENGE_LIFETIME_MS });
}

/** The challenge a client answered, read from its clientDataJSON (already bounded by the request schema). */
export function challengeOf(clientDataJSON: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    if (typeof parsed.challenge === "string" && parsed.challenge.length > 0 && parsed.challenge.length <= 200) return parsed.challenge;
  } catch {
    // Falls through to the refusal below.
  }
  throw new PasskeyRefusal("response_invalid");
}

/** Uses the challenge once: a replay, an expired one or one bound to another session or browser is refused. */
export async function consumeChallenge(
  passkeys: Pick<PasskeyStore, "consumeChallenge">,
  clock: Clock,
  clientDataJSON: string,
  purpose: ChallengePurpose,
  binding: string,
): Promise<ChallengeRecord> {
  const challenge = challengeOf(clientDataJSON);
  const record = await passkeys.consumeChallenge(challenge, purpose, bindingKey(binding), clock.now());
  if (record === undefined) throw new PasskeyRefusal("challenge_invalid");
  return record;
}

/** The library's reasons, by the words of its messages (it throws plain Errors). */
export function failureOfLibraryError(error: unknown): AssertionFailure {
  const message = error instanceof Error ? error.message : "";
  if (/user verification/i.test(message)) return "user_not_verified";
  if (/origin/i.test(message)) return "wrong_origin";
  if (/RP ID/i.test(message)) return "wrong_rp_id";
  if (/counter/i.test(message)) return "counter_went_back";
  return "not_verified";
}

/**
 * Checks an assertion made with `passkey` against the consumed challenge, then moves the stored
 * counter by compare-and-set. WebAuthn §6.1.1: a counter that does not grow (when either is
 * non-zero) may mean a cloned authenticator, so the assertion is refused.
 */
export async function checkAssertion(
  deps: { passkeys: Pick<PasskeyStore, "recordPasskeyUse">; clock: Clock; relyingParty: WebAuthnConfig },
  passkey: PasskeyRecord,
  challenge: ChallengeRecord,
  response: AuthenticationResponseJSON,
  requireUserVerification: boolean,
): Promise<{ readonly isUserVerified: boolean }> {
  const userHandle = response.response.userHandle;
  if (userHandle !== undefined && userHandle !== "" && Buffer.from(userHandle, "base64url").toString("utf8") !== passkey.userId) {
    throw new PasskeyRefusal("user_handle_mismatch");
  }
  let newCounter: number;
  let isUserVerified: boolean;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: deps.relyingParty.origin,
      expectedRPID: deps.relyingParty.rpId,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: [] },
      requireUserVerification,
    });
    if (!result.verified) throw new PasskeyRefusal("bad_signature");
    newCounter = result.authenticationInfo.newCounter;
    isUserVerified = result.authenticationInfo.userVerified;
  } catch (error) {
    if (error instanceof PasskeyRefusal) throw error;
    throw new PasskeyRefusal(failureOfLibraryError(error));
  }
  // Another node may have accepted an assertion of this key since it was read: only one moves the counter.
  if (!(await deps.passkeys.recordPasskeyUse(passkey.id, passkey.counter, newCounter, deps.clock.now()))) throw new PasskeyRefusal("counter_went_back");
  return { isUserVerified };
}

/**
 * Whether an answer says its authenticator verified the person (WebAuthn §6.1 flags, bit 2: UV),
 * read before anything is checked so a missing second factor is asked for without using the
 * challenge. Only a hint: the verified answer's own flag is what counts.
 */
export function claimsUserVerification(authenticatorData: string): boolean {
  const bytes = Buffer.from(authenticatorData, "base64url");
  if (bytes.length < 37) throw new PasskeyRefusal("response_invalid");
  return (bytes[32]! & 0x04) !== 0;
}
