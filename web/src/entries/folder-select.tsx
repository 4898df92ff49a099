// Choosing a folder in a form: none, one of the existing ones, or (for administrators, who alone
// create folders) "New folder…", which asks for the new folder's name right below (the folder is
// created when the form is sent). With no folder to choose and none to create, it shows nothing.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../src/contract/entries.js";
import { useAbilities } from "../account/abilities.js";
import { describeProblem } from "../ui/problem-text.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { resolveFolderForForm, type FolderChoice } from "./folders.js";

const NONE = "";
const NEW = "\u0000new";

interface FolderSelectProps {
  readonly folders: readonly Folder[] | undefined;
  readonly value: FolderChoice;
  readonly onChange: (choice: FolderChoice) => void;
  /** A problem with the new folder's name. */
  readonly error?: string | undefined;
  readonly label?: string;
  readonly noneLabel?: string;
}

export function FolderSelect({ folders, value, onChange, error, label, noneLabel }: FolderSelectProps) {
  const { t } = useTranslation();
  const { canManageCatalog } = useAbilities();
  const selected = value.kind === "none" ? NONE : value.kind === "new" ? NEW : value.id;
  if (!canManageCatalog && value.kind === "none" && folders !== undefined && folders.length === 0) return null;
  return (
    <div className="folder-select">
      <SelectField
        label={label ?? t("entries.folders.label")}
        value={selected}
        data-testid="folder-select"
        onChange={(event) => {
          const next = event.target.value;
          onChange(next === NONE ? { kind: "none" } : next === NEW ? { kind: "new", name: "" } : { kind: "folder", id: next });
        }}
      >
        <option value={NONE}>{noneLabel ?? t("entries.folders.none")}</option>
        {(folders ?? []).map((folder) => (
          <option key={folder.id} value={folder.id}>
            {folder.name}
          </option>
        ))}
        {canManageCatalog ? <option value={NEW}>{t("entries.folders.new")}</option> : null}
      </SelectField>
      {value.kind === "new" ? (
        <TextField
          label={t("entries.folders.newName")}
          value={value.name}
          maxLength={200}
          autoFocus
          error={error}
          data-testid="new-folder-name"
          onChange={(event) => onChange({ kind: "new", name: event.target.value })}
        />
      ) : null}
    </div>
  );
}

export function checkFolderChoice(choice: FolderChoice): "folderNameRequired" | undefined {
  return choice.kind === "new" && choice.name.trim() === "" ? "folderNameRequired" : undefined;
}

export interface FolderField {
  /** The problem to show under the folder select. */
  readonly error: string | undefined;
  /** Before sending: shows the choice's problem, if any; true when there is none. */
  readonly check: () => boolean;
  /** While sending: the folder id (a new folder is created and becomes the choice); undefined, with the problem shown, when that failed. */
  readonly resolve: (onFailed: () => void) => Promise<string | null | undefined>;
}

/** The folder part of an add-entry form. */
export function useFolderField(folder: FolderChoice, onFolderChange: (choice: FolderChoice) => void): FolderField {
  const { t } = useTranslation();
  const [error, setError] = useState<string>();
  const check = (): boolean => {
    const problem = checkFolderChoice(folder);
    setError(problem === undefined ? undefined : t(`entries.add.errors.${problem}`));
    return problem === undefined;
  };
  const resolve = (onFailed: () => void): Promise<string | null | undefined> =>
    resolveFolderForForm(
      folder,
      (reason) => {
        onFailed();
        setError(describeProblem(reason, t));
      },
      onFolderChange,
    );
  return { error, check, resolve };
}
