import { describe, expect, it } from "vitest";
import { entryListQueryOf, filterFromSearch, isFiltering, NO_FILTER, NO_FOLDER, searchOfFilter, tagChoicesOf } from "../../../web/src/entries/entry-filters.js";

describe("filtering My entries", () => {
  it("asks the server for the search as typed, trimmed, with the folder, tag and view", () => {
    expect(entryListQueryOf(NO_FILTER, "mine")).toEqual({});
    expect(entryListQueryOf({ ...NO_FILTER, query: "   " }, "all")).toEqual({ view: "all" });
    expect(entryListQueryOf({ query: "  Société prod ", folderId: NO_FOLDER, tag: "finance" }, "mine")).toEqual({ q: "Société prod", folderId: "none", tag: "finance" });
    expect(entryListQueryOf({ ...NO_FILTER, folderId: "f-cloud" }, "all")).toEqual({ folderId: "f-cloud", view: "all" });
  });

  it("knows when nothing is filtered", () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(isFiltering({ ...NO_FILTER, query: "  " })).toBe(false);
    expect(isFiltering({ ...NO_FILTER, tag: "prod" })).toBe(true);
  });

  it("offers the tags the server lists, alphabetically with their counts, and the chosen one if it is not among them", () => {
    const listed = [{ tag: "prod", entries: 40 }, { tag: "Finance", entries: 12 }, { tag: "chat", entries: 3 }];
    expect(tagChoicesOf(listed, "")).toEqual([{ tag: "chat", entries: 3 }, { tag: "Finance", entries: 12 }, { tag: "prod", entries: 40 }]);
    expect(tagChoicesOf(listed, "prod")).toHaveLength(3);
    expect(tagChoicesOf(listed, "gone").map((c) => c.tag)).toEqual(["chat", "Finance", "gone", "prod"]);
    expect(tagChoicesOf(undefined, "")).toEqual([]);
    expect(tagChoicesOf(undefined, "prod")).toEqual([{ tag: "prod" }]);
  });

  it("keeps the filter in the address and reads it back, leaving empty values out", () => {
    expect(searchOfFilter(NO_FILTER)).toBe("");
    expect(filterFromSearch(new URLSearchParams(""))).toEqual(NO_FILTER);
    const filter = { query: "société & co", folderId: NO_FOLDER, tag: "prod/eu" };
    expect(searchOfFilter(filter)).toBe("?q=soci%C3%A9t%C3%A9+%26+co&folder=none&tag=prod%2Feu");
    expect(filterFromSearch(new URLSearchParams(searchOfFilter(filter)))).toEqual(filter);
    expect(searchOfFilter({ ...NO_FILTER, tag: "dev" })).toBe("?tag=dev");
  });

  it("ignores address parameters it does not know", () => {
    expect(filterFromSearch(new URLSearchParams("?utm_source=mail&q=aws"))).toEqual({ ...NO_FILTER, query: "aws" });
  });
});
