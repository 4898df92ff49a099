import { describe, expect, it } from "vitest";
import { parseTags } from "../../../web/src/entries/detail/parse-tags.js";

describe("reading tags typed in one box", () => {
  it("splits on commas and trims", () => {
    expect(parseTags(" cloud,  prod ,finance")).toEqual(["cloud", "prod", "finance"]);
  });

  it("drops empty tags and repeats in any case", () => {
    expect(parseTags("cloud,,Cloud, ,prod")).toEqual(["cloud", "prod"]);
    expect(parseTags("")).toEqual([]);
  });

  it("keeps within the API's limits", () => {
    expect(parseTags("x".repeat(80))).toEqual(["x".repeat(50)]);
    expect(parseTags(Array.from({ length: 40 }, (_, i) => `t${i}`).join(","))).toHaveLength(30);
  });
});
