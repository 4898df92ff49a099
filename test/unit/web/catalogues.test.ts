import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Catalogue = { readonly [key: string]: string | Catalogue };

const load = (language: string): Catalogue =>
  JSON.parse(readFileSync(new URL(`../../../web/src/i18n/${language}.json`, import.meta.url), "utf8")) as Catalogue;

function flatten(catalogue: Catalogue, prefix = ""): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    if (typeof value === "string") entries.set(`${prefix}${key}`, value);
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) entries.set(inner, text);
  }
  return entries;
}

const en = flatten(load("en"));
const fr = flatten(load("fr"));
const placeholders = (text: string): string[] => [...text.matchAll(/{{\s*(\w+)\s*}}|<\/?(\w+)>/g)].map((m) => m[0]).sort();

describe("the web app's catalogues", () => {
  it("have the same keys in English and French", () => {
    expect([...fr.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("are keyed by feature", () => {
    const features = new Set([...en.keys()].map((key) => key.split(".")[0]));
    expect([...features].sort()).toEqual(["admin", "entries", "errors", "imports", "setup", "shell", "signIn"]);
  });

  it("leave no string empty", () => {
    for (const [key, text] of [...en, ...fr]) expect(text.trim(), key).not.toBe("");
  });

  it("use the same placeholders and tags in both languages", () => {
    for (const [key, text] of en) expect(placeholders(fr.get(key) ?? ""), key).toEqual(placeholders(text));
  });

  it("write French with typographic apostrophes and a non-breaking space before : ; ? !", () => {
    for (const [key, text] of fr) {
      expect(text, key).not.toMatch(/'/);
      // "otpauth://" and "steam://" are URLs, not punctuation.
      expect(text.replace(/\b[a-z][a-z0-9+.-]*:\/\//gi, ""), key).not.toMatch(/(^|[^\u00a0\u202f])[:;?!]/);
    }
  });
});
