import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entrySearchOf, foldForSearch, matchesEntrySearch, searchTextOf, searchWordsOf } from "../../../src/core/entry-search.js";
import { all, aws, bank, slack, searchEntry as entry } from "../../support/search-entries.js";

const found = (q: string, more: { folderId?: string; tag?: string } = {}) => all.filter((e) => matchesEntrySearch(e, entrySearchOf({ q, ...more })));

describe("the entry search rule", () => {
  it("folds case and accents, both ways of writing an accent, İ, ß and final sigma", () => {
    for (const [text, folded] of [["Café", "cafe"], ["CAFÉ", "cafe"], ["Cafe\u0301", "cafe"], ["İstanbul", "istanbul"], ["Straße", "strasse"], ["STRASSE", "strasse"], ["ẞ", "ss"], ["ΟΔΟΣ", "οδοσ"], ["οδος", "οδοσ"], ["Zoë", "zoe"], ["日本 😀", "日本 😀"]]) {
      expect(foldForSearch(text!), text).toBe(folded);
    }
  });

  it("finds entries by name, issuer, account or tag, ignoring case and accents", () => {
    expect(found("aws")).toEqual([aws]);
    expect(found("SOCIETE")).toEqual([bank]);
    expect(found("générale")).toEqual([bank]);
    expect(found("acme.example")).toEqual([aws]);
    expect(found("chat")).toEqual([slack]);
  });

  it("needs every word to match, each in any field", () => {
    expect(found("amazon prod")).toEqual([aws]);
    expect(found("amazon\tROOT@")).toEqual([aws]);
    expect(found("amazon finance")).toEqual([]);
    expect(found("   ")).toEqual(all);
    expect(searchWordsOf("  Crédit \n agricole ")).toEqual(["credit", "agricole"]);
  });

  it("filters by folder, by no folder, and by tag", () => {
    expect(found("", { folderId: "f-money" })).toEqual([bank]);
    expect(found("", { folderId: "none" })).toEqual([slack]);
    expect(found("", { tag: "PROD" })).toEqual([aws]);
    expect(found("a", { folderId: "f-cloud", tag: "finance" })).toEqual([]);
  });

  it("matches a word exactly when the stored search text holds it, so one LIKE per word finds the same entries", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "É", "e\u0301", "ß", "s", "İ", "i", " ", "%", "Σ", "ς") });
    fc.assert(
      fc.property(field, field, fc.array(field, { maxLength: 3 }), field, (name, issuer, tags, query) => {
        const e = entry(name, { issuer, tags });
        const text = searchTextOf(e);
        const words = searchWordsOf(query);
        expect(matchesEntrySearch(e, entrySearchOf({ q: query }))).toBe(words.every((word) => text.includes(word)));
        // Folding twice changes nothing: the server folds again what the browser sends.
        expect(foldForSearch(foldForSearch(query))).toBe(foldForSearch(query));
      }),
    );
  });
});
