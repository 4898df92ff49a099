// Reads Proton Authenticator's plain export: {"version": 1, "entries": [...]}, each entry's
// content holding an otpauth:// (or steam://) link, the name the app shows, and a note beside it
// (Aegis's ProtonAuthenticatorImporter). The link carries the seed and its parameters.
import { invalidInput, problem } from "../errors.js";
import { parseOtpauthUri } from "../otp/otpauth-uri.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import { arrayMember, isJsonObject, objectMember, stringMember, type ImportSource, type JsonObject } from "./import-source.js";

const TITLE = "Proton Authenticator";

/** True for Proton Authenticator's export: an entry list whose items hold content with a link. */
export function isProtonAuthenticatorShape(json: unknown): boolean {
  if (!isJsonObject(json) || "header" in json) return false;
  const entries = arrayMember(json, "entries");
  return entries !== undefined && entries.some((entry) => isJsonObject(entry) && typeof objectMember(entry, "content")?.["uri"] === "string");
}

export function parseProtonAuthenticator(source: ImportSource, context: FormatContext): Promise<void> {
  const root = source.json(TITLE);
  const entries = isJsonObject(root) ? arrayMember(root, "entries") : undefined;
  if (entries === undefined) throw invalidInput(problem("import_proton_not_export"), "file");
  entries.forEach((item, index) => {
    const entry = isJsonObject(item) ? item : {};
    const content = objectMember(entry, "content") ?? {};
    const name = stringMember(content, "name");
    context.collector.add(index, { account: name }, () => readEntry(entry, content, name));
  });
  return Promise.resolve();
}

function readEntry(entry: JsonObject, content: JsonObject, name: string | undefined): ItemDraft {
  const uri = stringMember(content, "uri");
  if (uri === undefined) throw invalidInput(problem("import_entry_no_link"), "uri");
  const intake = parseOtpauthUri(uri);
  // The name is what the person sees in the app; the link's label may be older.
  return { issuer: intake.issuer, account: name ?? intake.account, otp: intake.otp, notes: stringMember(entry, "note"), warnings: intake.warnings };
}
