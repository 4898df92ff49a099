// Choosing a folder in a form: none, one of the existing ones, or "New folder…", which asks for
// the new folder's name right below (the folder is created when the form is sent).
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../src/contract/entries.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import type { FolderChoice } from "./folders.js";

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
  const selected = value.kind === "none" ? NONE : value.kind === "new" ? NEW : value.id;
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
        <option value={NEW}>{t("entries.folders.new")}</option>
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
