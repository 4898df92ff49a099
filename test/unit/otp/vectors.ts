// Known-answer vectors for the OTP engine, copied from where each block says.
// (STYLE.md puts outside test data in test/fixtures/; these stay beside their tests until that move is agreed.)

/**
 * RFC 4226 Appendix D: HMAC-SHA-1 HOTP with the ASCII secret "12345678901234567890".
 * `truncated` is the table's "Decimal" column (the 31-bit dynamic truncation), `hotp` its 6-digit code.
 */
export const rfc4226Secret = Buffer.from("12345678901234567890", "ascii");
export const rfc4226Vectors: readonly { counter: number; truncated: number; hotp: string }[] = [
  { counter: 0, truncated: 1284755224, hotp: "755224" },
  { counter: 1, truncated: 1094287082, hotp: "287082" },
  { counter: 2, truncated: 137359152, hotp: "359152" },
  { counter: 3, truncated: 1726969429, hotp: "969429" },
  { counter: 4, truncated: 1640338314, hotp: "338314" },
  { counter: 5, truncated: 868254676, hotp: "254676" },
  { counter: 6, truncated: 1918287922, hotp: "287922" },
  { counter: 7, truncated: 82162583, hotp: "162583" },
  { counter: 8, truncated: 673399871, hotp: "399871" },
  { counter: 9, truncated: 645520489, hotp: "520489" },
];

/**
 * RFC 6238 Appendix B: 8-digit TOTP, 30-second steps, T0 = 0. The seeds are the ASCII digits
 * "1234567890" repeated to 20 bytes (SHA-1), 32 bytes (SHA-256) and 64 bytes (SHA-512), as in
 * the reference implementation of Appendix A (the table's text lists only the 20-byte one).
 */
export const rfc6238Seeds = {
  SHA1: Buffer.from("12345678901234567890", "ascii"),
  SHA256: Buffer.from("12345678901234567890123456789012", "ascii"),
  SHA512: Buffer.from("1234567890123456789012345678901234567890123456789012345678901234", "ascii"),
} as const;
export const rfc6238Vectors: readonly { seconds: number; step: number; algorithm: keyof typeof rfc6238Seeds; totp: string }[] = [
  { seconds: 59, step: 0x1, algorithm: "SHA1", totp: "94287082" },
  { seconds: 59, step: 0x1, algorithm: "SHA256", totp: "46119246" },
  { seconds: 59, step: 0x1, algorithm: "SHA512", totp: "90693936" },
  { seconds: 1111111109, step: 0x23523ec, algorithm: "SHA1", totp: "07081804" },
  { seconds: 1111111109, step: 0x23523ec, algorithm: "SHA256", totp: "68084774" },
  { seconds: 1111111109, step: 0x23523ec, algorithm: "SHA512", totp: "25091201" },
  { seconds: 1111111111, step: 0x23523ed, algorithm: "SHA1", totp: "14050471" },
  { seconds: 1111111111, step: 0x23523ed, algorithm: "SHA256", totp: "67062674" },
  { seconds: 1111111111, step: 0x23523ed, algorithm: "SHA512", totp: "99943326" },
  { seconds: 1234567890, step: 0x273ef07, algorithm: "SHA1", totp: "89005924" },
  { seconds: 1234567890, step: 0x273ef07, algorithm: "SHA256", totp: "91819424" },
  { seconds: 1234567890, step: 0x273ef07, algorithm: "SHA512", totp: "93441116" },
  { seconds: 2000000000, step: 0x3f940aa, algorithm: "SHA1", totp: "69279037" },
  { seconds: 2000000000, step: 0x3f940aa, algorithm: "SHA256", totp: "90698825" },
  { seconds: 2000000000, step: 0x3f940aa, algorithm: "SHA512", totp: "38618901" },
  { seconds: 20000000000, step: 0x27bc86aa, algorithm: "SHA1", totp: "65353130" },
  { seconds: 20000000000, step: 0x27bc86aa, algorithm: "SHA256", totp: "77737706" },
  { seconds: 20000000000, step: 0x27bc86aa, algorithm: "SHA512", totp: "47863826" },
];

/**
 * Steam Guard, from KeePassXC's tests/TestTotp.cpp (testSteamTotp): "These time/value pairs were
 * created by running the Steam Guard function of the Steam mobile app with a throw-away steam
 * account." The link is the one that test parses (KeePassXC's encoder=steam form).
 */
export const steamLink =
  "otpauth://totp/test:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam";
export const steamVectors: readonly { seconds: number; code: string }[] = [
  { seconds: 1511200518, code: "FR8RV" },
  { seconds: 1511200714, code: "9P3VP" },
];
