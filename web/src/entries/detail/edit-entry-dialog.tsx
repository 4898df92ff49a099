// Editing an entry's plain attributes (managers): name, folder, issuer, account, address,
// username, tags, notes and the template's text fields. Secrets are changed where they are shown.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDetail, Folder, UpdateEntryRequest } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { Dialog } from "../../ui/dialog.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TextAreaField } from "../../ui/text-area-field.js";
import { TextField } from "../../ui/text-field.js";
import { placeProblem } from "../add/seed-error.js";
import { checkFolderChoice, FolderSelect } from "../folder-select.js";
import { entryFieldLabel } from "../templates.js";
import { folderChoiceOf, resolveFolderForForm, type FolderChoice } from "../folders.js";
import { parseTags } from "./parse-tags.js";

interface EditEntryDialogProps {
  readonly entry: EntryDetail;
  readonly folders: readonly Folder[] | undefined;
  readonly isOpen: boolean;
  readonly onClose: () => void;
  readonly onSaved: (entry: EntryDetail) => void;
}

export function EditEntryDialog({ entry, folders, isOpen, onClose, onSaved }: EditEntryDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title={t("entries.detail.edit.title", { name: entry.name })} testId="edit-entry-dialog">
      <EditEntryForm entry={entry} folders={folders} onCancel={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

const FIELDS = ["name", "issuer", "account", "url", "username", "tags", "notes"] as const;
type EditField = (typeof FIELDS)[number];

function EditEntryForm({ entry, folders, onCancel, onSaved }: { entry: EntryDetail; folders: readonly Folder[] | undefined; onCancel: () => void; onSaved: (entry: EntryDetail) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<EditField, string>>({
    name: entry.name,
    issuer: entry.issuer ?? "",
    account: entry.account ?? "",
    url: entry.url ?? "",
    username: entry.username ?? "",
    tags: entry.tags.join(", "),
    notes: entry.notes ?? "",
  });
  const plainFields = entry.fields.filter((field) => field.type === "text" || field.type === "url");
  const [fieldValues, setFieldValues] = useState<Record<string, string>>(() => Object.fromEntries(plainFields.map((field) => [field.key, field.value ?? ""])));
  const [folder, setFolder] = useState<FolderChoice>(folderChoiceOf(entry.folderId));
  const [errors, setErrors] = useState<Partial<Record<EditField | "folder", string>>>({});
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  const set = (field: EditField) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const found: typeof errors = {};
    if (values.name.trim() === "") found.name = t("entries.add.errors.nameRequired");
    if (checkFolderChoice(folder) !== undefined) found.folder = t("entries.add.errors.folderNameRequired");
    setErrors(found);
    if (Object.keys(found).length > 0) return setFormError(undefined);
    setBusy(true);
    setFormError(undefined);
    const folderId = await resolveFolderForForm(folder, (error) => {
      setBusy(false);
      setErrors({ folder: placeProblem(error, [], t).message });
    });
    if (folderId === undefined) return;
    const request: UpdateEntryRequest = {
      name: values.name.trim(),
      folderId,
      issuer: values.issuer.trim(),
      account: values.account.trim(),
      url: values.url.trim(),
      username: values.username.trim(),
      tags: parseTags(values.tags),
      notes: values.notes,
      ...(plainFields.length === 0 ? {} : { fields: Object.fromEntries(plainFields.map((field) => [field.key, (fieldValues[field.key] ?? "").trim()])) }),
    };
    try {
      onSaved((await client.updateEntry(entry.id, request)).entry);
    } catch (error) {
      setBusy(false);
      const { field, message } = placeProblem(error, FIELDS, t);
      if (field === undefined) setFormError(message);
      else setErrors({ [field]: message });
    }
  };

  return (
    <form className="form form--dialog" noValidate onSubmit={(event) => void submit(event)} data-testid="edit-entry-form">
      <FormAlert message={formError} />
      <TextField label={t("entries.add.name")} value={values.name} maxLength={200} error={errors.name} onChange={set("name")} />
      <FolderSelect folders={folders} value={folder} onChange={setFolder} error={errors.folder} />
      <div className="form__row">
        <TextField label={t("entries.add.issuer")} labelNote={t("entries.add.optional")} value={values.issuer} maxLength={200} error={errors.issuer} onChange={set("issuer")} />
        <TextField label={t("entries.add.account")} labelNote={t("entries.add.optional")} value={values.account} maxLength={200} error={errors.account} onChange={set("account")} />
      </div>
      <div className="form__row">
        <TextField label={t("entries.detail.details.url")} labelNote={t("entries.add.optional")} type="url" inputMode="url" value={values.url} maxLength={2048} error={errors.url} onChange={set("url")} />
        <TextField label={t("entries.detail.details.username")} labelNote={t("entries.add.optional")} value={values.username} maxLength={200} autoComplete="off" error={errors.username} onChange={set("username")} />
      </div>
      {plainFields.map((field) => (
        <TextField
          key={field.key}
          label={entryFieldLabel(entry, field, t)}
          value={fieldValues[field.key] ?? ""}
          maxLength={10_000}
          onChange={(event) => setFieldValues((current) => ({ ...current, [field.key]: event.target.value }))}
        />
      ))}
      <TextField label={t("entries.detail.details.tags")} labelNote={t("entries.add.optional")} value={values.tags} error={errors.tags} hint={t("entries.detail.edit.tagsHint")} onChange={set("tags")} />
      <TextAreaField label={t("entries.detail.details.notes")} labelNote={t("entries.add.optional")} rows={3} value={values.notes} maxLength={10_000} error={errors.notes} onChange={set("notes")} />
      <div className="form__actions">
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="save-entry">
          {t("entries.detail.save")}
        </Button>
      </div>
    </form>
  );
}
