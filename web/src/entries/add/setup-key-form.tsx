// The "Setup key" tab: a name, issuer and account, the base32 key, and (under "Advanced") the
// type, algorithm, digits, period and counter for accounts that do not use the defaults.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { SelectField } from "../../ui/select-field.js";
import { TextField } from "../../ui/text-field.js";
import { checkFolderChoice, FolderSelect } from "../folder-select.js";
import { resolveFolder, type FolderChoice } from "../folders.js";
import type { AddedEntries } from "./added-entries.js";
import { placeProblem } from "./seed-error.js";
import { checkSetupKey, DEFAULT_SETUP_KEY, setupKeyRequest, type SetupKeyField, type SetupKeyValues } from "./seed-checks.js";

const SERVER_FIELDS = ["name", "secret", "digits", "period", "counter", "issuer", "account", "algorithm", "type"] as const;
type ServerField = (typeof SERVER_FIELDS)[number];

interface SetupKeyFormProps {
  readonly folders: readonly Folder[] | undefined;
  readonly folder: FolderChoice;
  readonly onFolderChange: (choice: FolderChoice) => void;
  readonly onAdded: (added: AddedEntries) => void;
}

export function SetupKeyForm({ folders, folder, onFolderChange, onAdded }: SetupKeyFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<SetupKeyValues>(DEFAULT_SETUP_KEY);
  const [hasTried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<ServerField, string>>>({});
  const [folderError, setFolderError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const [isAdvancedOpen, setAdvancedOpen] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);

  const problems = checkSetupKey(values);
  const errorOf = (field: ServerField): string | undefined => {
    const problem = field in problems ? problems[field as SetupKeyField] : undefined;
    if (hasTried && problem !== undefined) return t(`entries.add.errors.${problem}`);
    return serverErrors[field];
  };
  const set = (field: keyof SetupKeyValues) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    setServerErrors((current) => ({ ...current, [field]: undefined }));
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setTried(true);
    const folderProblem = checkFolderChoice(folder);
    setFolderError(folderProblem === undefined ? undefined : t(`entries.add.errors.${folderProblem}`));
    if (Object.keys(problems).length > 0 || folderProblem !== undefined) {
      setFormError(undefined);
      if (problems.name !== undefined) nameRef.current?.focus();
      else if (problems.secret !== undefined) secretRef.current?.focus();
      else if (problems.digits !== undefined || problems.period !== undefined || problems.counter !== undefined) setAdvancedOpen(true);
      return;
    }
    setBusy(true);
    setFormError(undefined);
    let folderId: string | null;
    try {
      folderId = await resolveFolder(folder);
    } catch (error) {
      setBusy(false);
      return setFolderError(placeProblem(error, [], t).message);
    }
    if (folder.kind === "new" && folderId !== null) onFolderChange({ kind: "folder", id: folderId });
    try {
      const reply = await client.createEntry(setupKeyRequest(values, folderId));
      onAdded({ created: [{ id: reply.entry.id, name: reply.entry.name }], warnings: reply.warnings });
    } catch (error) {
      setBusy(false);
      const { field, message } = placeProblem(error, SERVER_FIELDS, t);
      if (field === undefined) return setFormError(message);
      setServerErrors({ [field]: message });
      if (field === "name") nameRef.current?.focus();
      else if (field === "secret") secretRef.current?.focus();
      else setAdvancedOpen(true);
    }
  };

  return (
    <form className="form form--dialog" noValidate onSubmit={(event) => void submit(event)} data-testid="setup-key-form">
      <FormAlert message={formError} testId="add-entry-error" />
      <TextField ref={nameRef} label={t("entries.add.name")} value={values.name} maxLength={200} autoComplete="off" error={errorOf("name")} onChange={set("name")} hint={t("entries.add.nameHint")} />
      <div className="form__row">
        <TextField label={t("entries.add.issuer")} labelNote={t("entries.add.optional")} value={values.issuer} maxLength={200} autoComplete="off" error={errorOf("issuer")} onChange={set("issuer")} />
        <TextField label={t("entries.add.account")} labelNote={t("entries.add.optional")} value={values.account} maxLength={200} autoComplete="off" error={errorOf("account")} onChange={set("account")} />
      </div>
      <TextField
        ref={secretRef}
        label={t("entries.add.secret")}
        className="field--mono"
        value={values.secret}
        autoComplete="off"
        autoCapitalize="characters"
        autoCorrect="off"
        spellCheck={false}
        data-testid="setup-key"
        error={errorOf("secret")}
        hint={t("entries.add.secretHint")}
        onChange={set("secret")}
      />
      <details className="advanced" open={isAdvancedOpen} onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}>
        <summary className="advanced__summary">{t("entries.add.advanced")}</summary>
        <div className="advanced__body">
          <div className="form__row form__row--3">
            <SelectField label={t("entries.add.type")} value={values.type} error={errorOf("type")} onChange={set("type")}>
              <option value="totp">{t("entries.otp.types.totp")}</option>
              <option value="hotp">{t("entries.otp.types.hotp")}</option>
              <option value="steam">{t("entries.otp.types.steam")}</option>
            </SelectField>
            {values.type === "steam" ? null : (
              <SelectField label={t("entries.add.algorithm")} value={values.algorithm} error={errorOf("algorithm")} onChange={set("algorithm")}>
                <option value="SHA1">SHA-1</option>
                <option value="SHA256">SHA-256</option>
                <option value="SHA512">SHA-512</option>
              </SelectField>
            )}
            {values.type === "steam" ? null : (
              <TextField label={t("entries.add.digits")} inputMode="numeric" value={values.digits} error={errorOf("digits")} onChange={set("digits")} />
            )}
            {values.type === "hotp" ? (
              <TextField label={t("entries.add.counter")} inputMode="numeric" value={values.counter} error={errorOf("counter")} onChange={set("counter")} />
            ) : (
              <TextField label={t("entries.add.period")} inputMode="numeric" value={values.period} error={errorOf("period")} onChange={set("period")} />
            )}
          </div>
          <p className="field__hint">{t("entries.add.advancedHint")}</p>
        </div>
      </details>
      <FolderSelect folders={folders} value={folder} onChange={onFolderChange} error={folderError} />
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="confirm-add">
          {t("entries.add.submit")}
        </Button>
      </div>
    </form>
  );
}
