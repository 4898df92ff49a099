// Reads Bitwarden's unencrypted exports, JSON and CSV, keeping the logins that carry a TOTP
// (login.totp / login_totp: an otpauth:// link, a steam:// link or a bare base32 key — Bitwarden's
// own TotpService accepts all three). Logins without one hold no seed and are skipped, not reported.
// Encrypted Bitwarden exports are refused with a sentence saying how to export them unencrypted.
import { invalidInput, problem } from "../errors.js";
import { itemLabel } from "../problems/import-preview.js";
import { parseOtpauthUri, parseSetupKey } from "../otp/otpauth-uri.js";
import { readCsvRows } from "./csv-rows.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { arrayMember, isJsonObject, objectMember, stringMember, type ImportSource, type JsonObject } from "./import-source.js";

const TITLE = "Bitwarden";
/** Bitwarden's item type for a login (CipherType.Login). */
const LOGIN_TYPE = 1;

interface BitwardenLogin {
  readonly title: string | undefined;
  readonly totp: string | undefined;
  readonly folder: string | undefined;
  readonly notes: string | undefined;
  readonly url: string | undefined;
  readonly username: string | undefined;
}

/** True for the shape of a Bitwarden JSON export: an item list and an `encrypted` flag. */
export function isBitwardenShape(json: unknown): boolean {
  return isJsonObject(json) && typeof json["encrypted"] === "boolean" && (Array.isArray(json["items"]) || json["encrypted"] === true);
}

/** True for a Bitwarden CSV export: a header row naming login_totp among its columns. */
export function isBitwardenCsvText(text: string): boolean {
  const firstLine = text.slice(0, 1024).split(/\r?\n/u, 1)[0] ?? "";
  return /(^|,)"?login_totp"?(,|$)/u.test(firstLine) && /(^|,)"?name"?(,|$)/u.test(firstLine);
}

export function parseBitwarden(source: ImportSource, context: FormatContext): Promise<void> {
  const text = source.requireText(TITLE);
  const logins = source.looksLikeJson ? readJsonLogins(source.json(TITLE)) : readCsvLogins(text);
  logins.forEach((login, index) => {
    context.collector.add(index, login.title === undefined ? itemLabel("item", index + 1) : { title: login.title }, () => readLogin(login));
  });
  return Promise.resolve();
}

function readLogin(login: BitwardenLogin): ItemDraft | undefined {
  const { totp, ...labels } = login;
  if (totp === undefined) return undefined;
  const intake = /^[a-z][a-z0-9+.-]*:/iu.test(totp) ? parseOtpauthUri(totp) : parseSetupKey(totp);
  return { ...labels, issuer: intake.issuer, account: intake.account, otp: intake.otp, warnings: intake.warnings };
}

function readJsonLogins(root: unknown): BitwardenLogin[] {
  if (!isJsonObject(root) || !isBitwardenShape(root)) throw invalidInput(problem("import_bitwarden_not_export"), "file");
  if (root["encrypted"] === true) {
    throw invalidInput(problem("import_bitwarden_encrypted"),
      "file",
    );
  }
  const folders = new Map<string, string>();
  for (const folder of arrayMember(root, "folders") ?? []) {
    if (!isJsonObject(folder)) continue;
    const id = stringMember(folder, "id");
    const name = stringMember(folder, "name");
    if (id !== undefined && name !== undefined) folders.set(id, name);
  }
  return (arrayMember(root, "items") ?? []).map((entry) => {
    const item: JsonObject = isJsonObject(entry) ? entry : {};
    const login = item["type"] === LOGIN_TYPE || item["type"] === undefined ? (objectMember(item, "login") ?? {}) : {};
    const firstUri = (arrayMember(login, "uris") ?? []).find(isJsonObject);
    const folderId = stringMember(item, "folderId");
    return {
      title: stringMember(item, "name"),
      totp: stringMember(login, "totp"),
      folder: folderId === undefined ? undefined : folders.get(folderId),
      notes: stringMember(item, "notes"),
      url: firstUri === undefined ? undefined : stringMember(firstUri, "uri"),
      username: stringMember(login, "username"),
    };
  });
}

function readCsvLogins(text: string): BitwardenLogin[] {
  if (!isBitwardenCsvText(text)) throw invalidInput(problem("import_bitwarden_csv_no_totp"), "file");
  const [header = [], ...rows] = readCsvRows(text);
  const column = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const cell = (row: readonly string[], name: string): string | undefined => {
    const i = column.get(name);
    const value = i === undefined ? undefined : row[i]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  return rows.map((row) => ({
    title: cell(row, "name"),
    totp: cell(row, "type") === undefined || cell(row, "type") === "login" ? cell(row, "login_totp") : undefined,
    // Organisation exports name the collection where personal ones name the folder.
    folder: cell(row, "folder") ?? cell(row, "collections"),
    notes: cell(row, "notes"),
    // Several URIs are joined by commas inside the one cell; the first is the login's address.
    url: cell(row, "login_uri")?.split(",")[0]?.trim(),
    username: cell(row, "login_username"),
  }));
}
