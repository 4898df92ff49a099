// The "Setup key" tab: a template, a name, issuer and account, the base32 key (under "Advanced":
// the type, algorithm, digits, period and counter for accounts that do not use the defaults),
// and the other fields of the chosen template (text, addresses, secrets, recovery codes).
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder, Template } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TextField } from "../../ui/text-field.js";
import { FolderSelect, useFolderField } from "../folder-select.js";
import type { FolderChoice } from "../folders.js";
import type { AddedEntries } from "./added-entries.js";
import { placeProblem } from "./seed-error.js";
import { checkSetupKey, DEFAULT_SETUP_KEY, setupKeyRequest, type SetupKeyField, type SetupKeyValues } from "./seed-checks.js";
import { SeedInputs } from "./seed-inputs.js";
import { seedNeedOf } from "./template-values.js";
import { useTemplateFields } from "./use-template-fields.js";

const SERVER_FIELDS = ["name", "secret", "digits", "period", "counter", "issuer", "account", "algorithm", "type", "seed"] as const;
type ServerField = (typeof SERVER_FIELDS)[number];

interface SetupKeyFormProps {
  readonly folders: readonly Folder[] | undefined;
  /** Undefined while they load; the default template is offered meanwhile. */
  readonly templates: readonly Template[] | undefined;
  readonly folder: FolderChoice;
  readonly onFolderChange: (choice: FolderChoice) => void;
  readonly onAdded: (added: AddedEntries) => void;
}

export function SetupKeyForm({ folders, templates, folder, onFolderChange, onAdded }: SetupKeyFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<SetupKeyValues>(DEFAULT_SETUP_KEY);
  const [hasTried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<ServerField, string>>>({});
  const templateFields = useTemplateFields(templates, hasTried);
  const { template } = templateFields;
  const folderField = useFolderField(folder, onFolderChange);
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const [isAdvancedOpen, setAdvancedOpen] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);

  const seedNeed = seedNeedOf(template);
  const problems = checkSetupKey(values, seedNeed);
  const errorOf = (field: ServerField): string | undefined => {
    const problem = field in problems ? problems[field as SetupKeyField] : undefined;
    if (hasTried && problem !== undefined) return t(`entries.add.errors.${problem}`);
    return serverErrors[field] ?? (field === "secret" ? serverErrors.seed : undefined);
  };
  const set = (field: keyof SetupKeyValues) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    setServerErrors((current) => ({ ...current, [field]: undefined, ...(field === "secret" ? { seed: undefined } : {}) }));
  };

  const focusFirstProblem = (): void => {
    const firstField = templateFields.firstProblem;
    const secretIndex = template?.fields.findIndex((field) => field.type === "otp") ?? 0;
    const firstFieldIndex = firstField === undefined ? -1 : (template?.fields.indexOf(firstField) ?? -1);
    if (problems.name !== undefined) nameRef.current?.focus();
    else if (firstField !== undefined && (problems.secret === undefined || firstFieldIndex < secretIndex)) templateFields.focus(firstField);
    else if (problems.secret !== undefined) secretRef.current?.focus();
    else if (problems.digits !== undefined || problems.period !== undefined || problems.counter !== undefined) setAdvancedOpen(true);
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setTried(true);
    const isFolderReady = folderField.check();
    if (Object.keys(problems).length > 0 || templateFields.hasProblems || !isFolderReady) {
      setFormError(undefined);
      focusFirstProblem();
      return;
    }
    setBusy(true);
    setFormError(undefined);
    const folderId = await folderField.resolve(() => setBusy(false));
    if (folderId === undefined) return;
    try {
      const reply = await client.createEntry(templateFields.apply(setupKeyRequest(values, folderId, seedNeed)));
      onAdded({ created: [{ id: reply.entry.id, name: reply.entry.name }], warnings: reply.warnings });
    } catch (error) {
      setBusy(false);
      const { field, message } = placeProblem(error, SERVER_FIELDS, t);
      if (templateFields.placeServerProblem(error, message)) return;
      if (field === undefined) return setFormError(message);
      setServerErrors({ [field]: message });
      if (field === "name") nameRef.current?.focus();
      else if (field === "secret" || field === "seed") secretRef.current?.focus();
      else setAdvancedOpen(true);
    }
  };

  const seedInputs = (
    <SeedInputs
      key="seed"
      values={values}
      need={seedNeed}
      secretRef={secretRef}
      errorOf={errorOf}
      set={set}
      isAdvancedOpen={isAdvancedOpen}
      onAdvancedToggle={setAdvancedOpen}
    />
  );

  return (
    <form className="form form--dialog" noValidate onSubmit={(event) => void submit(event)} data-testid="setup-key-form">
      <FormAlert message={formError} testId="add-entry-error" />
      {templateFields.select}
      <TextField ref={nameRef} label={t("entries.add.name")} value={values.name} maxLength={200} autoComplete="off" error={errorOf("name")} onChange={set("name")} hint={t("entries.add.nameHint")} />
      <div className="form__row">
        <TextField label={t("entries.add.issuer")} labelNote={t("entries.add.optional")} value={values.issuer} maxLength={200} autoComplete="off" error={errorOf("issuer")} onChange={set("issuer")} />
        <TextField label={t("entries.add.account")} labelNote={t("entries.add.optional")} value={values.account} maxLength={200} autoComplete="off" error={errorOf("account")} onChange={set("account")} />
      </div>
      {template === undefined ? seedInputs : template.fields.map((field) => (field.type === "otp" ? seedInputs : templateFields.input(field)))}
      <FolderSelect folders={folders} value={folder} onChange={onFolderChange} error={folderField.error} />
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="confirm-add">
          {t("entries.add.submit")}
        </Button>
      </div>
    </form>
  );
}
