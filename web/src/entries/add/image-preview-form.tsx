// After a QR image was read: the account(s) found, each with a name to keep or change (and a box
// to leave it out when there are several), the folder, and the button that creates them. A single
// account may follow a template: its other fields are asked for here, and the server takes the
// seed straight from the upload it holds.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder, Template } from "../../../../src/contract/entries.js";
import type { ImportPreview, ImportPreviewEntry } from "../../../../src/contract/imports.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { CheckCircleIcon, WarningIcon } from "../../ui/icons.js";
import { describeNotice, describeProblem, fieldOf } from "../../ui/problem-text.js";
import { TextField } from "../../ui/text-field.js";
import { FolderSelect, useFolderField } from "../folder-select.js";
import type { FolderChoice } from "../folders.js";
import { OtpDescription } from "../otp-description.js";
import type { AddedEntries } from "./added-entries.js";
import { takesSeed, useTemplateFields } from "./use-template-fields.js";

interface ImagePreviewFormProps {
  readonly preview: ImportPreview;
  readonly fileName: string;
  readonly folders: readonly Folder[] | undefined;
  /** Undefined while they load; the default template is offered meanwhile. */
  readonly templates: readonly Template[] | undefined;
  readonly folder: FolderChoice;
  readonly onFolderChange: (choice: FolderChoice) => void;
  readonly onStartOver: () => void;
  readonly onConfirmed: () => void;
  readonly onAdded: (added: AddedEntries) => void;
}

export function ImagePreviewForm({ preview, fileName, folders, templates, folder, onFolderChange, onStartOver, onConfirmed, onAdded }: ImagePreviewFormProps) {
  const { t } = useTranslation();
  const [names, setNames] = useState<Record<number, string>>(() => Object.fromEntries(preview.entries.map((entry) => [entry.index, entry.name])));
  const [included, setIncluded] = useState<ReadonlySet<number>>(() => new Set(preview.entries.map((entry) => entry.index)));
  const [nameErrors, setNameErrors] = useState<Record<number, string>>({});
  const folderField = useFolderField(folder, onFolderChange);
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const isSeveral = preview.entries.length > 1;
  const [hasTried, setTried] = useState(false);
  const templateFields = useTemplateFields(templates, hasTried, takesSeed);
  const { template } = templateFields;

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const chosen = preview.entries.filter((entry) => included.has(entry.index));
    const missing = Object.fromEntries(chosen.filter((entry) => (names[entry.index] ?? "").trim() === "").map((entry) => [entry.index, t("entries.add.errors.nameRequired")]));
    setNameErrors(missing);
    setTried(true);
    const isFolderReady = folderField.check();
    if (chosen.length === 0) return setFormError(t("entries.add.qr.noneChosen"));
    if (Object.keys(missing).length > 0 || templateFields.hasProblems || !isFolderReady) {
      if (Object.keys(missing).length === 0 && templateFields.firstProblem !== undefined) templateFields.focus(templateFields.firstProblem);
      return setFormError(undefined);
    }
    setBusy(true);
    setFormError(undefined);
    const folderId = await folderField.resolve(() => setBusy(false));
    if (folderId === undefined) return;
    try {
      const only = chosen[0];
      if (template !== undefined && only !== undefined && !isSeveral) {
        const reply = await client.createEntry(
          templateFields.apply({ name: (names[only.index] ?? only.name).trim(), folderId, seed: { fromImport: { importId: preview.importId, index: only.index } } }),
        );
        onConfirmed();
        return onAdded({ created: [{ id: reply.entry.id, name: reply.entry.name }], warnings: reply.warnings });
      }
      const reply = await client.confirmImport(preview.importId, {
        folderId,
        include: chosen.map((entry) => entry.index),
        names: Object.fromEntries(chosen.map((entry) => [String(entry.index), (names[entry.index] ?? entry.name).trim()])),
      });
      onConfirmed();
      onAdded({ created: reply.created, warnings: chosen.flatMap((entry) => entry.warnings) });
    } catch (error) {
      setBusy(false);
      if (templateFields.placeServerProblem(error, describeProblem(error, t))) return;
      setFormError(fieldOf(error) === "name" ? t("entries.add.errors.nameRejected", { reason: describeProblem(error, t) }) : describeProblem(error, t));
    }
  };

  return (
    <form className="form form--dialog" noValidate onSubmit={(event) => void submit(event)} data-testid="qr-preview">
      <div className="found-banner">
        <CheckCircleIcon className="found-banner__icon" />
        <p>
          <span className="found-banner__title">{t("entries.add.qr.found", { count: preview.entries.length })}</span>
          <span className="found-banner__file">{fileName}</span>
        </p>
        <Button variant="quiet" onClick={onStartOver}>
          {t("entries.add.qr.another")}
        </Button>
      </div>
      <FormAlert message={formError} />
      <ul className="found-list">
        {preview.entries.map((entry) => (
          <FoundAccount
            key={entry.index}
            entry={entry}
            isSeveral={isSeveral}
            name={names[entry.index] ?? ""}
            error={nameErrors[entry.index]}
            isIncluded={included.has(entry.index)}
            onName={(name) => {
              setNames((current) => ({ ...current, [entry.index]: name }));
              setNameErrors((current) => ({ ...current, [entry.index]: undefined }) as Record<number, string>);
            }}
            onInclude={(isIncluded) =>
              setIncluded((current) => {
                const next = new Set(current);
                if (isIncluded) next.add(entry.index);
                else next.delete(entry.index);
                return next;
              })
            }
          />
        ))}
      </ul>
      {preview.problems.length === 0 ? null : (
        <ul className="problem-list">
          {preview.problems.map((problem) => (
            <li key={problem.index}>
              <WarningIcon className="problem-list__icon" />
              <span>
                <strong>{problem.label}</strong> — {problem.message}
              </span>
            </li>
          ))}
        </ul>
      )}
      {isSeveral ? null : templateFields.select}
      {isSeveral ? null : templateFields.inputs}
      <FolderSelect folders={folders} value={folder} onChange={onFolderChange} error={folderField.error} />
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="confirm-add">
          {isSeveral ? t("entries.add.qr.addSeveral", { count: included.size }) : t("entries.add.submit")}
        </Button>
      </div>
    </form>
  );
}

interface FoundAccountProps {
  readonly entry: ImportPreviewEntry;
  readonly isSeveral: boolean;
  readonly name: string;
  readonly error: string | undefined;
  readonly isIncluded: boolean;
  readonly onName: (name: string) => void;
  readonly onInclude: (isIncluded: boolean) => void;
}

function FoundAccount({ entry, isSeveral, name, error, isIncluded, onName, onInclude }: FoundAccountProps) {
  const { t } = useTranslation();
  const source = [entry.issuer, entry.account].filter((part) => part !== null && part !== "").join(" · ");
  return (
    <li className={`found-account${isIncluded ? "" : " found-account--skipped"}`} data-testid="found-account">
      <div className="found-account__head">
        {isSeveral ? (
          <input
            type="checkbox"
            className="checkbox"
            checked={isIncluded}
            aria-label={t("entries.add.qr.include", { name: entry.name })}
            onChange={(event) => onInclude(event.target.checked)}
          />
        ) : null}
        <div className="found-account__source">
          <span className="found-account__label">{source === "" ? entry.name : source}</span>
          <OtpDescription otp={entry} />
        </div>
        {entry.duplicateOf === null ? null : (
          <span className="badge badge--warning" data-testid="duplicate-badge">
            {t("imports.duplicateOf", { name: entry.duplicateOf.name })}
          </span>
        )}
      </div>
      {isIncluded ? (
        <TextField
          label={t("entries.add.name")}
          value={name}
          maxLength={200}
          error={error}
          data-testid="found-name"
          onChange={(event) => onName(event.target.value)}
        />
      ) : null}
      {entry.warnings.length === 0 ? null : (
        <ul className="warning-list">
          {entry.warnings.map((warning, index) => (
            <li key={index}>
              <WarningIcon className="warning-list__icon" />
              <span>{describeNotice(warning, t)}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
