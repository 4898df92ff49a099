// Bulk import of another authenticator's or password manager's export: decides the format by the
// file's content (never its name), hands the file to that format's parser, and returns a preview
// of entries and per-item problems. Pure: no disk, network or clock; seeds travel only as Secrets.
import { invalidInput, problem, unsupportedMediaType, type ProblemText } from "../errors.js";
import type { Secret } from "../secret.js";
import { isAegisShape, parseAegis } from "./aegis.js";
import { isAndOtpShape, looksLikeEncryptedAndOtp, looksLikeOldEncryptedAndOtp, parseAndOtp } from "./andotp.js";
import { detectAppDatabase } from "./app-databases.js";
import { parseAuthenticatorPlus } from "./authenticator-plus.js";
import { isAuthyFile, parseAuthy } from "./authy.js";
import { isBattleNetFile, parseBattleNet } from "./battle-net.js";
import { isBitwardenCsvText, isBitwardenShape, parseBitwarden } from "./bitwarden.js";
import { isDuoShape, parseDuo } from "./duo.js";
import type { FormatContext, ForeignTableReader } from "./format-context.js";
import { isFreeOtpFile, parseFreeOtp } from "./freeotp.js";
import { hasSqliteSignature, parseGoogleAuthenticatorDatabase } from "./gauth-database.js";
import { isFreeOtpPlusShape, parseFreeOtpPlus } from "./freeotp-plus.js";
import { DEFAULT_IMPORT_LIMITS, ImportCollector, type ImportedEntry, type ImportLimits, type ImportProblem } from "./import-collector.js";
import { ImportSource } from "./import-source.js";
import { hasKdbSignature, hasKdbxSignature, parseKeePass } from "./keepass.js";
import { parseMicrosoftAuthenticatorDatabase } from "./microsoft-database.js";
import { isProtonAuthenticatorShape, parseProtonAuthenticator } from "./proton-authenticator.js";
import { isSteamGuardShape, parseSteamGuard } from "./steam-guard.js";
import { hasStratumHeader, isStratumShape, parseStratum } from "./stratum.js";
import { isTotpAuthenticatorPreferences, looksLikeTotpAuthenticatorBackup, parseTotpAuthenticator } from "./totp-authenticator.js";
import { isTwoFasShape, parseTwoFas } from "./two-fas.js";
import { parseUriLines, startsWithOtpLink } from "./uri-lines.js";
import { hasZipSignature } from "./zip-archive.js";

export { DEFAULT_IMPORT_LIMITS, importProblem, nameEntry, renderItemLabel } from "./import-collector.js";
export type { ImportedEntry, ImportLimits, ImportProblem } from "./import-collector.js";
export { KDF_CAPS } from "./export-crypto.js";

export type ImportFormat =
  | "aegis" | "2fas" | "bitwarden" | "andotp" | "gauth" | "uris" | "keepass" | "freeotp-plus" | "steam" | "gauth-db"
  | "authy" | "freeotp" | "microsoft-db" | "duo" | "proton" | "battlenet"
  | "stratum" | "totp-authenticator" | "authenticator-plus";

export interface ImportPreview {
  readonly format: ImportFormat;
  readonly entries: readonly ImportedEntry[];
  readonly problems: readonly ImportProblem[];
}

export interface ParseImportOptions {
  /** The format, or "auto" (the default) to decide by content. */
  readonly format?: ImportFormat | "auto";
  /** For encrypted exports: Aegis, 2FAS, andOTP, KeePass, Authy, FreeOTP 2, Stratum, TOTP Authenticator, Authenticator Plus. */
  readonly password?: Secret;
  /** For KeePass databases locked with a key file (with or without a password): the key file's bytes. */
  readonly keyFile?: Secret;
  /** Overrides of DEFAULT_IMPORT_LIMITS. */
  readonly limits?: Partial<ImportLimits>;
  /** For formats that are SQLite databases (Google's and Microsoft's authenticators); without it they are refused. */
  readonly readForeignTable?: ForeignTableReader;
}

/** How each format is named in sentences for people. */
export const IMPORT_FORMAT_TITLES: Readonly<Record<ImportFormat, string>> = Object.freeze({
  aegis: "Aegis",
  "2fas": "2FAS",
  bitwarden: "Bitwarden",
  andotp: "andOTP",
  gauth: "Google Authenticator",
  uris: "otpauth:// link list",
  keepass: "KeePass",
  "freeotp-plus": "FreeOTP+",
  steam: "Steam Guard",
  "gauth-db": "Google Authenticator database",
  authy: "Authy",
  freeotp: "FreeOTP",
  "microsoft-db": "Microsoft Authenticator database",
  duo: "Duo Mobile",
  proton: "Proton Authenticator",
  battlenet: "Battle.net",
  stratum: "Stratum",
  "totp-authenticator": "TOTP Authenticator",
  "authenticator-plus": "Authenticator Plus",
});

const PARSERS: Readonly<Record<ImportFormat, (source: ImportSource, context: FormatContext) => Promise<void>>> = {
  aegis: parseAegis,
  "2fas": parseTwoFas,
  bitwarden: parseBitwarden,
  andotp: parseAndOtp,
  gauth: (source, context) => parseUriLines(source, context, IMPORT_FORMAT_TITLES.gauth),
  uris: (source, context) => parseUriLines(source, context, IMPORT_FORMAT_TITLES.uris),
  keepass: parseKeePass,
  "freeotp-plus": parseFreeOtpPlus,
  steam: parseSteamGuard,
  "gauth-db": parseGoogleAuthenticatorDatabase,
  authy: parseAuthy,
  freeotp: parseFreeOtp,
  "microsoft-db": parseMicrosoftAuthenticatorDatabase,
  duo: parseDuo,
  proton: parseProtonAuthenticator,
  battlenet: parseBattleNet,
  stratum: parseStratum,
  "totp-authenticator": parseTotpAuthenticator,
  "authenticator-plus": parseAuthenticatorPlus,
};

/**
 * Reads an export file into a preview. Throws unsupported_media_type for a file of no format
 * Watchword reads, invalid_input for a file-wide fault (field "file" or "password").
 */
export async function parseImport(bytes: Uint8Array, options: ParseImportOptions = {}): Promise<ImportPreview> {
  if (!(bytes instanceof Uint8Array)) throw invalidInput(problem("import_file_not_bytes"), "file");
  const limits = resolveLimits(options.limits);
  if (bytes.length === 0) throw invalidInput(problem("import_file_empty"), "file");
  if (bytes.length > limits.maxBytes) {
    throw invalidInput(problem("import_file_too_large", { size: formatSize(limits.maxBytes) }), "file");
  }
  const requested = options.format ?? "auto";
  if (requested !== "auto" && !Object.hasOwn(PARSERS, requested)) {
    throw invalidInput(problem("import_format_unknown", { formats: Object.keys(PARSERS).join(", ") }), "format");
  }
  const source = new ImportSource(bytes);
  const format = requested === "auto" ? detectFormat(source, options.readForeignTable) : requested;
  const collector = new ImportCollector(limits);
  await PARSERS[format](source, { password: options.password, keyFile: options.keyFile, limits, collector, readForeignTable: options.readForeignTable });
  return { format, entries: collector.entries(), problems: collector.problems() };
}

/**
 * The format of a file judged by its content, or undefined when it is none Watchword reads. Without
 * `readForeignTable`, every app's SQLite database reads as "gauth-db".
 */
export function detectImportFormat(bytes: Uint8Array, readForeignTable?: ForeignTableReader): ImportFormat | undefined {
  try {
    return detectFormat(new ImportSource(bytes), readForeignTable);
  } catch {
    return undefined;
  }
}

/** Decides by content; a SQLite database is told apart by its tables only when `readForeignTable` is given. */
function detectFormat(source: ImportSource, readForeignTable?: ForeignTableReader): ImportFormat {
  const { bytes } = source;
  if (hasKdbxSignature(bytes) || hasKdbSignature(bytes)) return "keepass";
  if (hasSqliteSignature(bytes)) return detectAppDatabase(bytes, readForeignTable);
  if (hasStratumHeader(bytes)) return "stratum";
  if (hasZipSignature(bytes)) return "authenticator-plus";
  if (isFreeOtpFile(source)) return "freeotp";
  const text = source.text;
  if (text !== undefined) {
    if (isAuthyFile(source)) return "authy";
    if (isBattleNetFile(source)) return "battlenet";
    if (source.looksLikeJson) {
      const json = source.json("supported");
      if (isAegisShape(json)) return "aegis";
      if (isTwoFasShape(json)) return "2fas";
      if (isBitwardenShape(json)) return "bitwarden";
      if (isFreeOtpPlusShape(json)) return "freeotp-plus";
      if (isAndOtpShape(json)) return "andotp";
      if (isSteamGuardShape(json)) return "steam";
      if (isDuoShape(json)) return "duo";
      if (isProtonAuthenticatorShape(json)) return "proton";
      if (isStratumShape(json)) return "stratum";
    } else {
      const link = startsWithOtpLink(text);
      if (link !== undefined) return link;
      if (isBitwardenCsvText(text)) return "bitwarden";
      if (isTotpAuthenticatorPreferences(text) || looksLikeTotpAuthenticatorBackup(text)) return "totp-authenticator";
    }
  } else if (looksLikeEncryptedAndOtp(bytes) || (looksLikeOldEncryptedAndOtp(bytes) && describeKnownOther(bytes) === undefined)) {
    // Neither andOTP layout has a magic number: a binary file no other format claims is tried as one.
    return "andotp";
  }
  // RFC 9110 §15.5.16: 415 also when the type is found by "inspecting the data directly".
  throw unsupportedMediaType(describeKnownOther(bytes) ?? problem("import_unsupported"), "file");
}

/** Names files people often pick by mistake, so the problem says what they have (undefined: nothing known). */
function describeKnownOther(bytes: Uint8Array): ProblemText | undefined {
  const head = Buffer.from(bytes.subarray(0, 16));
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return problem("import_unsupported_image", { kind: "PNG" });
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return problem("import_unsupported_image", { kind: "JPEG" });
  if (head.toString("latin1").startsWith("GIF8")) return problem("import_unsupported_image", { kind: "GIF" });
  if (head[0] === 0x50 && head[1] === 0x4b) return problem("import_unsupported_archive_of", { kind: "ZIP" });
  if (head.toString("latin1", 0, 4) === "RIFF" && head.toString("latin1", 8, 12) === "WEBP") return problem("import_unsupported_image", { kind: "WebP" });
  // Other kinds of file people pick by mistake: named, and never tried as andOTP's unmarked layout.
  if (head.toString("latin1", 0, 5) === "%PDF-") return problem("import_unsupported_pdf");
  if (["II*\0", "MM\0*"].includes(head.toString("latin1", 0, 4))) return problem("import_unsupported_tiff");
  if (head[0] === 0x1f && head[1] === 0x8b) return problem("import_unsupported_archive_of", { kind: "gzip" });
  if (head.toString("latin1", 0, 6) === "7z\xbc\xaf\x27\x1c" || head.toString("latin1", 0, 4) === "Rar!") return problem("import_unsupported_archive");
  const text = Buffer.from(bytes.subarray(0, 64 * 1024)).toString("latin1");
  if (!/^\s*[[{]/u.test(text) && /otpauth(-migration)?:\/\//iu.test(text)) return problem("import_unsupported_links");
  return undefined;
}

function resolveLimits(overrides: Partial<ImportLimits> | undefined): ImportLimits {
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw invalidInput(problem("import_limit_invalid", { name }), "limits");
  }
  return Object.freeze(limits);
}

function formatSize(bytes: number): string {
  const oneDecimal = { maximumFractionDigits: 1 } as const;
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString("en-US", oneDecimal)} KiB`;
  return `${(bytes / (1024 * 1024)).toLocaleString("en-US", oneDecimal)} MiB`;
}
