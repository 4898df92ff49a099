// Where a refusal from the server belongs in an add-entry or overwrite-seed form: next to the
// field it names, or above the form.
import type { TFunction } from "i18next";
import { describeProblem, fieldOf } from "../../ui/problem-text.js";

export function placeProblem<F extends string>(error: unknown, fields: readonly F[], t: TFunction): { field?: F; message: string } {
  const named = fieldOf(error);
  const message = describeProblem(error, t);
  const field = fields.find((candidate) => candidate === named);
  return field === undefined ? { message } : { field, message };
}
