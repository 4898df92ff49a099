// The key names are compared by, so that names a person cannot tell apart count as one name:
// "Café" with a precomposed é (U+00E9) and with e + a combining acute (U+0301) are the same, and
// so are names that differ only by zero-width characters or case. Names are stored as typed; only
// this key is compared and indexed.

/** U+200B zero width space, U+200C non-joiner, U+200D joiner, U+2060 word joiner, U+FEFF BOM. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;

export function nameKey(name: string): string {
  // Zero-width characters go first: one between a letter and its accent would stop NFC from
  // composing them. Lower-casing can decompose again ("İ" becomes i + U+0307), hence the second NFC.
  return name.replace(ZERO_WIDTH, "").normalize("NFC").trim().toLowerCase().normalize("NFC");
}
