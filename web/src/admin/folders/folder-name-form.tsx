// The one form that names a folder, for a new folder (a card above the list) and for a rename (in
// the folder's row): a name is required, the server's refusal (e.g. a name already taken) is
// shown under the field, and an unchanged name saves nothing.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { Button } from "../../ui/button.js";
import { describeProblem } from "../../ui/problem-text.js";
import { TextField } from "../../ui/text-field.js";

const LOOKS = {
  card: { form: "form folder-form template-form-card", field: undefined, actions: "form__actions" },
  row: { form: "folder-row__form", field: "folder-row__field", actions: "folder-row__form-actions" },
} as const;

interface FolderNameFormProps {
  /** "" for a new folder. */
  readonly initialName: string;
  readonly label: string;
  readonly submitLabel: string;
  readonly look: keyof typeof LOOKS;
  readonly testIds: { readonly form: string; readonly name: string; readonly submit: string };
  /** Escape in the field cancels (in a row, where the form stands in for the folder's name). */
  readonly cancelsOnEscape?: boolean;
  readonly save: (name: string) => Promise<Folder>;
  readonly onSaved: (folder: Folder) => void;
  readonly onCancel: () => void;
}

export function FolderNameForm({ initialName, label, submitLabel, look, testIds, cancelsOnEscape = false, save, onSaved, onCancel }: FolderNameFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const classes = LOOKS[look];
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (name.trim() === "") return setError(t("admin.folders.nameRequired"));
    if (name.trim() === initialName) return onCancel();
    setBusy(true);
    try {
      onSaved(await save(name.trim()));
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  return (
    <form className={classes.form} noValidate onSubmit={(event) => void submit(event)} data-testid={testIds.form}>
      <TextField
        label={label}
        className={classes.field}
        value={name}
        maxLength={200}
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
      <div className={classes.actions}>
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
