// Deleting a template of one's own: confirmed when no entry uses it; when entries do, the dialog
// says how many.
import { useTranslation } from "react-i18next";
import type { Template } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { sayProblem } from "../../ui/problem-text.js";
import { ConfirmDeleteDialog } from "../confirm-delete-dialog.js";

interface DeleteTemplateDialogProps {
  readonly template: Template | undefined;
  readonly onClose: () => void;
  readonly onDeleted: (template: Template) => void;
}

export function DeleteTemplateDialog({ template, onClose, onDeleted }: DeleteTemplateDialogProps) {
  const { t } = useTranslation();
  return (
    <ConfirmDeleteDialog
      item={template}
      kind="template"
      title={(item) => t("admin.templates.deleteTitle", { name: item?.name ?? "" })}
      refusal={(item) => {
        const count = item.entryCount ?? 0;
        if (count === 0) return undefined;
        return (
          <>
            <p data-testid="template-in-use-refusal">{sayProblem("template_in_use", { name: item.name, count }, t)}</p>
            <p className="field__hint">{t("admin.templates.deleteInUseHint")}</p>
          </>
        );
      }}
      body={t("admin.templates.deleteBody")}
      confirmLabel={t("admin.templates.deleteConfirm")}
      remove={(item) => client.deleteTemplate(item.id)}
      onClose={onClose}
      onDeleted={onDeleted}
    />
  );
}
