// The uploaded file as every format parser reads it: raw bytes, strict UTF-8 text and bounded
// JSON, each decoded once. Never echoes the file's content in an error: JSON.parse's own messages
// quote the text around the fault, which may be a seed, so they are replaced by our sentences.
import { invalidInput, problem } from "../errors.js";

/** Deeper than any export format nests (Bitwarden, the deepest, needs 5); bounds a walk over the data. */
export const MAX_JSON_DEPTH = 64;

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const NOT_PARSED = Symbol("not parsed");

export class ImportSource {
  readonly bytes: Uint8Array;
  #text: string | undefined | typeof NOT_PARSED = NOT_PARSED;
  #json: unknown = NOT_PARSED;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** The file as UTF-8 text without its byte-order mark, or undefined when it is not UTF-8 text. */
  get text(): string | undefined {
    if (this.#text === NOT_PARSED) this.#text = decodeText(this.bytes);
    return this.#text;
  }

  /** The text, or an error saying the file is binary. */
  requireText(formatTitle: string): string {
    const text = this.text;
    if (text === undefined) throw invalidInput(problem("import_not_text", { format: formatTitle }), "file");
    return text;
  }

  /** True when the text starts like a JSON object or array (after white space). */
  get looksLikeJson(): boolean {
    const text = this.text;
    return text !== undefined && /^\s*[[{]/u.test(text);
  }

  /** The parsed JSON, refusing nesting deeper than MAX_JSON_DEPTH. */
  json(formatTitle: string): unknown {
    if (this.#json === NOT_PARSED) this.#json = parseBoundedJson(this.requireText(formatTitle));
    return this.#json;
  }
}

function decodeText(bytes: Uint8Array): string | undefined {
  try {
    const text = UTF8.decode(bytes);
    // NUL never occurs in a text export; its presence means a binary file that happens to be valid UTF-8.
    return text.includes("\u0000") ? undefined : text;
  } catch {
    return undefined;
  }
}

/** JSON.parse after a linear scan that rejects deep nesting, so no later walk can be driven deep. */
export function parseBoundedJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > MAX_JSON_DEPTH) {
        throw invalidInput(problem("import_json_too_deep", { max: MAX_JSON_DEPTH }), "file");
      }
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidInput(problem("import_json_invalid"), "file");
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string member, trimmed; undefined when absent, not a string, or blank. */
export function stringMember(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** A number member, also accepting a numeric string ("30"), as some exports write numbers that way. */
export function numberMember(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\s*-?\d+\s*$/u.test(value)) return Number(value);
  return undefined;
}

export function objectMember(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  return isJsonObject(value) ? value : undefined;
}

export function arrayMember(object: JsonObject, key: string): readonly unknown[] | undefined {
  const value = object[key];
  return Array.isArray(value) ? value : undefined;
}
