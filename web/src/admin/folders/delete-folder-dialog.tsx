// Deleting a folder: confirmed when it is empty; while it holds entries the dialog says how many.
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { sayProblem } from "../../ui/problem-text.js";
import { ConfirmDeleteDialog } from "../confirm-delete-dialog.js";

interface DeleteFolderDialogProps {
  readonly folder: Folder | undefined;
  readonly onClose: () => void;
  readonly onDeleted: (folder: Folder) => void;
}

export function DeleteFolderDialog({ folder, onClose, onDeleted }: DeleteFolderDialogProps) {
  const { t } = useTranslation();
  return (
    <ConfirmDeleteDialog
      item={folder}
      kind="folder"
      title={(item) => t("admin.folders.deleteTitle", { name: item?.name ?? "" })}
      refusal={(item) =>
        item.entryCount > 0 ? <p data-testid="folder-not-empty">{sayProblem("folder_not_empty", { name: item.name, count: item.entryCount }, t)}</p> : undefined
      }
      body={t("admin.folders.deleteBody")}
      confirmLabel={t("admin.folders.deleteConfirm")}
      remove={(item) => client.deleteFolder(item.id)}
      onClose={onClose}
      onDeleted={onDeleted}
    />
  );
}
