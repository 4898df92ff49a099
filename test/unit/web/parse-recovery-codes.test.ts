import { describe, expect, it } from "vitest";
import { parseRecoveryCodes } from "../../../web/src/entries/detail/parse-recovery-codes.js";

describe("reading pasted recovery codes", () => {
  it("takes one code per line and drops blank lines and spaces around them", () => {
    expect(parseRecoveryCodes("  abcd-efgh \n\n ijkl-mnop\r\nqrst uvwx\n")).toEqual(["abcd-efgh", "ijkl-mnop", "qrst uvwx"]);
  });

  it("drops the numbering services print before each code", () => {
    expect(parseRecoveryCodes("1. 1234-5678\n2) 2345-6789\n10. 9999-0000")).toEqual(["1234-5678", "2345-6789", "9999-0000"]);
  });

  it("splits a single line of codes separated by commas or wide spaces", () => {
    expect(parseRecoveryCodes("aaaa-1111, bbbb-2222; cccc-3333")).toEqual(["aaaa-1111", "bbbb-2222", "cccc-3333"]);
    expect(parseRecoveryCodes("aaaa 1111    bbbb 2222")).toEqual(["aaaa 1111", "bbbb 2222"]);
  });

  it("finds nothing in nothing", () => {
    expect(parseRecoveryCodes(" \n \n")).toEqual([]);
  });
});
