// One folder on the folders page: its name and how many entries it holds, renamed in place (the
// server's refusal, e.g. a name already taken, shown under the name field) or deleted.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FolderIcon, PencilIcon, TrashIcon } from "../../ui/icons.js";
import { Link } from "../../ui/router.js";
import { FolderNameForm } from "./folder-name-form.js";

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
        <FolderNameForm
          initialName={folder.name}
          label={t("admin.folders.renameLabel", { name: folder.name })}
          submitLabel={t("admin.folders.save")}
          look="row"
          testIds={{ form: "rename-folder-form", name: "rename-folder-name", submit: "save-folder-name" }}
          cancelsOnEscape
          save={(name) => client.renameFolder(folder.id, { name })}
          onCancel={() => setRenaming(false)}
          onSaved={(renamed) => {
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
