// Turns what a person typed for an entry into checked values: the seed (from a setup key or a
// link), the name, URL, tags and template fields. Every refusal names its field.
import { invalidInput, problem } from "../core/errors.js";
import { findForbiddenCharacter } from "../core/text-characters.js";
import { parseOtpauthUri, parseSetupKey } from "../core/otp/otpauth-uri.js";
import type { OtpIntake } from "../core/otp/types.js";
import type { EntrySeedInput } from "../contract/entries.js";

/** Where a seed comes from: exactly one of a setup key, a link or a pending import. */
export function seedSource(seed: EntrySeedInput): "secret" | "uri" | "import" {
  const given = [
    seed.secret !== undefined && seed.secret.trim() !== "" ? ("secret" as const) : undefined,
    seed.uri !== undefined && seed.uri.trim() !== "" ? ("uri" as const) : undefined,
    seed.fromImport !== undefined ? ("import" as const) : undefined,
  ].filter((source) => source !== undefined);
  if (given.length !== 1) throw invalidInput(problem("seed_source_ambiguous"), "seed");
  return given[0]!;
}

/** The seed of a setup key or a link (a pending import's is opened by the entry service). */
export function intakeFromSeedInput(seed: EntrySeedInput): OtpIntake {
  const source = seedSource(seed);
  if (source === "import") throw invalidInput(problem("seed_found_code_not_here"), "seed");
  if (source === "uri") return parseOtpauthUri(seed.uri!.trim());
  return parseSetupKey(seed.secret!, {
    ...(seed.type === undefined ? {} : { type: seed.type }),
    ...(seed.algorithm === undefined ? {} : { algorithm: seed.algorithm }),
    ...(seed.digits === undefined ? {} : { digits: seed.digits }),
    ...(seed.period === undefined ? {} : { period: seed.period }),
    ...(seed.counter === undefined ? {} : { counter: seed.counter }),
  });
}

/** "GitHub (alice@example.com)", "GitHub" or "alice@example.com": the name an entry gets from its labels. */
export function nameFromLabels(issuer: string | undefined | null, account: string | undefined | null): string | undefined {
  const i = issuer?.trim() || undefined;
  const a = account?.trim() || undefined;
  if (i !== undefined && a !== undefined) return `${i} (${a})`.slice(0, 200);
  return (i ?? a)?.slice(0, 200);
}

// Control characters have no place in names or tags: they hide text in terminals and logs.
const hasControlCharacter = (text: string): boolean => findForbiddenCharacter(text, "line") !== undefined;

const NAME_REQUIRED = { entry: "entry_name_required", folder: "folder_name_required", template: "template_name_required" } as const;

/** A trimmed name of an entry, a folder or a template: not empty, no control characters, at most 200 characters. */
export function checkName(raw: string | undefined, field = "name", of: keyof typeof NAME_REQUIRED = "entry"): string {
  const name = raw?.trim() ?? "";
  if (name === "") throw invalidInput(problem(NAME_REQUIRED[of]), field);
  if (hasControlCharacter(name)) throw invalidInput(problem("name_control_characters"), field);
  return name.slice(0, 200);
}

export function checkUrl(raw: string | undefined): string | null | undefined {
  if (raw === undefined) return undefined;
  const url = raw.trim();
  if (url === "") return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(problem("url_invalid"), "url");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw invalidInput(problem("url_scheme_invalid"), "url");
  return parsed.toString();
}

export function checkTags(raw: readonly string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const tags = [...new Set(raw.map((t) => t.trim().toLowerCase()).filter((t) => t !== ""))];
  for (const tag of tags) if (hasControlCharacter(tag) || tag.includes(",")) throw invalidInput(problem("tag_invalid", { tag: tag.slice(0, 50) }), "tags");
  return tags;
}

/** Optional free text: trimmed, empty becomes null, undefined stays "not given". */
export const optionalText = (raw: string | undefined): string | null | undefined => (raw === undefined ? undefined : raw.trim() === "" ? null : raw.trim());

export function checkRecoveryCodes(raw: readonly string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const codes = raw.map((c) => c.trim()).filter((c) => c !== "");
  if (codes.length === 0) throw invalidInput(problem("recovery_codes_required"), "recoveryCodes");
  return codes;
}
