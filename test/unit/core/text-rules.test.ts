// The two text rules every way of input shares: which characters text may hold, and the key
// names are compared by. Table cases plus properties over arbitrary (full Unicode) strings.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameKey } from "../../../src/core/name-key.js";
import { renderProblem, type ProblemText } from "../../../src/core/problems/catalogue.js";
import { describeForbiddenCharacter, findForbiddenCharacter, removeForbiddenCharacters } from "../../../src/core/text-characters.js";

const say = (text: ProblemText | undefined): string | undefined => (text === undefined ? undefined : renderProblem(text));

describe("characters text may hold", () => {
  it.each([
    ["NUL", "a\u0000b", 0x0000, 0x0000],
    ["a bell", "a\u0007b", 0x0007, 0x0007],
    ["DEL", "a\u007fb", 0x007f, 0x007f],
    ["a C1 next line", "a\u0085b", 0x0085, 0x0085],
    ["a lone high surrogate", "a\ud800b", 0xd800, 0xd800],
    ["a lone low surrogate", "a\udc00b", 0xdc00, 0xdc00],
    ["a tab", "a\tb", 0x0009, undefined],
    ["a line feed", "a\nb", 0x000a, undefined],
    ["a carriage return", "a\r\nb", 0x000d, undefined],
  ])("finds %s in one line, and in several lines only when it is no tab or line break", (_name, text, inLine, inLines) => {
    expect(findForbiddenCharacter(text, "line")).toBe(inLine);
    expect(findForbiddenCharacter(text, "lines")).toBe(inLines);
  });

  it("accepts every script, emoji with joiners and combining accents", () => {
    for (const text of ["Café", "Cafe\u0301", "東京", "👩🏽‍💻", "Zürich – «ops»", "\u200bzero width"]) expect(findForbiddenCharacter(text, "line")).toBeUndefined();
  });

  it("names the field and the code point, and says what is allowed", () => {
    expect(say(describeForbiddenCharacter("notes", "x\u0000", "lines"))).toBe('The field "notes" contains a NUL character (U+0000), which text may never hold.');
    expect(say(describeForbiddenCharacter("name", "x\ty", "line"))).toMatch(/^The field "name" contains the control character U\+0009; it must be one line of text/);
    expect(say(describeForbiddenCharacter("notes", "x\u001b[31m", "lines"))).toMatch(/U\+001B; text may hold tabs and line breaks/);
    expect(say(describeForbiddenCharacter("account", "\udfff", "line"))).toMatch(/U\+DFFF, half of a surrogate pair/);
    expect(describeForbiddenCharacter("name", "fine", "line")).toBeUndefined();
  });

  it("makes any text storable by dropping what it may not hold (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.constantFrom("line" as const, "lines" as const), (text, shape) => {
        const cleaned = removeForbiddenCharacters(text, shape);
        expect(findForbiddenCharacter(cleaned, shape)).toBeUndefined();
        if (findForbiddenCharacter(text, shape) === undefined) expect(cleaned).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the key names are compared by", () => {
  it.each([
    ["Café", "Cafe\u0301"],
    ["Café", "CAFÉ"],
    ["Café", "Ca\u200bfé"],
    ["Café", "Cafe\u200d\u0301"],
    ["Café", "\ufeffCafé\u2060"],
    ["Café", "  café "],
    ["İstanbul", "i\u0307stanbul"],
  ])("makes %j and %j one name", (a, b) => {
    expect(nameKey(a)).toBe(nameKey(b));
  });

  it("keeps names apart that a person reads differently", () => {
    expect(nameKey("Café")).not.toBe(nameKey("Cafe"));
    expect(nameKey("Cafè")).not.toBe(nameKey("Café"));
    expect(nameKey("a b")).not.toBe(nameKey("ab"));
  });

  it("is the same for every Unicode normal form of a name, and a key is its own key (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (name) => {
        const key = nameKey(name);
        expect(nameKey(name.normalize("NFD"))).toBe(key);
        expect(nameKey(name.normalize("NFC"))).toBe(key);
        expect(nameKey(key)).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });
});
