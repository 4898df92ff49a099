// How the CLI turns what a person types into one entry: an id, a name in any case and either
// Unicode form, or a start or whole word of a name that no other entry shares; otherwise one
// sentence with the closest few names.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findEntry, findFolder } from "../../../src/cli/name-lookup.js";
import type { EntrySummary, Folder } from "../../../src/contract/entries.js";
import { isWatchwordError, type WatchwordError } from "../../../src/core/errors.js";

let counter = 0;
function entry(name: string): EntrySummary {
  counter += 1;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`;
  return { id, name } as EntrySummary;
}

const VAULT = ["AWS root", "AWS billing", "Registrar", "Bank portal", "Prod database", "Café (shared)", "Vendor console"].map(entry);
const named = (name: string): EntrySummary => VAULT.find((e) => e.name === name)!;
/** The name in capitals, where capitals turn back into the same lower case ("ß" becomes "SS", which does not). */
const shouted = (name: string): string => (name.toUpperCase().toLowerCase() === name.toLowerCase() ? name.toUpperCase() : name);

function failure(run: () => unknown): WatchwordError {
  try {
    run();
  } catch (error) {
    if (isWatchwordError(error)) return error;
    throw error;
  }
  throw new Error("expected the lookup to fail");
}

describe("finding an entry by what a person types", () => {
  it("finds an entry by its id and by its whole name in any case", () => {
    expect(findEntry(VAULT, named("Registrar").id.toUpperCase())).toBe(named("Registrar"));
    expect(findEntry(VAULT, "  aws ROOT ")).toBe(named("AWS root"));
  });

  it("compares names after Unicode normalisation, without zero-width characters or doubled spaces", () => {
    expect(findEntry(VAULT, "Cafe\u0301 (shared)")).toBe(named("Café (shared)")); // e + combining accent
    expect(findEntry(VAULT, "Ca\u200bfé  (SHARED)")).toBe(named("Café (shared)"));
  });

  it("finds an entry by a start of its name or a whole word that no other entry has", () => {
    expect(findEntry(VAULT, "reg")).toBe(named("Registrar"));
    expect(findEntry(VAULT, "aws r")).toBe(named("AWS root"));
    expect(findEntry(VAULT, "billing")).toBe(named("AWS billing"));
    expect(findEntry(VAULT, "DATABASE")).toBe(named("Prod database"));
    expect(findEntry(VAULT, "shared")).toBe(named("Café (shared)"));
    expect(findEntry(VAULT, "portal")).toBe(named("Bank portal"));
  });

  it("prefers a whole name to the entries it starts", () => {
    const vault = [entry("Ops"), entry("Ops staging"), entry("Ops prod")];
    expect(findEntry(vault, "ops").name).toBe("Ops");
  });

  it("does not take a piece from inside a word", () => {
    expect(failure(() => findEntry(VAULT, "egistrar")).code).toBe("not_found");
    expect(failure(() => findEntry(VAULT, "illing")).code).toBe("not_found");
  });

  it("names the candidates when what was typed fits several entries", () => {
    const error = failure(() => findEntry(VAULT, "aws"));
    expect(error.code).toBe("conflict");
    expect(error.message).toBe('"aws" matches 2 entries: did you mean "AWS root", "AWS billing"?');
  });

  it("offers the closest few names when nothing fits, and none when nothing is close", () => {
    expect(failure(() => findEntry(VAULT, "awz root")).message).toBe('No entry named "awz root": did you mean "AWS root"?');
    expect(failure(() => findEntry(VAULT, "registar")).message).toMatch(/^No entry named "registar": did you mean "Registrar"/);
    expect(failure(() => findEntry(VAULT, "qqqqqqqq")).message).toBe('No entry named "qqqqqqqq".');
    expect(failure(() => findEntry(VAULT, "Nowhere")).message).toBe('No entry named "Nowhere".');
    expect(failure(() => findEntry([], "anything")).message).toBe('No entry named "anything".');
  });

  it("lists the ids of entries that share a name", () => {
    const vault = [entry("Twin"), entry("twin"), entry("Twine")];
    const exact = failure(() => findEntry(vault, "TWIN"));
    expect(exact.message).toBe(`2 entries are named "Twin": use one of their ids: ${vault[0]!.id}, ${vault[1]!.id}.`);
    const partial = failure(() => findEntry([entry("Twin"), entry("twin")], "tw"));
    expect(partial.message).toMatch(/^"tw" matches 2 entries: did you mean "(Twin|twin)" \([0-9a-f-]{36}\), "(Twin|twin)" \([0-9a-f-]{36}\)\?$/);
  });

  it("says an unknown id is unknown, without guessing names", () => {
    expect(failure(() => findEntry(VAULT, "7f1c1a3e-0000-4000-8000-000000000000")).message).toBe("No entry with id 7f1c1a3e-0000-4000-8000-000000000000 that you may use.");
  });

  it("refuses an empty reference, and prints hostile input harmlessly and briefly", () => {
    expect(failure(() => findEntry(VAULT, "   ")).code).toBe("invalid_input");
    const hostile = failure(() => findEntry(VAULT, `\u001b[2J${"x".repeat(5000)}`));
    expect(hostile.message).not.toContain("\u001b");
    expect(hostile.message.length).toBeLessThan(400);
  });

  it("finds every entry by its exact name in any case, and fails only with a sentence on any input", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 8, selector: (name) => name.normalize("NFC").trim().toLowerCase() }), fc.string(), (names, typed) => {
        const vault = names.filter((name) => name.trim() !== "" && !/[\u200b-\u200d\u2060\ufeff]|\s\s/.test(name)).map(entry);
        for (const item of vault) expect(findEntry(vault, shouted(item.name)).id).toBe(item.id);
        try {
          findEntry(vault, typed);
        } catch (error) {
          expect(isWatchwordError(error)).toBe(true);
        }
      }),
    );
  });
});

describe("finding a folder", () => {
  const folders = [{ id: "00000000-0000-4000-8000-0000000000f1", name: "Ops" }, { id: "00000000-0000-4000-8000-0000000000f2", name: "Operations" }] as Folder[];

  it("takes only a whole name or an id, so that a new name never lands in a folder it starts", () => {
    expect(findFolder(folders, "OPS").id).toBe(folders[0]!.id);
    expect(findFolder(folders, "operations").id).toBe(folders[1]!.id);
    expect(failure(() => findFolder(folders, "Oper")).message).toBe('No folder named "Oper": did you mean "Operations"?');
  });
});
