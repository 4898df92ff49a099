import { describe, expect, it } from "vitest";
import { entryListQueryOf, filterFromSearch, isFiltering, NO_FILTER, NO_FOLDER, searchOfFilter, tagsOf } from "../../../web/src/entries/entry-filters.js";
import { all } from "../../support/search-entries.js";

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

  it("lists every tag once, alphabetically", () => {
    expect(tagsOf(all)).toEqual(["chat", "cloud", "finance", "prod"]);
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
