import { describe, expect, it } from "vitest";
import { includedIndexes, initialSelection, moreVisible, PAGE_SIZE, selectionState, toggled, withAll } from "../../../web/src/imports/import-selection.js";

const rows = [
  { index: 0, duplicateOf: null },
  { index: 1, duplicateOf: { id: "e1", name: "AWS root" } },
  { index: 3, duplicateOf: null },
];

describe("choosing what an import creates", () => {
  it("starts with everything but the duplicates", () => {
    expect([...initialSelection(rows)]).toEqual([0, 3]);
    expect(selectionState(rows, initialSelection(rows))).toBe("some");
  });

  it("selects all, none, or one more", () => {
    expect(selectionState(rows, withAll(rows, true))).toBe("all");
    expect(selectionState(rows, withAll(rows, false))).toBe("none");
    expect(selectionState(rows, toggled(initialSelection(rows), 1, true))).toBe("all");
    expect([...toggled(new Set([0, 3]), 0, false)]).toEqual([3]);
  });

  it("sends the chosen indexes in the file's order", () => {
    expect(includedIndexes(rows, new Set([3, 0]))).toEqual([0, 3]);
  });

  it("shows rows a page at a time, up to the end", () => {
    expect(moreVisible(PAGE_SIZE, 10_000)).toBe(400);
    expect(moreVisible(9_900, 10_000)).toBe(10_000);
  });

  it("stays quick on a 10,000-account preview", () => {
    const many = Array.from({ length: 10_000 }, (_, index) => ({ index, duplicateOf: index % 10 === 0 ? { id: "x", name: "x" } : null }));
    const started = performance.now();
    let selected = initialSelection(many);
    for (let i = 0; i < 50; i += 1) selected = toggled(selected, i, i % 2 === 0);
    expect(selectionState(many, selected)).toBe("some");
    expect(includedIndexes(many, selected).length).toBeGreaterThan(8_900);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
