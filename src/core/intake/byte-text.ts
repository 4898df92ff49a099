// Strict hex and base64 decoding for the binary fields of exports (salts, nonces, ciphertexts).
// Node's Buffer.from(text, "base64") silently skips characters it does not know; an export that
// holds them is damaged, and saying so beats decrypting garbage.

/** Hex (either case) to bytes; undefined when the text is not whole hex bytes. */
export function decodeHex(text: unknown): Buffer | undefined {
  if (typeof text !== "string" || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/u.test(text)) return undefined;
  return Buffer.from(text, "hex");
}

/**
 * Base64 (RFC 4648 §4) or its URL-safe form (§5), padding optional, white space ignored; undefined
 * when anything else appears. A space inside is read as '+', the character form encoding turns into one.
 */
export function decodeBase64(text: unknown): Buffer | undefined {
  if (typeof text !== "string") return undefined;
  const compact = text.trim().replace(/ /gu, "+").replace(/\s+/gu, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/u.test(compact) || compact.replace(/=+$/u, "").length % 4 === 1) return undefined;
  return Buffer.from(compact.replaceAll("-", "+").replaceAll("_", "/"), "base64");
}
