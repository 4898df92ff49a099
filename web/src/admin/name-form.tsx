// The one form that names something on the admin pages (a folder, a group), new (a card above the
// list) or renamed (in its row or card): a name is required, the server's refusal (e.g. a name
// already taken) is shown under the field, and an unchanged name saves nothing.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../ui/button.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";

export interface NameFormLook {
  readonly form: string;
  readonly field?: string | undefined;
  readonly actions: string;
}

interface NameFormProps<T> {
  /** "" for something new. */
  readonly initialName: string;
  readonly label: string;
  readonly submitLabel: string;
  /** Said under the field when it is left empty. */
  readonly requiredText: string;
  readonly maxLength: number;
  readonly look: NameFormLook;
  readonly testIds: { readonly form: string; readonly name: string; readonly submit: string };
  /** Escape in the field cancels (in a row, where the form stands in for the name). */
  readonly cancelsOnEscape?: boolean;
  readonly save: (name: string) => Promise<T>;
  readonly onSaved: (saved: T) => void;
  readonly onCancel: () => void;
}

export function NameForm<T>({ initialName, label, submitLabel, requiredText, maxLength, look, testIds, cancelsOnEscape = false, save, onSaved, onCancel }: NameFormProps<T>) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const trimmed = name.trim();
    if (trimmed === "") return setError(requiredText);
    if (trimmed === initialName) return onCancel();
    setBusy(true);
    try {
      onSaved(await save(trimmed));
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  return (
    <form className={look.form} noValidate onSubmit={(event) => void submit(event)} data-testid={testIds.form}>
      <TextField
        label={label}
        className={look.field}
        value={name}
        maxLength={maxLength}
        autoComplete="off"
        autoFocus
        error={error}
        data-testid={testIds.name}
        onChange={(event) => {
          setName(event.target.value);
          setError(undefined);
        }}
        onKeyDown={(event) => {
          if (cancelsOnEscape && event.key === "Escape") {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      <div className={look.actions}>
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid={testIds.submit}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
