import { describe, expect, it } from "vitest";
import { NO_FILTER } from "../../../web/src/entries/entry-filters.js";
import { searchOfListing, viewFromSearch } from "../../../web/src/entries/entry-view.js";

describe("the Mine / All entries choice in the address", () => {
  it("reads ?view=all as every entry and anything else as one's own", () => {
    expect(viewFromSearch(new URLSearchParams("?view=all"))).toBe("all");
    for (const search of ["", "?view=mine", "?view=ALL", "?view=all%00", "?view=", `?view=${"a".repeat(10_000)}`, "?view=everything&view=all"]) {
      expect(viewFromSearch(new URLSearchParams(search)), search).toBe("mine");
    }
  });

  it("writes the view beside the filter, leaving the default out", () => {
    expect(searchOfListing(NO_FILTER, "mine")).toBe("");
    expect(searchOfListing(NO_FILTER, "all")).toBe("?view=all");
    expect(searchOfListing({ ...NO_FILTER, query: "aws", tag: "prod" }, "all")).toBe("?q=aws&tag=prod&view=all");
    const search = new URLSearchParams(searchOfListing({ ...NO_FILTER, query: "aws" }, "all"));
    expect([viewFromSearch(search), search.get("q")]).toEqual(["all", "aws"]);
  });
});
