// One field of a template being defined: its label, key, type and whether entries must fill it
// in, with buttons to move it up or down the list and to remove it. A locked field (entries use
// the template) keeps its key and type and cannot be removed; its label and order may change.
import { useTranslation } from "react-i18next";
import type { TemplateFieldType } from "../../../../src/contract/entries.js";
import { CheckboxField } from "../../ui/checkbox-field.js";
import { ArrowDownIcon, ArrowUpIcon, TrashIcon } from "../../ui/icons.js";
import { SelectField } from "../../ui/select-field.js";
import { TextField } from "../../ui/text-field.js";
import { FIELD_TYPES, MAX_KEY_LENGTH, MAX_LABEL_LENGTH, type FieldDraft } from "./template-checks.js";

export type RowPart = "label" | "key" | "type" | "up" | "down" | "remove";

interface TemplateFieldRowProps {
  readonly field: FieldDraft;
  readonly position: number;
  readonly count: number;
  readonly errors: { label?: string | undefined; key?: string | undefined; type?: string | undefined };
  readonly onChange: (change: { label: string } | { key: string } | { type: TemplateFieldType } | { isRequired: boolean }) => void;
  readonly onMove: (offset: -1 | 1) => void;
  readonly onRemove: () => void;
  /** Registers the row's controls, so the form can move focus to them. */
  readonly register: (part: RowPart, element: HTMLElement | null) => void;
}

export function TemplateFieldRow({ field, position, count, errors, onChange, onMove, onRemove, register }: TemplateFieldRowProps) {
  const { t } = useTranslation();
  const name = field.label.trim() === "" ? t("admin.templates.form.fieldNumber", { position }) : field.label.trim();
  return (
    <li className="template-field" data-testid="template-field-row">
      <div className="template-field__head">
        <span className="template-field__position" aria-hidden="true">
          {position}
        </span>
        <span className="template-field__title">{name}</span>
        <div className="template-field__tools">
          <button
            ref={(element) => register("up", element)}
            type="button"
            className="icon-button"
            disabled={position === 1}
            aria-label={t("admin.templates.form.moveUp", { name })}
            title={t("admin.templates.form.moveUpShort")}
            onClick={() => onMove(-1)}
          >
            <ArrowUpIcon />
          </button>
          <button
            ref={(element) => register("down", element)}
            type="button"
            className="icon-button"
            disabled={position === count}
            aria-label={t("admin.templates.form.moveDown", { name })}
            title={t("admin.templates.form.moveDownShort")}
            onClick={() => onMove(1)}
          >
            <ArrowDownIcon />
          </button>
          <button
            ref={(element) => register("remove", element)}
            type="button"
            className="icon-button icon-button--danger"
            disabled={field.isLocked === true}
            aria-label={t("admin.templates.form.remove", { name })}
            title={field.isLocked === true ? t("admin.templates.form.lockedShort") : t("admin.templates.form.removeShort")}
            onClick={onRemove}
          >
            <TrashIcon />
          </button>
        </div>
      </div>
      <div className="template-field__grid">
        <TextField
          ref={(element) => register("label", element)}
          label={t("admin.templates.form.label")}
          value={field.label}
          maxLength={MAX_LABEL_LENGTH + 20}
          autoComplete="off"
          error={errors.label}
          data-testid="template-field-label"
          onChange={(event) => onChange({ label: event.target.value })}
        />
        <TextField
          ref={(element) => register("key", element)}
          label={t("admin.templates.form.key")}
          className="field--mono"
          value={field.key}
          maxLength={MAX_KEY_LENGTH + 10}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          readOnly={field.isLocked === true}
          error={errors.key}
          data-testid="template-field-key"
          onChange={(event) => onChange({ key: event.target.value })}
        />
        <SelectField
          ref={(element) => register("type", element)}
          label={t("admin.templates.form.type")}
          value={field.type}
          disabled={field.isLocked === true}
          error={errors.type}
          data-testid="template-field-type"
          onChange={(event) => onChange({ type: event.target.value as TemplateFieldType })}
        >
          {FIELD_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`admin.templates.types.${type}`)}
            </option>
          ))}
        </SelectField>
        <CheckboxField
          className="template-field__required"
          label={t("admin.templates.form.required")}
          checked={field.isRequired}
          data-testid="template-field-required"
          onChange={(event) => onChange({ isRequired: event.target.checked })}
        />
      </div>
    </li>
  );
}
