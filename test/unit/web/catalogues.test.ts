import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IMPORT_ITEM_LABELS, ITEM_LABEL_KEYS } from "../../../src/contract/imports.js";
import { PROBLEM_CATALOGUE, PROBLEM_KEYS, type ProblemTemplate } from "../../../src/contract/problem.js";

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
const placeholders = (text: string): string[] => [...text.matchAll(/{{\s*(\w+)\s*(?:,\s*\w+\s*)?}}|<\/?(\w+)>/g)].map((m) => m[1] ?? m[0]).sort();
const languages = { en, fr } as const;

/** Every form i18next looks up for `key` in `language`: the key itself, or one per CLDR plural category. */
function formsOf(key: string, template: ProblemTemplate, language: keyof typeof languages): string[] {
  if (typeof template === "string") return [`problems.${key}`];
  return new Intl.PluralRules(language).resolvedOptions().pluralCategories.map((category) => `problems.${key}_${category}`);
}

describe("the web app's catalogues", () => {
  it("have the same keys in English and French, French adding only the plural form it has and English has not", () => {
    const withoutMany = (keys: Iterable<string>) => [...keys].filter((key) => !key.endsWith("_many")).sort();
    expect(withoutMany(fr.keys())).toEqual(withoutMany(en.keys()));
    for (const key of fr.keys()) if (key.endsWith("_many")) expect(fr.has(key.replace(/_many$/, "_other")), key).toBe(true);
  });

  it("have every plural form each language needs (French says 1 000 000 in its own form)", () => {
    for (const [language, catalogue] of Object.entries(languages) as [keyof typeof languages, Map<string, string>][]) {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      const bases = new Set([...catalogue.keys()].filter((key) => key.endsWith("_other")).map((key) => key.replace(/_other$/, "")));
      for (const base of bases) for (const category of categories) expect(catalogue.has(`${base}_${category}`), `${language} ${base}_${category}`).toBe(true);
    }
  });

  it("say every problem of the contract's catalogue, with the same parameters, and nothing else", () => {
    for (const key of PROBLEM_KEYS) {
      const template: ProblemTemplate = PROBLEM_CATALOGUE[key];
      const english = typeof template === "string" ? template : template.other;
      for (const language of ["en", "fr"] as const) {
        for (const form of formsOf(key, template, language)) {
          const text = languages[language].get(form);
          expect(text, `${language} ${form}`).toBeDefined();
          expect(placeholders(text ?? ""), `${language} ${form}`).toEqual(placeholders(english));
        }
      }
    }
    const known = new Set(PROBLEM_KEYS.flatMap((key) => ["en", "fr"].flatMap((language) => formsOf(key, PROBLEM_CATALOGUE[key], language as "en" | "fr"))));
    for (const catalogue of [en, fr]) for (const key of catalogue.keys()) if (key.startsWith("problems.")) expect(known.has(key), key).toBe(true);
  });

  it("say every label the server makes up for an import's problem rows, with the same number, and nothing else", () => {
    for (const key of ITEM_LABEL_KEYS) {
      for (const catalogue of [en, fr]) expect(placeholders(catalogue.get(`imports.preview.labels.${key}`) ?? "-"), key).toEqual(placeholders(IMPORT_ITEM_LABELS[key]));
    }
    for (const catalogue of [en, fr]) {
      const said = [...catalogue.keys()].filter((key) => key.startsWith("imports.preview.labels.")).map((key) => key.split(".").at(-1));
      expect(said.sort()).toEqual([...ITEM_LABEL_KEYS].sort());
    }
  });

  it("are keyed by feature", () => {
    const features = new Set([...en.keys()].map((key) => key.split(".")[0]));
    expect([...features].sort()).toEqual(["access", "account", "admin", "audit", "entries", "errors", "imports", "problems", "setup", "shell", "signIn"]);
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
      // "otpauth://" and "steam://" are URLs, and a colon with no space on either side (09:00,
      // host:port) is part of what it separates: neither is punctuation.
      const prose = text.replace(/\b[a-z][a-z0-9+.-]*:\/\//gi, "").replace(/(?<=\S)[:;?!](?=\S)/g, "");
      expect(prose, key).not.toMatch(/(^|[^\u00a0\u202f])[:;?!]/);
    }
  });
});
