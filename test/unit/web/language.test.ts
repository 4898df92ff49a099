import { describe, expect, it } from "vitest";
import { chooseLanguage } from "../../../web/src/i18n/language.js";

describe("chooseLanguage", () => {
  it("keeps the language the person chose before", () => {
    expect(chooseLanguage("fr", ["en-US"])).toBe("fr");
    expect(chooseLanguage("en", ["fr-FR"])).toBe("en");
  });

  it("follows the browser's first language that has a catalogue", () => {
    expect(chooseLanguage(null, ["fr-CA", "en"])).toBe("fr");
    expect(chooseLanguage(null, ["de-DE", "FR", "en"])).toBe("fr");
    expect(chooseLanguage(undefined, ["en-GB", "fr"])).toBe("en");
  });

  it("ignores a stored value it does not know and falls back to English", () => {
    expect(chooseLanguage("klingon", ["de", "es"])).toBe("en");
    expect(chooseLanguage(null, [])).toBe("en");
  });
});
