// The state of a small form whose fields the browser checks before sending (with the setup
// form's rules) and the server checks again: browser problems show once the person has tried to
// submit and then follow their typing; a server refusal shows next to the field it names, or
// above the form when it names none; the first field at fault takes focus.
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { describeProblem, fieldOf } from "../ui/problem-text.js";
import type { SetupProblem } from "../setup/validate-setup.js";

export type FieldProblems<F extends string> = Partial<Record<F, SetupProblem>>;

export function useCheckedForm<F extends string>(initial: Readonly<Record<F, string>>, check: (values: Readonly<Record<F, string>>) => FieldProblems<F>) {
  const { t } = useTranslation();
  const [values, setValues] = useState(initial);
  const [hasTriedSubmit, setTriedSubmit] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<F, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const inputs = useRef<Partial<Record<F, HTMLInputElement | null>>>({});

  const problems = check(values);
  const say = (problem: SetupProblem): string => ("length" in problem ? t(`errors.${problem.key}`, { length: problem.length }) : t(`errors.${problem.key}`));
  const errorOf = (field: F): string | undefined => {
    const problem = problems[field];
    return hasTriedSubmit && problem !== undefined ? say(problem) : serverErrors[field];
  };

  /** What each field's input takes from the form: its name, value, error and focus handle. */
  const fieldProps = (field: F) => ({
    ref: (input: HTMLInputElement | null) => {
      inputs.current[field] = input;
    },
    name: field,
    value: values[field],
    error: errorOf(field),
    onChange: (event: { target: { value: string } }) => {
      setValues((current) => ({ ...current, [field]: event.target.value }));
      setServerErrors((current) => ({ ...current, [field]: undefined }));
    },
  });

  /** On submit: true when the fields (in this order) pass the browser's checks and the form is now busy. */
  const start = (fields: readonly F[]): boolean => {
    if (isBusy) return false;
    setTriedSubmit(true);
    const firstInvalid = fields.find((field) => problems[field] !== undefined);
    if (firstInvalid !== undefined) {
      setFormError(t("errors.checkFields"));
      inputs.current[firstInvalid]?.focus();
      return false;
    }
    setBusy(true);
    setFormError(undefined);
    setServerErrors({});
    return true;
  };

  /** The server refused: `toField` says which of the form's fields the request field it names is. */
  const refuse = (error: unknown, toField: (requestField: string | undefined) => F | undefined): void => {
    setBusy(false);
    const field = toField(fieldOf(error));
    if (field === undefined) {
      setFormError(describeProblem(error, t));
      return;
    }
    setServerErrors({ [field]: describeProblem(error, t) } as Partial<Record<F, string>>);
    setFormError(t("errors.checkFields"));
    inputs.current[field]?.focus();
  };

  /** Sent: the form starts again from `next`, its checks waiting for the next submit. */
  const finish = (next: Readonly<Record<F, string>> = values): void => {
    setBusy(false);
    setTriedSubmit(false);
    setValues(next);
  };

  return { values, formError, isBusy, fieldProps, start, refuse, finish };
}
