// Finds the OTP seed of a KeePass entry in the fields the KeePass family writes:
// - `otp`: an otpauth:// link (KeePassXC 2.4+, with encoder=steam for Steam) or KeeOtp's
//   `key=…&size=…&step=…&otpHashMode=…` settings (KeePassXC's totp.cpp reads both);
// - `TOTP Seed` with `TOTP Settings` "period;digits" or "period;S" (KeeTrayTOTP, KeePassXC before 2.4);
// - KeePass 2.47+'s own `TimeOtp-*` and `HmacOtp-*` fields (KeePass help, "One-Time Passwords").
import { invalidInput, problem, type ProblemText } from "../errors.js";
import { parseOtpauthUri } from "../otp/otpauth-uri.js";
import type { OtpParameters } from "../otp/types.js";
import { decodeBase64, decodeHex } from "./byte-text.js";
import { buildOtp, readBase32Secret, type LooseOtpFields } from "./otp-fields.js";

export interface KeePassOtp {
  readonly otp: OtpParameters;
  readonly issuer?: string | undefined;
  readonly account?: string | undefined;
  readonly warnings: readonly ProblemText[];
}

/** Reads a field by name (protected values already revealed); undefined when absent or blank. */
export type FieldReader = (name: string) => string | undefined;

/** The entry's seed, undefined when the entry has none, or throws invalid_input naming the fault. */
export function readKeePassOtp(field: FieldReader): KeePassOtp | undefined {
  const otp = field("otp");
  if (otp !== undefined) return /^[a-z][a-z0-9+.-]*:\/\//iu.test(otp) ? fromLink(otp) : fromKeeOtp(otp);
  const seed = field("TOTP Seed");
  if (seed !== undefined) return fromTrayTotp(seed, field("TOTP Settings"));
  if (hasAnySecret(field, "TimeOtp")) return fromKeePassNative(field, "totp");
  if (hasAnySecret(field, "HmacOtp")) return fromKeePassNative(field, "hotp");
  return undefined;
}

function fromLink(link: string): KeePassOtp {
  const intake = parseOtpauthUri(link);
  return { otp: intake.otp, issuer: intake.issuer, account: intake.account, warnings: intake.warnings };
}

function fromKeeOtp(settings: string): KeePassOtp {
  const query = new URLSearchParams(settings);
  if (!query.has("key")) throw invalidInput(problem("import_keepass_otp_unknown"), "otp");
  const type = query.get("type")?.toLowerCase();
  return fromFields(query.get("key") ?? undefined, {
    type: type === "hotp" ? "hotp" : "totp",
    algorithm: query.get("otpHashMode") ?? undefined,
    digits: wholeNumber(query.get("size")),
    period: wholeNumber(query.get("step")),
    counter: wholeNumber(query.get("counter")),
  });
}

function fromTrayTotp(seed: string, settings: string | undefined): KeePassOtp {
  if (/^otpauth:\/\//iu.test(seed)) return fromLink(seed);
  const [period, digits] = (settings ?? "").split(";").map((part) => part.trim());
  if (digits === "S") return fromFields(seed, { type: "steam", period: wholeNumber(period) });
  return fromFields(seed, { type: "totp", period: wholeNumber(period), digits: wholeNumber(digits) });
}

function fromKeePassNative(field: FieldReader, kind: "totp" | "hotp"): KeePassOtp {
  const prefix = kind === "totp" ? "TimeOtp" : "HmacOtp";
  const secret = nativeSecret(field, prefix);
  const built = buildOtp({
    type: kind,
    secret,
    // KeePass writes HMAC-SHA-1, HMAC-SHA-256 or HMAC-SHA-512; HOTP there is always SHA-1.
    algorithm: kind === "totp" ? field("TimeOtp-Algorithm") : undefined,
    digits: wholeNumber(field(kind === "totp" ? "TimeOtp-Length" : "HmacOtp-Length")),
    period: wholeNumber(field("TimeOtp-Period")),
    counter: wholeNumber(field("HmacOtp-Counter")),
  });
  secret.fill(0);
  return { otp: built.otp, warnings: built.warnings };
}

function hasAnySecret(field: FieldReader, prefix: string): boolean {
  return ["", "-Hex", "-Base32", "-Base64"].some((suffix) => field(`${prefix}-Secret${suffix}`) !== undefined);
}

function nativeSecret(field: FieldReader, prefix: string): Buffer {
  const utf8 = field(`${prefix}-Secret`);
  if (utf8 !== undefined) return Buffer.from(utf8, "utf8");
  const hex = field(`${prefix}-Secret-Hex`);
  if (hex !== undefined) {
    const bytes = decodeHex(hex.replace(/\s+/gu, ""));
    if (bytes === undefined) throw invalidInput(problem("import_keepass_secret_hex", { prefix }), "secret");
    return bytes;
  }
  const base32 = field(`${prefix}-Secret-Base32`);
  if (base32 !== undefined) return readBase32Secret(base32).secret;
  const bytes = decodeBase64(field(`${prefix}-Secret-Base64`));
  if (bytes === undefined) throw invalidInput(problem("import_keepass_secret_base64", { prefix }), "secret");
  return bytes;
}

function fromFields(base32: string | undefined, rest: Omit<LooseOtpFields, "secret">): KeePassOtp {
  const { secret, warnings } = readBase32Secret(base32);
  const built = buildOtp({ ...rest, secret });
  secret.fill(0);
  return { otp: built.otp, warnings: [...warnings, ...built.warnings] };
}

function wholeNumber(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text.trim() === "") return undefined;
  return /^\s*\d{1,16}\s*$/u.test(text) ? Number(text) : Number.NaN;
}
