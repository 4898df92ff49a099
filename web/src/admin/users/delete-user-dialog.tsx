// Deleting a user (admin/confirm-delete-dialog.tsx): who receives the entries they own (another
// enabled user who is not an auditor; the server refuses with the count when they own some and
// nobody is chosen), then Delete.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { User } from "../../../../src/contract/users.js";
import { client } from "../../ui/api-client.js";
import { SelectField } from "../../ui/select-field.js";
import { ConfirmDeleteDialog } from "../confirm-delete-dialog.js";
import { personLabel } from "./people-queries.js";
import { useSudo } from "../../account/sudo.js";

interface Props {
  readonly user: User | undefined;
  readonly users: readonly User[];
  readonly onClose: () => void;
  readonly onDeleted: (user: User) => void;
}

export function DeleteUserDialog({ user, users, onClose, onDeleted }: Props) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  // The choice belongs to one opening of the dialog for one user: the next starts from the first recipient again.
  const [chosen, setChosen] = useState<{ readonly forUser: string; readonly recipient: string }>();
  const recipients = user === undefined ? [] : users.filter((u) => u.id !== user.id && u.status !== "disabled" && u.role !== "auditor");
  const recipient = chosen !== undefined && chosen.forUser === user?.id ? chosen.recipient : (recipients[0]?.id ?? "");
  return (
    <ConfirmDeleteDialog
      item={user}
      title={(shown) => t("admin.users.deleteTitle", { name: shown === undefined ? "" : shown.displayName || shown.username })}
      body={t("admin.users.deleteBody")}
      confirmLabel={t("admin.users.delete")}
      kind="user"
      fields={
        <SelectField
          label={t("admin.users.entriesTo")}
          hint={t("admin.users.entriesToHint")}
          value={recipient}
          data-testid="delete-user-recipient"
          onChange={(event) => user !== undefined && setChosen({ forUser: user.id, recipient: event.target.value })}
        >
          {recipients.map((u) => (
            <option key={u.id} value={u.id}>
              {personLabel(u)}
            </option>
          ))}
          <option value="">{t("admin.users.entriesToNobody")}</option>
        </SelectField>
      }
      remove={(shown) => withSudo(() => client.deleteUser(shown.id, recipient === "" ? undefined : recipient))}
      onClose={() => {
        setChosen(undefined);
        onClose();
      }}
      onDeleted={(deleted) => {
        setChosen(undefined);
        onDeleted(deleted);
      }}
    />
  );
}
