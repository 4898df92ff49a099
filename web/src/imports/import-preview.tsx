// The second step of an import: every account found (no secrets, only names and settings), with
// a box each to include it, duplicates flagged, lines that cannot be imported listed with their
// reason, the target folder, and the button that creates the entries.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { Folder } from "../../../src/contract/entries.js";
import type { ConfirmImportReply, ImportPreview, ImportPreviewEntry } from "../../../src/contract/imports.js";
import { FolderSelect, checkFolderChoice } from "../entries/folder-select.js";
import { NO_FOLDER_CHOICE, resolveFolder, type FolderChoice } from "../entries/folders.js";
import { OtpDescription } from "../entries/otp-description.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { FolderIcon, WarningIcon } from "../ui/icons.js";
import { describeNotice, describeProblem } from "../ui/problem-text.js";
import { ImportProblemList } from "./import-problem-list.js";
import { FORMAT_LABELS } from "./import-upload-form.js";
import { includedIndexes, initialSelection, moreVisible, PAGE_SIZE, selectionState, toggled, withAll } from "./import-selection.js";

interface ImportPreviewProps {
  readonly preview: ImportPreview;
  readonly fileName: string;
  readonly folders: readonly Folder[] | undefined;
  readonly onImported: (reply: ConfirmImportReply) => void;
  /** The preview is gone (discarded or expired): back to choosing a file. */
  readonly onStartOver: (message?: string) => void;
}

export function ImportPreviewStep({ preview, fileName, folders, onImported, onStartOver }: ImportPreviewProps) {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => initialSelection(preview.entries));
  const [visible, setVisible] = useState(PAGE_SIZE);
  const [folder, setFolder] = useState<FolderChoice>(NO_FOLDER_CHOICE);
  const [folderError, setFolderError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState<"confirm" | "discard">();
  const { entries, problems } = preview;
  const state = selectionState(entries, selected);
  const duplicates = entries.filter((entry) => entry.duplicateOf !== null).length;

  const confirm = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (busy !== undefined) return;
    if (selected.size === 0) return setFormError(t("imports.preview.noneSelected"));
    const folderProblem = checkFolderChoice(folder);
    if (folderProblem !== undefined) return setFolderError(t(`entries.add.errors.${folderProblem}`));
    setBusy("confirm");
    setFormError(undefined);
    let folderId: string | null;
    try {
      folderId = await resolveFolder(folder);
    } catch (error) {
      setBusy(undefined);
      return setFolderError(describeProblem(error, t));
    }
    if (folder.kind === "new" && folderId !== null) setFolder({ kind: "folder", id: folderId });
    try {
      onImported(await client.confirmImport(preview.importId, { folderId, include: includedIndexes(entries, selected) }));
    } catch (error) {
      setBusy(undefined);
      if (error instanceof ApiError && error.code === "not_found") onStartOver(t("imports.preview.expired"));
      else setFormError(describeProblem(error, t));
    }
  };

  const discard = async (): Promise<void> => {
    setBusy("discard");
    await client.discardImport(preview.importId).catch(() => undefined);
    onStartOver();
  };

  return (
    <form className="import-preview" noValidate onSubmit={(event) => void confirm(event)} data-testid="import-preview">
      <div className="import-summary">
        <div>
          <h2 className="import-summary__title">{t("imports.preview.found", { count: entries.length })}</h2>
          <p className="import-summary__meta">
            <span className="import-summary__file">{fileName}</span>
            <span>{t("imports.preview.format", { format: formatLabel(preview.format, t) })}</span>
            {duplicates > 0 ? <span>{t("imports.preview.duplicates", { count: duplicates })}</span> : null}
            {problems.length > 0 ? <span className="import-summary__problems">{t("imports.preview.problemCount", { count: problems.length })}</span> : null}
          </p>
        </div>
      </div>
      <FormAlert message={formError} testId="import-error" />

      {entries.length === 0 ? null : (
        <div className="import-table-wrap">
          <table className="import-table">
            <caption className="visually-hidden">{t("imports.preview.tableCaption")}</caption>
            <thead>
              <tr>
                <th scope="col" className="import-table__check">
                  <SelectAll state={state} onChange={(isIncluded) => setSelected(withAll(entries, isIncluded))} />
                </th>
                <th scope="col">{t("imports.preview.name")}</th>
                <th scope="col">{t("imports.preview.issuer")}</th>
                <th scope="col">{t("imports.preview.account")}</th>
                <th scope="col">{t("imports.preview.settings")}</th>
                <th scope="col">{t("imports.preview.notes")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.slice(0, visible).map((entry) => (
                <PreviewRow key={entry.index} entry={entry} isIncluded={selected.has(entry.index)} onChange={(isIncluded) => setSelected((current) => toggled(current, entry.index, isIncluded))} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {visible < entries.length ? (
        <div className="show-more">
          <span>{t("imports.preview.showing", { shown: visible, count: entries.length })}</span>
          <Button variant="secondary" data-testid="show-more" onClick={() => setVisible(moreVisible(visible, entries.length))}>
            {t("imports.preview.showMore", { count: Math.min(PAGE_SIZE, entries.length - visible) })}
          </Button>
        </div>
      ) : null}

      {problems.length === 0 ? null : (
        <section className="import-problems" aria-labelledby="import-problems-title" data-testid="import-problems">
          <h3 id="import-problems-title" className="import-problems__title">
            <WarningIcon className="import-problems__icon" />
            {t("imports.preview.problemsTitle", { count: problems.length })}
          </h3>
          <ImportProblemList rows={problems.slice(0, 500)} total={problems.length} t={t} />
        </section>
      )}

      <div className="import-confirm">
        <FolderSelect
          folders={folders}
          value={folder}
          onChange={(choice) => {
            setFolder(choice);
            setFolderError(undefined);
          }}
          error={folderError}
          label={t("imports.preview.folder")}
        />
        <div className="import-confirm__actions">
          <Button variant="quiet" isBusy={busy === "discard"} onClick={() => void discard()} data-testid="import-discard">
            {t("imports.preview.discard")}
          </Button>
          <Button type="submit" variant="primary" isBusy={busy === "confirm"} data-testid="import-confirm">
            {t("imports.preview.confirm", { count: selected.size })}
          </Button>
        </div>
      </div>
    </form>
  );
}

function SelectAll({ state, onChange }: { state: "none" | "some" | "all"; onChange: (isIncluded: boolean) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current !== null) ref.current.indeterminate = state === "some";
  }, [state]);
  return (
    <input ref={ref} type="checkbox" className="checkbox" checked={state === "all"} aria-label={t("imports.preview.selectAll")} data-testid="select-all" onChange={(event) => onChange(event.target.checked)} />
  );
}

function PreviewRow({ entry, isIncluded, onChange }: { entry: ImportPreviewEntry; isIncluded: boolean; onChange: (isIncluded: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <tr className={isIncluded ? undefined : "import-table__row--skipped"} data-testid="import-row">
      <td className="import-table__check">
        <input type="checkbox" className="checkbox" checked={isIncluded} aria-label={t("imports.preview.include", { name: entry.name })} onChange={(event) => onChange(event.target.checked)} />
      </td>
      <td className="import-table__name">
        <span>{entry.name}</span>
        {entry.folder === null ? null : (
          <span className="import-table__folder">
            <FolderIcon width={12} height={12} />
            {entry.folder}
          </span>
        )}
      </td>
      <td data-label={t("imports.preview.issuer")}>{entry.issuer ?? <span className="facts__none">—</span>}</td>
      <td data-label={t("imports.preview.account")}>{entry.account ?? <span className="facts__none">—</span>}</td>
      <td data-label={t("imports.preview.settings")} className="import-table__settings">
        <OtpDescription otp={entry} />
      </td>
      <td className="import-table__notes">
        {entry.duplicateOf === null ? null : (
          <div className="import-table__badges">
            <span className="badge badge--warning" data-testid="duplicate-badge">
              {t("imports.duplicateOf", { name: entry.duplicateOf.name })}
            </span>
          </div>
        )}
        {entry.warnings.length === 0 ? null : (
          <ul className="warning-list">
            {entry.warnings.map((warning, index) => (
              <li key={index}>
                <WarningIcon className="warning-list__icon" width={14} height={14} />
                <span>{describeNotice(warning, t)}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

/** The format's name in the reader's language; a format this page does not know shows as sent. */
function formatLabel(format: string, t: TFunction): string {
  return Object.hasOwn(FORMAT_LABELS, format) ? t(FORMAT_LABELS[format as keyof typeof FORMAT_LABELS]) : format;
}
