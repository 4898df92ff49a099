// Deleting an entry (managers), after saying plainly what goes with it.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDetail } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { Dialog } from "../../ui/dialog.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TrashIcon } from "../../ui/icons.js";
import { describeProblem } from "../../ui/problem-text.js";

interface DeleteEntryDialogProps {
  readonly entry: EntryDetail;
  readonly isOpen: boolean;
  readonly onClose: () => void;
  readonly onDeleted: () => void;
}

export function DeleteEntryDialog({ entry, isOpen, onClose, onDeleted }: DeleteEntryDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title={t("entries.detail.delete.title", { name: entry.name })} size="s" testId="delete-entry-dialog">
      <DeleteConfirmation entry={entry} onCancel={onClose} onDeleted={onDeleted} />
    </Dialog>
  );
}

function DeleteConfirmation({ entry, onCancel, onDeleted }: { entry: EntryDetail; onCancel: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const remove = async (): Promise<void> => {
    if (isBusy) return;
    setBusy(true);
    setError(undefined);
    try {
      await client.deleteEntry(entry.id);
      onDeleted();
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  return (
    <div className="confirm">
      <FormAlert message={error} />
      <p>{t("entries.detail.delete.body")}</p>
      <div className="form__actions">
        <Button variant="quiet" onClick={onCancel} autoFocus>
          {t("shell.cancel")}
        </Button>
        <Button variant="danger" icon={<TrashIcon className="button__icon" />} isBusy={isBusy} data-testid="confirm-delete" onClick={() => void remove()}>
          {t("entries.detail.delete.submit")}
        </Button>
      </div>
    </div>
  );
}
