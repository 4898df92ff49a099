// Deleting a template of one's own: confirmed when no entry uses it; when entries do, the dialog
// says how many (the server would refuse) and offers nothing to press but Close.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Template } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { Dialog } from "../../ui/dialog.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TrashIcon } from "../../ui/icons.js";
import { describeProblem, sayProblem } from "../../ui/problem-text.js";

interface DeleteTemplateDialogProps {
  readonly template: Template | undefined;
  readonly onClose: () => void;
  readonly onDeleted: (template: Template) => void;
}

export function DeleteTemplateDialog({ template, onClose, onDeleted }: DeleteTemplateDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={template !== undefined} onClose={onClose} title={t("admin.templates.deleteTitle", { name: template?.name ?? "" })} size="s" testId="delete-template-dialog">
      {template === undefined ? null : <Confirmation template={template} onClose={onClose} onDeleted={onDeleted} />}
    </Dialog>
  );
}

function Confirmation({ template, onClose, onDeleted }: { template: Template; onClose: () => void; onDeleted: (template: Template) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const count = template.entryCount ?? 0;
  const remove = async (): Promise<void> => {
    if (isBusy) return;
    setBusy(true);
    setError(undefined);
    try {
      await client.deleteTemplate(template.id);
      onDeleted(template);
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  if (count > 0) {
    return (
      <div className="confirm">
        <p data-testid="template-in-use-refusal">{sayProblem("template_in_use", { name: template.name, count }, t)}</p>
        <p className="field__hint">{t("admin.templates.deleteInUseHint")}</p>
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
      <FormAlert message={error} testId="delete-template-error" />
      <p>{t("admin.templates.deleteBody")}</p>
      <div className="form__actions">
        <Button variant="quiet" onClick={onClose} autoFocus>
          {t("shell.cancel")}
        </Button>
        <Button variant="danger" icon={<TrashIcon className="button__icon" />} isBusy={isBusy} data-testid="confirm-delete-template" onClick={() => void remove()}>
          {t("admin.templates.deleteConfirm")}
        </Button>
      </div>
    </div>
  );
}
