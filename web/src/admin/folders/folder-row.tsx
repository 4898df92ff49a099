// One folder on the folders page: its name and how many entries it holds, renamed in place (the
// server's refusal, e.g. a name already taken, shown under the name field) or deleted.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FolderIcon, PencilIcon, TrashIcon } from "../../ui/icons.js";
import { describeProblem } from "../../ui/problem-text.js";
import { Link } from "../../ui/router.js";
import { TextField } from "../../ui/text-field.js";

interface FolderRowProps {
  readonly folder: Folder;
  readonly onRenamed: (folder: Folder) => void;
  readonly onDelete: () => void;
}

export function FolderRow({ folder, onRenamed, onDelete }: FolderRowProps) {
  const { t } = useTranslation();
  const [isRenaming, setRenaming] = useState(false);
  return (
    <li className="folder-row" data-testid="folder-row">
      <FolderIcon className="folder-row__icon" width={18} height={18} />
      {isRenaming ? (
        <RenameForm
          folder={folder}
          onCancel={() => setRenaming(false)}
          onRenamed={(renamed) => {
            setRenaming(false);
            onRenamed(renamed);
          }}
        />
      ) : (
        <>
          <div className="folder-row__text">
            <Link to={`/admin/folders/${folder.id}`} className="folder-row__name" data-testid="folder-name">
              {folder.name}
            </Link>
            <span className="folder-row__count" data-testid="folder-count">
              {folder.entryCount === 0 ? t("admin.folders.noEntries") : t("admin.folders.entries", { count: folder.entryCount })}
            </span>
          </div>
          <div className="folder-row__actions">
            <Button variant="secondary" icon={<PencilIcon className="button__icon" />} aria-label={t("admin.folders.renameNamed", { name: folder.name })} data-testid="rename-folder" onClick={() => setRenaming(true)}>
              {t("admin.folders.rename")}
            </Button>
            <Button variant="quiet" className="button--quiet-danger" icon={<TrashIcon className="button__icon" />} aria-label={t("admin.folders.deleteNamed", { name: folder.name })} data-testid="delete-folder" onClick={onDelete}>
              {t("admin.folders.delete")}
            </Button>
          </div>
        </>
      )}
    </li>
  );
}

function RenameForm({ folder, onRenamed, onCancel }: { folder: Folder; onRenamed: (folder: Folder) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(folder.name);
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (name.trim() === "") return setError(t("admin.folders.nameRequired"));
    if (name.trim() === folder.name) return onCancel();
    setBusy(true);
    try {
      onRenamed(await client.renameFolder(folder.id, { name: name.trim() }));
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  return (
    <form className="folder-row__form" noValidate onSubmit={(event) => void submit(event)} data-testid="rename-folder-form">
      <TextField
        label={t("admin.folders.renameLabel", { name: folder.name })}
        className="folder-row__field"
        value={name}
        maxLength={200}
        autoComplete="off"
        autoFocus
        error={error}
        data-testid="rename-folder-name"
        onChange={(event) => {
          setName(event.target.value);
          setError(undefined);
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      <div className="folder-row__form-actions">
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="save-folder-name">
          {t("admin.folders.save")}
        </Button>
      </div>
    </form>
  );
}
