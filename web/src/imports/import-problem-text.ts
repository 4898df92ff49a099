// A row of an import preview that cannot be imported, said in the reader's language: its label
// (the file's own words, or one the server made up, such as "Line 3") and why, by key.
import type { TFunction } from "i18next";
import type { ImportPreviewProblem, ItemLabelKey } from "../../../src/contract/imports.js";
import { sayProblem } from "../ui/problem-text.js";

const LABELS = {
  entry: "imports.preview.labels.entry",
  item: "imports.preview.labels.item",
  line: "imports.preview.labels.line",
  gauth_transfer: "imports.preview.labels.gauth_transfer",
  qr_code: "imports.preview.labels.qr_code",
  qr_code_numbered: "imports.preview.labels.qr_code_numbered",
} as const satisfies Record<ItemLabelKey, string>;

export function describeImportProblem(row: ImportPreviewProblem, t: TFunction): { label: string; message: string } {
  // A key this page does not know (a newer server) shows as the server wrote it.
  const label = row.labelKey !== null && Object.hasOwn(LABELS, row.labelKey) ? t(LABELS[row.labelKey], { number: row.labelParams.number }) : row.label;
  return { label, message: sayProblem(row.key, row.params, t) ?? row.message };
}
