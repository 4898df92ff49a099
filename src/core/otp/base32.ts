// Base32 (RFC 4648 §6), the encoding of every setup key and otpauth:// secret. Lenient about how
// people and exports write it (case, spaces, dashes, padding), strict about what it contains.
// An error names the offending character, never the text it came from.
import { invalidInput, problem } from "../errors.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Character code → 5-bit value, or -1 for anything outside the alphabet (either case). */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  VALUES[ALPHABET.charCodeAt(i)] = i;
  VALUES[ALPHABET.toLowerCase().charCodeAt(i)] = i;
}

/** Separators people type or apps print inside keys ("JBSW Y3DP", "jbsw-y3dp"). */
const IGNORED = /[\s-]/u;

export interface DecodedBase32 {
  readonly bytes: Buffer;
  /**
   * True when the text ends with a character that does not complete a byte (a length of 1, 3 or
   * 6 characters modulo 8, which no RFC 4648 encoder produces). Its bits are dropped, as
   * authenticator apps do, but it often means the key was copied incompletely.
   */
  readonly hasDanglingCharacter: boolean;
}

/** Decodes base32 text to bytes; see decodeBase32Text for what is accepted and refused. */
export function decodeBase32(text: string, field = "secret"): Buffer {
  return decodeBase32Text(text, field).bytes;
}

/**
 * Decodes base32 text. Accepts upper or lower case, spaces and dashes anywhere, and trailing `=`
 * padding whether present, partial or missing (RFC 4648 §3.2 lets specifications omit it).
 * Refuses empty text and any other character, naming it and the field.
 */
export function decodeBase32Text(text: string, field = "secret"): DecodedBase32 {
  const symbols: number[] = [];
  let paddingStarted = false;
  for (const character of text) {
    if (IGNORED.test(character)) continue;
    if (character === "=") {
      paddingStarted = true;
      continue;
    }
    const code = character.charCodeAt(0);
    const value = character.length === 1 && code < 128 ? (VALUES[code] ?? -1) : -1;
    if (value < 0) {
      throw invalidInput(problem("base32_bad_character", { character: describeCharacter(character) }), field);
    }
    if (paddingStarted) {
      // RFC 4648 §3.3: padding only ever ends the data.
      throw invalidInput(problem("base32_padding_inside"), field);
    }
    symbols.push(value);
  }
  if (symbols.length === 0) throw invalidInput(problem("base32_empty"), field);

  const bytes = Buffer.allocUnsafe(Math.floor((symbols.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const value of symbols) {
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (buffer >>> bits) & 0xff;
    }
  }
  if (bytes.length === 0) {
    throw invalidInput(problem("base32_single_character"), field);
  }
  // Leftover bits are the encoder's zero fill (RFC 4648 §6); 5 or more means a whole dangling character.
  return { bytes, hasDanglingCharacter: bits >= 5 };
}

/** Encodes bytes as upper-case base32 without padding, the form Key URI Format links use. */
export function encodeBase32(bytes: Uint8Array): string {
  let text = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) text += ALPHABET[(buffer << (5 - bits)) & 31];
  return text;
}

/** One character, quoted, or its code point when quoting would not show it. */
function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(character)) return `'${character}'`;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}
