// Reads and writes otpauth:// links (Google's Key URI Format), Bitwarden's steam:// links and bare
// setup keys, turning each into an OtpIntake. Lenient where real exports are sloppy, strict where
// the input is wrong; every error names its field and what was expected, never the seed.
//
// Steam Guard is read from three forms: otpauth://totp/…&encoder=steam (KeePassXC), otpauth://steam/…
// (Aegis) and steam://SECRET (Bitwarden); a TOTP link with digits=5 whose issuer is Steam counts too.
// It is written as otpauth://totp/…&digits=5&encoder=steam, which apps that know no encoder at
// least recognise as a 5-digit TOTP and apps that do (KeePassXC, Watchword) read as Steam.
import { invalidInput, problem, type ProblemText } from "../errors.js";
import { Secret } from "../secret.js";
import { decodeBase32Text, encodeBase32 } from "./base32.js";
import { DEFAULT_DIGITS, DEFAULT_PERIOD, STEAM_DIGITS, type OtpAlgorithm, type OtpIntake, type OtpParameters, type OtpType } from "./types.js";
import { describeValue, listOtpWarnings, validateOtpParameters } from "./validate.js";

/** Longer than any real link (a 64-byte seed with long labels is under 400 characters). */
export const MAX_URI_LENGTH = 4096;

/** What formatOtpauthUri needs: an intake, or anything with parameters and optional labels. */
export interface OtpauthUriInput {
  readonly otp: OtpParameters;
  readonly issuer?: string | undefined;
  readonly account?: string | undefined;
}

/** Overrides for parseSetupKey; anything left out takes the Key URI Format's default. */
export interface SetupKeyOptions {
  readonly type?: OtpType;
  readonly algorithm?: OtpAlgorithm;
  readonly digits?: number;
  readonly period?: number;
  /** HOTP only; a typed HOTP key starts at counter 0 unless told otherwise. */
  readonly counter?: number;
  readonly issuer?: string;
  readonly account?: string;
}

const STEAM_ISSUER = "Steam";
/** Parameters whose repetition with different values makes a link ambiguous. */
const SINGLE_PARAMETERS = new Set(["secret", "issuer", "algorithm", "digits", "period", "counter", "encoder"]);

/** Parses an otpauth://totp|hotp|steam/… or steam://… link. */
export function parseOtpauthUri(uri: string): OtpIntake {
  if (typeof uri !== "string") throw invalidInput(problem("link_not_text"), "uri");
  if (uri.length > MAX_URI_LENGTH) {
    throw invalidInput(problem("link_too_long", { length: uri.length, max: MAX_URI_LENGTH }), "uri");
  }
  const text = uri.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === "steam") return parseSteamUri(text.slice("steam://".length));
  if (scheme === "otpauth-migration") {
    throw invalidInput(problem("link_is_migration"), "uri");
  }
  if (scheme !== "otpauth") {
    throw invalidInput(problem("link_bad_scheme"), "uri");
  }

  const rest = text.slice("otpauth://".length);
  const queryStart = rest.indexOf("?");
  const path = queryStart < 0 ? rest : rest.slice(0, queryStart);
  const parameters = readQuery(queryStart < 0 ? "" : rest.slice(queryStart + 1));
  const slash = path.indexOf("/");
  const typeText = (slash < 0 ? path : path.slice(0, slash)).toLowerCase();
  // Key URI Format: the label is a path segment, so '+' in it is a literal plus (as in
  // alice+work@example.com), while in the query it stands for a space (form encoding).
  const label = splitLabel(decodePercent(slash < 0 ? "" : path.slice(slash + 1)));

  const encoder = parameters.get("encoder")?.toLowerCase();
  if (encoder !== undefined && encoder !== "steam") {
    throw invalidInput(problem("link_encoder_invalid", { value: describeValue(encoder) }), "encoder");
  }
  const parameterIssuer = cleanLabel(parameters.get("issuer"));
  const issuer = parameterIssuer ?? label.issuer;
  const digitsText = parameters.get("digits");
  let type: OtpType;
  if (typeText === "totp") {
    const isSteamByIssuer = digitsText?.trim() === String(STEAM_DIGITS) && issuer?.toLowerCase() === STEAM_ISSUER.toLowerCase();
    type = encoder === "steam" || isSteamByIssuer ? "steam" : "totp";
  } else if (typeText === "hotp") {
    if (encoder === "steam") throw invalidInput(problem("link_hotp_steam"), "type");
    type = "hotp";
  } else if (typeText === "steam") {
    type = "steam";
  } else {
    throw invalidInput(problem("link_type_invalid", { value: describeValue(typeText) }), "type");
  }

  const warnings: ProblemText[] = [];
  if (parameterIssuer !== undefined && label.issuer !== undefined && parameterIssuer !== label.issuer) {
    warnings.push(problem("link_issuer_mismatch", { labelIssuer: label.issuer, parameterIssuer }));
  }
  const secretText = parameters.get("secret");
  if (secretText === undefined) throw invalidInput(problem("link_secret_missing"), "secret");

  const otp = buildParameters(secretText, warnings, {
    type,
    algorithm: readAlgorithm(parameters.get("algorithm")),
    digits: readWholeNumber(digitsText, "digits", type === "steam" ? STEAM_DIGITS : DEFAULT_DIGITS),
    period: type === "hotp" ? DEFAULT_PERIOD : readWholeNumber(parameters.get("period"), "period", DEFAULT_PERIOD),
    // Key URI Format: counter is required for hotp; RFC 4226 §5.1: C must be synchronized.
    counter: type === "hotp" ? readCounter(parameters.get("counter")) : 0,
  });
  return { otp, issuer: issuer ?? (type === "steam" ? STEAM_ISSUER : undefined), account: label.account, warnings };
}

/** Parses a base32 setup key typed or pasted by a person; TOTP, SHA1, 6 digits, 30 s unless told otherwise. */
export function parseSetupKey(text: string, options: SetupKeyOptions = {}): OtpIntake {
  if (typeof text !== "string") throw invalidInput(problem("setup_key_not_text"), "secret");
  if (text.length > MAX_URI_LENGTH) {
    throw invalidInput(problem("setup_key_too_long", { length: text.length, max: MAX_URI_LENGTH }), "secret");
  }
  if (/^\s*[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw invalidInput(problem("setup_key_is_link"), "secret");
  }
  const type = options.type ?? "totp";
  const warnings: ProblemText[] = [];
  const otp = buildParameters(text, warnings, {
    type,
    algorithm: options.algorithm ?? "SHA1",
    digits: options.digits ?? (type === "steam" ? STEAM_DIGITS : DEFAULT_DIGITS),
    period: options.period ?? DEFAULT_PERIOD,
    counter: options.counter ?? 0,
  });
  const issuer = cleanLabel(options.issuer) ?? (type === "steam" ? STEAM_ISSUER : undefined);
  return { otp, issuer, account: cleanLabel(options.account), warnings };
}

/**
 * Writes an otpauth:// link: label `Issuer:account` (percent-encoded), then secret, issuer,
 * algorithm, digits, and period (TOTP, Steam) or counter (HOTP). The link carries the seed:
 * hand it only to what must show it (a QR code for enrolment, a quorum export).
 */
export function formatOtpauthUri(input: OtpauthUriInput): string {
  const otp = validateOtpParameters(input.otp);
  const issuer = cleanLabel(input.issuer);
  const account = cleanLabel(input.account);
  // Key URI Format: neither part may contain a colon, so an issuer with one travels only as the
  // parameter, and an account with one gets an empty issuer prefix to keep the split unambiguous.
  const prefix = issuer !== undefined && !issuer.includes(":") ? issuer : "";
  let label = "";
  if (account !== undefined) label = prefix !== "" || account.includes(":") ? `${encodeLabel(prefix)}:${encodeLabel(account)}` : encodeLabel(account);

  const query = [`secret=${encodeBase32(otp.secret.reveal())}`];
  if (issuer !== undefined) query.push(`issuer=${encodeURIComponent(issuer)}`);
  query.push(`algorithm=${otp.algorithm}`, `digits=${otp.digits}`);
  query.push(otp.type === "hotp" ? `counter=${otp.counter}` : `period=${otp.period}`);
  if (otp.type === "steam") query.push("encoder=steam");
  return `otpauth://${otp.type === "hotp" ? "hotp" : "totp"}/${label}?${query.join("&")}`;
}

/** Bitwarden's steam://SECRET: the key alone, Steam Guard's fixed SHA1, 5 characters, 30 s. */
function parseSteamUri(secretText: string): OtpIntake {
  const warnings: ProblemText[] = [];
  const otp = buildParameters(secretText, warnings, { type: "steam", algorithm: "SHA1", digits: STEAM_DIGITS, period: DEFAULT_PERIOD, counter: 0 });
  return { otp, issuer: STEAM_ISSUER, account: undefined, warnings };
}

/** Decodes the key, validates the whole, wipes the intermediate bytes, and adds the warnings. */
function buildParameters(secretText: string, warnings: ProblemText[], rest: Omit<OtpParameters, "secret">): OtpParameters {
  const decoded = decodeBase32Text(secretText, "secret");
  const secret = Secret.fromBytes(decoded.bytes);
  decoded.bytes.fill(0);
  let otp: OtpParameters;
  try {
    otp = validateOtpParameters({ ...rest, secret });
  } catch (error) {
    secret.destroy();
    throw error;
  }
  if (decoded.hasDanglingCharacter) {
    warnings.push(problem("seed_dangling_character"));
  }
  warnings.push(...listOtpWarnings(otp));
  return otp;
}

/** Query parameters, names lower-cased (exports differ in case); a repeated name must repeat its value. */
function readQuery(query: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const part of query.split("&")) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const name = decodePercent(equals < 0 ? part : part.slice(0, equals), true).trim().toLowerCase();
    const value = equals < 0 ? "" : decodePercent(part.slice(equals + 1), true);
    const previous = parameters.get(name);
    if (previous !== undefined && previous !== value && SINGLE_PARAMETERS.has(name)) {
      throw invalidInput(problem("link_parameter_repeated", { name }), name);
    }
    parameters.set(name, value);
  }
  return parameters;
}

function readAlgorithm(text: string | undefined): OtpAlgorithm {
  if (text === undefined) return "SHA1";
  // Exports write SHA1, sha1, SHA-1 or sha_1 for the same thing.
  const name = text.trim().toUpperCase().replace(/[-_]/g, "");
  if (name === "SHA1" || name === "SHA256" || name === "SHA512") return name;
  throw invalidInput(problem("otp_algorithm_invalid", { value: describeValue(text) }), "algorithm");
}

const NOT_A_NUMBER = { digits: "link_digits_not_number", period: "link_period_not_number", counter: "link_counter_not_number" } as const;

function readWholeNumber(text: string | undefined, field: keyof typeof NOT_A_NUMBER, fallback: number): number {
  if (text === undefined) return fallback;
  const trimmed = text.trim();
  if (!/^\d{1,20}$/.test(trimmed)) throw invalidInput(problem(NOT_A_NUMBER[field], { value: describeValue(text) }), field);
  return Number(trimmed);
}

function readCounter(text: string | undefined): number {
  if (text === undefined) {
    throw invalidInput(problem("link_counter_missing"), "counter");
  }
  return readWholeNumber(text, "counter", 0);
}

/**
 * RFC 3986 §2.1 percent-decoding that never throws: runs of %XX become UTF-8 text (an invalid
 * sequence becomes U+FFFD), a stray '%' stays as it is, and in the query '+' means a space.
 */
function decodePercent(text: string, isQuery = false): string {
  const source = isQuery ? text.replaceAll("+", " ") : text;
  if (!source.includes("%")) return source;
  return source.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replaceAll("%", ""), "hex").toString("utf8"));
}

/** Key URI Format: `issuer:account` (the colon literal or %3A), optional spaces before the account. */
function splitLabel(label: string): { issuer: string | undefined; account: string | undefined } {
  const colon = label.indexOf(":");
  if (colon < 0) return { issuer: undefined, account: cleanLabel(label) };
  return { issuer: cleanLabel(label.slice(0, colon)), account: cleanLabel(label.slice(colon + 1)) };
}

/** Display text: control characters removed, lone surrogates replaced, trimmed; empty → undefined. */
function cleanLabel(text: string | undefined): string | undefined {
  if (typeof text !== "string") return undefined;
  const cleaned = text.replace(/\p{Cc}/gu, "").replace(/\p{Cs}/gu, "\uFFFD").trim();
  return cleaned === "" ? undefined : cleaned;
}

/** A label part, percent-encoded as Key URI Format asks, with '@' left readable as in its examples. */
function encodeLabel(text: string): string {
  return encodeURIComponent(text).replaceAll("%40", "@");
}
