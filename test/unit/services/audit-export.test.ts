// The audit export's cells and the listing's cursors: RFC 4180 quoting, formula neutralising, and
// cursors that only this server's own spelling passes.
import { describe, expect, it } from "vitest";
import { csvCell } from "../../../src/services/audit-export.js";
import { cursorAfter, seqOfCursor } from "../../../src/services/audit-reading.js";

describe("CSV cells of the audit export", () => {
  it("quotes what RFC 4180 says must be quoted, doubling quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
  });

  it("puts a ' before text a spreadsheet would run as a formula", () => {
    for (const text of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(text).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("a=1")).toBe("a=1");
    expect(csvCell(-1)).toBe("-1");
  });
});

describe("audit cursors", () => {
  it("reads back the cursor it wrote", () => {
    for (const seq of [1, 7, 1204, Number.MAX_SAFE_INTEGER]) expect(seqOfCursor(cursorAfter(seq))).toBe(seq);
  });

  it("refuses every other spelling", () => {
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    for (const cursor of ["", "seq:5", b64("seq:0"), b64("seq:05"), b64("seq:-5"), b64("seq:5.0"), b64("seq: 5"), b64("SEQ:5"), b64("seq:9007199254740993"), `${cursorAfter(5)}=`, `${cursorAfter(5)}A`, "%%%"]) {
      expect(() => seqOfCursor(cursor), cursor).toThrow(expect.objectContaining({ code: "invalid_input" }));
    }
  });
});
