// Naming a group, new (a card above the list) or renamed (in its card). FolderNameForm does the same
// for folders but is typed to Folder; merging the two is left for a change that may touch folders/.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Group } from "../../../../src/contract/groups.js";
import { Button } from "../../ui/button.js";
import { describeProblem } from "../../ui/problem-text.js";
import { TextField } from "../../ui/text-field.js";

interface Props {
  readonly group?: Group;
  readonly save: (name: string) => Promise<Group>;
  readonly onSaved: (group: Group) => void;
  readonly onCancel: () => void;
}

export function GroupNameForm({ group, save, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState(group?.name ?? "");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const kind = group === undefined ? "new" : "rename";
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const trimmed = name.trim();
    if (trimmed === "") return setError(t("problems.group_name_required"));
    if (trimmed === group?.name) return onCancel();
    setBusy(true);
    try {
      onSaved(await save(trimmed));
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  return (
    <form className={group === undefined ? "form template-form-card" : "form group-card__rename"} noValidate onSubmit={(event) => void submit(event)} data-testid={`${kind}-group-form`}>
      <TextField label={t("admin.groups.name")} value={name} maxLength={100} autoComplete="off" autoFocus error={error} data-testid={`${kind}-group-name`} onChange={(event) => (setName(event.target.value), setError(undefined))} />
      <div className="form__actions">
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid={`save-${kind}-group`}>
          {t(group === undefined ? "admin.groups.create" : "admin.groups.saveName")}
        </Button>
      </div>
    </form>
  );
}
