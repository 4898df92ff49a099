// Naming a folder, new (a card above the list) or renamed (in the folder's row): admin/name-form.tsx
// with a folder's length, wording and looks.
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { NameForm } from "../name-form.js";

const LOOKS = {
  card: { form: "form folder-form template-form-card", field: undefined, actions: "form__actions" },
  row: { form: "folder-row__form", field: "folder-row__field", actions: "folder-row__form-actions" },
} as const;

interface FolderNameFormProps {
  /** "" for a new folder. */
  readonly initialName: string;
  readonly label: string;
  readonly submitLabel: string;
  readonly look: keyof typeof LOOKS;
  readonly testIds: { readonly form: string; readonly name: string; readonly submit: string };
  /** Escape in the field cancels (in a row, where the form stands in for the folder's name). */
  readonly cancelsOnEscape?: boolean;
  readonly save: (name: string) => Promise<Folder>;
  readonly onSaved: (folder: Folder) => void;
  readonly onCancel: () => void;
}

export function FolderNameForm({ look, ...props }: FolderNameFormProps) {
  const { t } = useTranslation();
  return <NameForm {...props} look={LOOKS[look]} maxLength={200} requiredText={t("admin.folders.nameRequired")} />;
}
