// The rows of a file that cannot be imported, each with its label and why, in the reader's
// language: under a preview's good entries, or under the refusal of a file with nothing importable.
import type { TFunction } from "i18next";
import type { ImportPreviewProblem } from "../../../src/contract/imports.js";
import { describeImportProblem } from "./import-problem-text.js";

interface ImportProblemListProps {
  readonly rows: readonly ImportPreviewProblem[];
  /** How many rows there are in all, when more than those given (a "And 3 more." follows). */
  readonly total: number;
  readonly t: TFunction;
  readonly testId?: string;
}

export function ImportProblemList({ rows, total, t, testId }: ImportProblemListProps) {
  return (
    <>
      <ul className="import-problems__list" data-testid={testId}>
        {rows.map((row) => {
          const said = describeImportProblem(row, t);
          return (
            <li key={row.index}>
              <span className="import-problems__label">{said.label}</span>
              <span>{said.message}</span>
            </li>
          );
        })}
      </ul>
      {total > rows.length ? <p className="field__hint">{t("imports.preview.moreProblems", { count: total - rows.length })}</p> : null}
    </>
  );
}
