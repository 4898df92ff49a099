// The text of a user's sign-in recovery code: 16 characters of the RFC 4648 base32 alphabet
// (80 random bits, above the 64 of NIST SP 800-63B §5.1.2.1), shown as xxxx-xxxx-xxxx-xxxx.
// Pure: the random bytes come in from the caller; nothing here stores or compares a code.

export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_LENGTH = 16;
/** 5 bits per base32 character. */
export const RECOVERY_CODE_BITS = RECOVERY_CODE_LENGTH * 5;
/** Longest submission read at all: a code with every separator a person might type, and some slack. */
export const RECOVERY_CODE_MAX_INPUT = 64;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const NORMALISED = /^[A-Z2-7]{16}$/;

/** A code from 10 random bytes (80 bits, one base32 character per 5 bits, no bias). */
export function recoveryCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== RECOVERY_CODE_BITS / 8) throw new RangeError(`A recovery code needs ${RECOVERY_CODE_BITS / 8} random bytes.`);
  let bits = 0;
  let value = 0;
  let text = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return text;
}

/** "ABCDEFGHIJKLMNOP" → "ABCD-EFGH-IJKL-MNOP": how a code is shown and saved. */
export const formatRecoveryCode = (code: string): string => code.match(/.{1,4}/g)!.join("-");

/**
 * What a person typed, normalised once (case, spaces, dashes), or undefined when it cannot be a
 * code: the one value both the look-up and the comparison use.
 */
export function normaliseRecoveryCode(submitted: string): string | undefined {
  if (submitted.length > RECOVERY_CODE_MAX_INPUT) return undefined;
  const code = submitted.replace(/[\s-]/g, "").toUpperCase();
  return NORMALISED.test(code) ? code : undefined;
}
