// Reads Android SharedPreferences files (shared_prefs/*.xml: a <map> of named <string>, <int>,
// <long>, <float>, <boolean> and <set> values), the form in which Authy, FreeOTP, Battle.net and TOTP
// Authenticator keep their seeds on the phone. XML is parsed by saxes (strict XML 1.0); a DOCTYPE is
// refused, so no entity can be declared, let alone expanded. Never echoes the file in an error.
import { SaxesParser } from "saxes";
import { invalidInput, isWatchwordError, problem, type WatchwordError } from "../errors.js";

export interface Preference {
  readonly name: string;
  /** The element: string, int, long, float, boolean, set or null. */
  readonly kind: string;
  /** The text of a <string>, the value attribute of a number or boolean, the members of a <set> joined by newlines. */
  readonly value: string;
}

/** Far more than any app's preference file holds; bounds the work of a hostile one. */
const MAX_PREFERENCES = 100_000;
const KINDS = new Set(["string", "int", "long", "float", "boolean", "set", "null"]);
const parsed = new WeakMap<object, readonly Preference[]>();

/** True for text that opens like an XML document whose root is <map> (a DOCTYPE naming it counts, to be refused). */
export function looksLikeSharedPreferences(text: string): boolean {
  return /^\uFEFF?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<map[\s/>]|<!DOCTYPE\s+map[\s[>])/u.test(text.slice(0, 512));
}

/** The preferences of `text`, in file order; parsed once per `owner` (the import's source). */
export function readSharedPreferences(owner: object, text: string): readonly Preference[] {
  const known = parsed.get(owner);
  if (known !== undefined) return known;
  const preferences = parsePreferences(text);
  parsed.set(owner, preferences);
  return preferences;
}

/** The value of the first preference named `name`, or undefined. */
export function preferenceValue(preferences: readonly Preference[], name: string): string | undefined {
  return preferences.find((preference) => preference.name === name)?.value;
}

function parsePreferences(text: string): readonly Preference[] {
  const damaged = (): WatchwordError => invalidInput(problem("import_preferences_not_xml"), "file");
  const preferences: Preference[] = [];
  const parser = new SaxesParser({ position: false });
  // Element nesting: <map> (depth 1), a preference (2), a <set>'s <string> (3).
  let depth = 0;
  let current: { name: string; kind: string; parts: string[]; text: string[] } | undefined;

  parser.on("error", () => {
    throw damaged();
  });
  parser.on("doctype", () => {
    throw invalidInput(problem("import_preferences_doctype"), "file");
  });
  parser.on("opentag", (tag) => {
    depth++;
    if (depth === 1) {
      if (tag.name !== "map") throw damaged();
    } else if (depth === 2) {
      const name = tag.attributes["name"];
      if (!KINDS.has(tag.name) || typeof name !== "string") throw damaged();
      const value = tag.attributes["value"];
      current = { name, kind: tag.name, parts: typeof value === "string" ? [value] : [], text: [] };
    } else if (depth === 3 && current?.kind === "set" && tag.name === "string") {
      current.text = [];
    } else {
      throw damaged();
    }
  });
  parser.on("text", (chunk) => {
    if (current !== undefined && (depth === 2 || depth === 3)) current.text.push(chunk);
  });
  parser.on("cdata", (chunk) => {
    if (current !== undefined && (depth === 2 || depth === 3)) current.text.push(chunk);
  });
  parser.on("closetag", () => {
    if (depth === 3 && current !== undefined) {
      current.parts.push(current.text.join(""));
      current.text = [];
    } else if (depth === 2 && current !== undefined) {
      const value = current.kind === "string" ? current.text.join("") : current.parts.join("\n");
      if (preferences.length >= MAX_PREFERENCES) {
        throw invalidInput(problem("import_preferences_over_limit", { max: MAX_PREFERENCES }), "file");
      }
      preferences.push({ name: current.name, kind: current.kind, value });
      current = undefined;
    }
    depth--;
  });

  try {
    parser.write(text).close();
  } catch (error) {
    // saxes's own messages quote the position and the text around a fault: never passed on.
    throw isWatchwordError(error) ? error : damaged();
  }
  return preferences;
}
