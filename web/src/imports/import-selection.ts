// Which rows of an import preview are included, and how many are on screen. Duplicates of
// existing entries start unticked (importing them twice is rarely wanted); everything else
// starts ticked. Rows appear 200 at a time so a 10,000-account export stays quick.
import type { ImportPreviewEntry } from "../../../src/contract/imports.js";

export const PAGE_SIZE = 200;

type Row = Pick<ImportPreviewEntry, "index" | "duplicateOf">;

export const initialSelection = (entries: readonly Row[]): Set<number> =>
  new Set(entries.filter((entry) => entry.duplicateOf === null).map((entry) => entry.index));

export function withAll(entries: readonly Row[], isIncluded: boolean): Set<number> {
  return isIncluded ? new Set(entries.map((entry) => entry.index)) : new Set();
}

export function toggled(selected: ReadonlySet<number>, index: number, isIncluded: boolean): Set<number> {
  const next = new Set(selected);
  if (isIncluded) next.add(index);
  else next.delete(index);
  return next;
}

export function selectionState(entries: readonly Row[], selected: ReadonlySet<number>): "none" | "some" | "all" {
  const count = entries.reduce((sum, entry) => sum + (selected.has(entry.index) ? 1 : 0), 0);
  return count === 0 ? "none" : count === entries.length ? "all" : "some";
}

/** The indexes to send, in the file's order. */
export const includedIndexes = (entries: readonly Row[], selected: ReadonlySet<number>): number[] =>
  entries.filter((entry) => selected.has(entry.index)).map((entry) => entry.index);

export const moreVisible = (visible: number, total: number): number => Math.min(total, visible + PAGE_SIZE);
