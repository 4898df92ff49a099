// Deleting a folder: confirmed when it is empty; while it holds entries the dialog says how many
// (the server would refuse) and offers nothing to press but Close.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { Dialog } from "../../ui/dialog.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TrashIcon } from "../../ui/icons.js";
import { describeProblem, sayProblem } from "../../ui/problem-text.js";

interface DeleteFolderDialogProps {
  readonly folder: Folder | undefined;
  readonly onClose: () => void;
  readonly onDeleted: (folder: Folder) => void;
}

export function DeleteFolderDialog({ folder, onClose, onDeleted }: DeleteFolderDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={folder !== undefined} onClose={onClose} title={t("admin.folders.deleteTitle", { name: folder?.name ?? "" })} size="s" testId="delete-folder-dialog">
      {folder === undefined ? null : <Confirmation folder={folder} onClose={onClose} onDeleted={onDeleted} />}
    </Dialog>
  );
}

function Confirmation({ folder, onClose, onDeleted }: { folder: Folder; onClose: () => void; onDeleted: (folder: Folder) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const remove = async (): Promise<void> => {
    if (isBusy) return;
    setBusy(true);
    setError(undefined);
    try {
      await client.deleteFolder(folder.id);
      onDeleted(folder);
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  if (folder.entryCount > 0) {
    return (
      <div className="confirm">
        <p data-testid="folder-not-empty">{sayProblem("folder_not_empty", { name: folder.name, count: folder.entryCount }, t)}</p>
        <div className="form__actions">
          <Button variant="primary" onClick={onClose} autoFocus>
            {t("shell.close")}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="confirm">
      <FormAlert message={error} testId="delete-folder-error" />
      <p>{t("admin.folders.deleteBody")}</p>
      <div className="form__actions">
        <Button variant="quiet" onClick={onClose} autoFocus>
          {t("shell.cancel")}
        </Button>
        <Button variant="danger" icon={<TrashIcon className="button__icon" />} isBusy={isBusy} data-testid="confirm-delete-folder" onClick={() => void remove()}>
          {t("admin.folders.deleteConfirm")}
        </Button>
      </div>
    </div>
  );
}
