// "New template", or editing one: a name and a list of typed fields, checked here first and then
// by the server, whose refusals land next to the field they name. Editing a template entries use
// keeps each of its fields, with its key and type (the server refuses otherwise).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Template } from "../../../../src/contract/entries.js";
import { useAnnounce } from "../../ui/announcer.js";
import { ApiError, client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { ErrorIcon, InfoIcon, PlusIcon } from "../../ui/icons.js";
import { FormAlert } from "../../ui/form-alert.js";
import { describeProblem } from "../../ui/problem-text.js";
import { TextField } from "../../ui/text-field.js";
import {
  checkTemplate,
  draftOf,
  type TemplateProblem,
  hasProblems,
  MAX_FIELDS,
  moveField,
  newFieldDraft,
  placeServerField,
  templateRequest,
  withKey,
  withLabel,
  type FieldDraft,
  type TemplateDraft,
} from "./template-checks.js";
import { TemplateFieldRow, type RowPart } from "./template-field-row.js";

type RowErrors = { label?: string; key?: string; type?: string };
interface ServerErrors {
  name?: string;
  fields?: string;
  rows: Record<string, RowErrors>;
}

interface TemplateFormProps {
  /** The template to edit; a new one when absent. */
  readonly template?: Template | undefined;
  readonly onSaved: (template: Template) => void;
  readonly onCancel: () => void;
}

export function TemplateForm({ template, onSaved, onCancel }: TemplateFormProps) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [draft, setDraft] = useState<TemplateDraft>(() => (template === undefined ? { name: "", fields: [newFieldDraft()] } : draftOf(template)));
  const usage = template?.entryCount ?? 0;
  const [hasTried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<ServerErrors>({ rows: {} });
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const controls = useRef(new Map<string, HTMLElement>());
  const [focusTarget, setFocusTarget] = useState<string>();

  // Editing starts at the template's name, scrolled into view (the form opens above the list).
  useEffect(() => {
    if (template === undefined) return;
    const name = controls.current.get("name");
    name?.scrollIntoView({ block: "center" });
    name?.focus();
    // Only when the form opens.
  }, []);

  useEffect(() => {
    if (focusTarget === undefined) return;
    controls.current.get(focusTarget)?.focus();
    setFocusTarget(undefined);
  }, [focusTarget]);

  const register = (name: string) => (element: HTMLElement | null) => {
    if (element === null) controls.current.delete(name);
    else controls.current.set(name, element);
  };

  const problems = checkTemplate(draft);
  const say = (problem: TemplateProblem | undefined): string | undefined => (problem === undefined ? undefined : t(`admin.templates.errors.${problem}`, { max: MAX_FIELDS }));
  const nameError = (hasTried ? say(problems.name) : undefined) ?? serverErrors.name;
  const listError = (hasTried ? say(problems.fields) : undefined) ?? serverErrors.fields;
  const rowErrors = (id: string): RowErrors => {
    const own = hasTried ? problems.rows[id] : undefined;
    const server = serverErrors.rows[id] ?? {};
    return { label: say(own?.label) ?? server.label, key: say(own?.key) ?? server.key, type: say(own?.type) ?? server.type };
  };

  const updateFields = (fields: readonly FieldDraft[]): void => {
    setDraft((current) => ({ ...current, fields }));
    setServerErrors((current) => ({ ...current, fields: undefined }));
  };

  const changeRow = (id: string, change: Parameters<Parameters<typeof TemplateFieldRow>[0]["onChange"]>[0]): void => {
    setDraft((current) => ({
      ...current,
      fields: current.fields.map((field) => {
        if (field.id !== id) return field;
        if ("label" in change) return withLabel(field, change.label);
        if ("key" in change) return withKey(field, change.key);
        return { ...field, ...change };
      }),
    }));
    const part = Object.keys(change)[0];
    setServerErrors((current) => ({
      ...current,
      fields: undefined,
      rows: { ...current.rows, [id]: { ...current.rows[id], [part === "isRequired" ? "type" : (part ?? "")]: undefined } },
    }));
  };

  const addField = (): void => {
    const field = newFieldDraft();
    updateFields([...draft.fields, field]);
    setFocusTarget(`${field.id}:label`);
  };

  const removeField = (id: string): void => {
    const index = draft.fields.findIndex((field) => field.id === id);
    const removed = draft.fields[index];
    const rest = draft.fields.filter((field) => field.id !== id);
    updateFields(rest);
    const neighbour = rest[Math.min(index, rest.length - 1)];
    setFocusTarget(neighbour === undefined ? "add" : `${neighbour.id}:remove`);
    announce(t("admin.templates.form.removed", { name: removed?.label.trim() || t("admin.templates.form.fieldNumber", { position: index + 1 }) }));
  };

  const move = (id: string, offset: -1 | 1): void => {
    const next = moveField(draft.fields, id, offset);
    const position = next.findIndex((field) => field.id === id) + 1;
    updateFields(next);
    const isAtEdge = offset === -1 ? position === 1 : position === next.length;
    const direction: RowPart = (offset === -1) !== isAtEdge ? "up" : "down";
    setFocusTarget(`${id}:${direction}`);
    const label = next[position - 1]?.label.trim();
    announce(t("admin.templates.form.moved", { name: label || t("admin.templates.form.fieldNumber", { position }), position, total: next.length }));
  };

  const focusFirstProblem = (): void => {
    if (problems.name !== undefined) return setFocusTarget("name");
    if (problems.fields !== undefined) return setFocusTarget("add");
    const row = draft.fields.find((field) => problems.rows[field.id] !== undefined);
    const rowProblems = row === undefined ? undefined : problems.rows[row.id];
    if (row !== undefined) setFocusTarget(`${row.id}:${rowProblems?.label !== undefined ? "label" : rowProblems?.key !== undefined ? "key" : "type"}`);
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setTried(true);
    setFormError(undefined);
    if (hasProblems(problems)) return focusFirstProblem();
    setBusy(true);
    try {
      const request = templateRequest(draft);
      onSaved(template === undefined ? await client.createTemplate(request) : await client.updateTemplate(template.id, request));
    } catch (error) {
      setBusy(false);
      const message = describeProblem(error, t);
      const place = placeServerField(error instanceof ApiError ? error.field : undefined);
      const row = place.kind === "row" ? draft.fields[place.index] : undefined;
      if (place.kind === "name") {
        setServerErrors({ rows: {}, name: message });
        setFocusTarget("name");
      } else if (place.kind === "fields") {
        setServerErrors({ rows: {}, fields: message });
        setFocusTarget("add");
      } else if (place.kind === "row" && row !== undefined) {
        setServerErrors({ rows: { [row.id]: { [place.part]: message } } });
        setFocusTarget(`${row.id}:${place.part}`);
      } else {
        setFormError(message);
      }
    }
  };

  return (
    <form className="form template-form" noValidate onSubmit={(event) => void submit(event)} data-testid="template-form" aria-labelledby="template-form-title">
      <h2 id="template-form-title" className="template-form__title">
        {template === undefined ? t("admin.templates.form.title") : t("admin.templates.form.editTitle", { name: template.name })}
      </h2>
      <FormAlert message={formError} testId="template-form-error" />
      {usage > 0 ? (
        <p className="template-form__usage" data-testid="template-in-use">
          <InfoIcon className="template-form__usage-icon" />
          <span>{t("admin.templates.form.inUse", { count: usage })}</span>
        </p>
      ) : null}
      <TextField
        ref={register("name")}
        label={t("admin.templates.form.name")}
        value={draft.name}
        maxLength={200}
        autoComplete="off"
        hint={t("admin.templates.form.nameHint")}
        error={nameError}
        data-testid="template-name"
        onChange={(event) => {
          const name = event.target.value;
          setDraft((current) => ({ ...current, name }));
          setServerErrors((current) => ({ ...current, name: undefined }));
        }}
      />
      <fieldset className="template-form__fields" aria-describedby="template-fields-hint">
        <legend className="field__label template-form__legend">{t("admin.templates.form.fields")}</legend>
        <p id="template-fields-hint" className="field__hint">
          {t("admin.templates.form.fieldsHint")}
        </p>
        {listError === undefined ? null : (
          <p className="field__error" data-testid="template-fields-error">
            <ErrorIcon className="field__error-icon" />
            <span>{listError}</span>
          </p>
        )}
        <ol className="template-fields">
          {draft.fields.map((field, index) => (
            <TemplateFieldRow
              key={field.id}
              field={field}
              position={index + 1}
              count={draft.fields.length}
              errors={rowErrors(field.id)}
              onChange={(change) => changeRow(field.id, change)}
              onMove={(offset) => move(field.id, offset)}
              onRemove={() => removeField(field.id)}
              register={(part, element) => register(`${field.id}:${part}`)(element)}
            />
          ))}
        </ol>
        <div>
          <Button
            ref={register("add")}
            variant="secondary"
            icon={<PlusIcon className="button__icon" />}
            disabled={draft.fields.length >= MAX_FIELDS}
            data-testid="add-template-field"
            onClick={addField}
          >
            {t("admin.templates.form.addField")}
          </Button>
        </div>
      </fieldset>
      <div className="form__actions">
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid={template === undefined ? "create-template" : "save-template"}>
          {template === undefined ? t("admin.templates.form.submit") : t("admin.templates.form.save")}
        </Button>
      </div>
    </form>
  );
}
