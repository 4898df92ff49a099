// Deleting a folder, a template, a group or a user: confirmed when nothing refers to it; while
// something does, the dialog says why (the server would refuse) and offers nothing to press but
// Close. Fields the deletion needs (who receives a user's entries) stand under the body.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../ui/button.js";
import { Dialog } from "../ui/dialog.js";
import { FormAlert } from "../ui/form-alert.js";
import { TrashIcon } from "../ui/icons.js";
import { describeProblem } from "../ui/problem-text.js";

export interface ConfirmDeleteDialogProps<T> {
  /** What to delete; undefined keeps the dialog closed. */
  readonly item: T | undefined;
  readonly title: (item: T | undefined) => string;
  /** Why it cannot be deleted now, or undefined when it can; by default it always can. */
  readonly refusal?: (item: T) => ReactNode | undefined;
  readonly body: string;
  /** What the deletion asks for besides the confirmation, under the body. */
  readonly fields?: ReactNode;
  readonly confirmLabel: string;
  /** data-testid prefix: "<kind>" gives delete-<kind>-dialog, delete-<kind>-error, confirm-delete-<kind>. */
  readonly kind: string;
  readonly remove: (item: T) => Promise<void>;
  readonly onClose: () => void;
  readonly onDeleted: (item: T) => void;
}

export function ConfirmDeleteDialog<T>(props: ConfirmDeleteDialogProps<T>) {
  const { item, onClose } = props;
  return (
    <Dialog isOpen={item !== undefined} onClose={onClose} title={props.title(item)} size="s" testId={`delete-${props.kind}-dialog`}>
      {item === undefined ? null : <Confirmation {...props} item={item} />}
    </Dialog>
  );
}

function Confirmation<T>({ item, refusal, body, fields, confirmLabel, kind, remove, onClose, onDeleted }: ConfirmDeleteDialogProps<T> & { item: T }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const confirm = async (): Promise<void> => {
    if (isBusy) return;
    setBusy(true);
    setError(undefined);
    try {
      await remove(item);
      onDeleted(item);
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  const refused = refusal?.(item);
  if (refused !== undefined) {
    return (
      <div className="confirm">
        {refused}
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
      <FormAlert message={error} testId={`delete-${kind}-error`} />
      <p>{body}</p>
      {fields}
      <div className="form__actions">
        <Button variant="quiet" onClick={onClose} autoFocus>
          {t("shell.cancel")}
        </Button>
        <Button variant="danger" icon={<TrashIcon className="button__icon" />} isBusy={isBusy} data-testid={`confirm-delete-${kind}`} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
      </div>
    </div>
  );
}
