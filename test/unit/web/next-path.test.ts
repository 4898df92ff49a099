import { describe, expect, it } from "vitest";
import { safeNextPath, signInPathFor } from "../../../web/src/account/next-path.js";

describe("where sign-in leads", () => {
  it("returns to the page the person was going to", () => {
    expect(signInPathFor("/")).toBe("/sign-in");
    expect(signInPathFor("/entries?q=aws#top")).toBe("/sign-in?next=%2Fentries%3Fq%3Daws%23top");
    expect(safeNextPath(new URLSearchParams("next=%2Fentries%3Fq%3Daws%23top").get("next"))).toBe("/entries?q=aws#top");
  });

  it("goes home when there is nowhere to return to", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath("/sign-in")).toBe("/");
    expect(safeNextPath("/sign-in?next=/x")).toBe("/");
  });

  it("never leads to another site", () => {
    for (const next of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "evil", "/\u0000x"]) {
      expect(safeNextPath(next), next).toBe("/");
    }
  });
});
