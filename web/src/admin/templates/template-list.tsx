// The templates an entry can be made from: built-in ones first, each with its fields, their
// types and whether entries must fill them in. Administrators' own templates say how many entries
// use them and offer Edit and Delete.
import { useTranslation } from "react-i18next";
import type { Template } from "../../../../src/contract/entries.js";
import { fieldLabel, templateName } from "../../entries/templates.js";
import { Button } from "../../ui/button.js";
import { PencilIcon, TrashIcon } from "../../ui/icons.js";

interface TemplateListProps {
  readonly templates: readonly Template[];
  readonly highlightId?: string | undefined;
  readonly onEdit: (template: Template) => void;
  readonly onDelete: (template: Template) => void;
}

export function TemplateList({ templates, highlightId, onEdit, onDelete }: TemplateListProps) {
  const { t } = useTranslation();
  const sorted = [...templates].sort((a, b) => Number(b.builtIn) - Number(a.builtIn));
  return (
    <ul className="template-list" data-testid="template-list">
      {sorted.map((template) => {
        const name = templateName(template.id, template.name, t);
        return (
          <li key={template.id} className={`template-card${template.id === highlightId ? " template-card--new" : ""}`} data-testid="template-card">
            <div className="template-card__head">
              <h3 className="template-card__name">{name}</h3>
              {template.builtIn ? <span className="badge badge--muted">{t("admin.templates.builtIn")}</span> : null}
            </div>
            {template.entryCount === undefined ? null : (
              <p className="template-card__usage" data-testid="template-usage">
                {template.entryCount === 0 ? t("admin.templates.unused") : t("admin.templates.usedBy", { count: template.entryCount })}
              </p>
            )}
            <table className="template-card__fields">
              <caption className="visually-hidden">{t("admin.templates.fieldsOf", { name })}</caption>
              <thead className="visually-hidden">
                <tr>
                  <th scope="col">{t("admin.templates.form.label")}</th>
                  <th scope="col">{t("admin.templates.form.type")}</th>
                  <th scope="col">{t("admin.templates.form.required")}</th>
                </tr>
              </thead>
              <tbody>
                {template.fields.map((field) => (
                  <tr key={field.key}>
                    <th scope="row" className="template-card__label">
                      {fieldLabel(template, field, t)}
                      <code className="template-card__key" title={t("admin.templates.form.key")}>
                        {field.key}
                      </code>
                    </th>
                    <td className="template-card__type">{t(`admin.templates.types.${field.type}`)}</td>
                    <td className="template-card__required">{field.required ? t("admin.templates.isRequired") : t("admin.templates.isOptional")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {template.builtIn ? null : (
              <div className="template-card__actions">
                <Button variant="secondary" icon={<PencilIcon className="button__icon" />} aria-label={t("admin.templates.editNamed", { name })} data-testid="edit-template" onClick={() => onEdit(template)}>
                  {t("admin.templates.edit")}
                </Button>
                <Button variant="quiet" className="button--quiet-danger" icon={<TrashIcon className="button__icon" />} aria-label={t("admin.templates.deleteNamed", { name })} data-testid="delete-template" onClick={() => onDelete(template)}>
                  {t("admin.templates.delete")}
                </Button>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
