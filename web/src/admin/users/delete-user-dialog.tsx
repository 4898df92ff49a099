// Deleting a user: who receives the entries they own (another enabled user who is not an auditor;
// the server refuses with the count when they own some and nobody is chosen), then Delete.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { User } from "../../../../src/contract/users.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { Dialog } from "../../ui/dialog.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TrashIcon } from "../../ui/icons.js";
import { describeProblem } from "../../ui/problem-text.js";
import { SelectField } from "../../ui/select-field.js";
import { personLabel } from "./people-queries.js";

interface Props {
  readonly user: User | undefined;
  readonly users: readonly User[];
  readonly onClose: () => void;
  readonly onDeleted: (user: User) => void;
}

export function DeleteUserDialog({ user, users, onClose, onDeleted }: Props) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={user !== undefined} onClose={onClose} title={t("admin.users.deleteTitle", { name: user === undefined ? "" : user.displayName || user.username })} size="s" testId="delete-user-dialog">
      {user === undefined ? null : <Confirmation user={user} recipients={users.filter((u) => u.id !== user.id && u.status !== "disabled" && u.role !== "auditor")} onClose={onClose} onDeleted={onDeleted} />}
    </Dialog>
  );
}

function Confirmation({ user, recipients, onClose, onDeleted }: { user: User; recipients: readonly User[]; onClose: () => void; onDeleted: (user: User) => void }) {
  const { t } = useTranslation();
  const [recipient, setRecipient] = useState(recipients[0]?.id ?? "");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const confirm = async (): Promise<void> => {
    if (isBusy) return;
    setBusy(true);
    setError(undefined);
    try {
      await client.deleteUser(user.id, recipient === "" ? undefined : recipient);
      onDeleted(user);
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  return (
    <div className="confirm">
      <FormAlert message={error} testId="delete-user-error" />
      <p>{t("admin.users.deleteBody")}</p>
      <SelectField label={t("admin.users.entriesTo")} hint={t("admin.users.entriesToHint")} value={recipient} data-testid="delete-user-recipient" onChange={(event) => setRecipient(event.target.value)}>
        {recipients.map((u) => (
          <option key={u.id} value={u.id}>
            {personLabel(u)}
          </option>
        ))}
        <option value="">{t("admin.users.entriesToNobody")}</option>
      </SelectField>
      <div className="form__actions">
        <Button variant="quiet" onClick={onClose} autoFocus>
          {t("shell.cancel")}
        </Button>
        <Button variant="danger" icon={<TrashIcon className="button__icon" />} isBusy={isBusy} data-testid="confirm-delete-user" onClick={() => void confirm()}>
          {t("admin.users.delete")}
        </Button>
      </div>
    </div>
  );
}
