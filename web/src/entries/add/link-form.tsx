// The "Link" tab: an otpauth:// (or steam://) link as authenticator setup pages offer it; the name
// is optional and otherwise taken from the link's issuer and account. A template with an OTP seed
// brings its other fields (an address, a username, a password, recovery codes) into the form.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder, Template } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TextAreaField } from "../../ui/text-area-field.js";
import { TextField } from "../../ui/text-field.js";
import { FolderSelect, useFolderField } from "../folder-select.js";
import type { FolderChoice } from "../folders.js";
import type { AddedEntries } from "./added-entries.js";
import { placeProblem } from "./seed-error.js";
import { checkLink, linkRequest } from "./seed-checks.js";
import { takesSeed, useTemplateFields } from "./use-template-fields.js";

interface LinkFormProps {
  readonly uri: string;
  readonly onUriChange: (uri: string) => void;
  readonly folders: readonly Folder[] | undefined;
  /** Undefined while they load; the default template is offered meanwhile. */
  readonly templates: readonly Template[] | undefined;
  readonly folder: FolderChoice;
  readonly onFolderChange: (choice: FolderChoice) => void;
  readonly onAdded: (added: AddedEntries) => void;
}

export function LinkForm({ uri, onUriChange, folders, templates, folder, onFolderChange, onAdded }: LinkFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [hasTried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<{ uri?: string; name?: string }>({});
  const templateFields = useTemplateFields(templates, hasTried, takesSeed);
  const folderField = useFolderField(folder, onFolderChange);
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const uriRef = useRef<HTMLTextAreaElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const uriProblem = checkLink(uri);
  const uriError = hasTried && uriProblem !== undefined ? t(`entries.add.errors.${uriProblem}`) : serverErrors.uri;

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setTried(true);
    const isFolderReady = folderField.check();
    if (uriProblem !== undefined || templateFields.hasProblems || !isFolderReady) {
      setFormError(undefined);
      if (uriProblem !== undefined) uriRef.current?.focus();
      else if (templateFields.firstProblem !== undefined) templateFields.focus(templateFields.firstProblem);
      return;
    }
    setBusy(true);
    setFormError(undefined);
    const folderId = await folderField.resolve(() => setBusy(false));
    if (folderId === undefined) return;
    try {
      const reply = await client.createEntry(templateFields.apply(linkRequest(uri, name, folderId)));
      onAdded({ created: [{ id: reply.entry.id, name: reply.entry.name }], warnings: reply.warnings });
    } catch (error) {
      setBusy(false);
      // The server reports a bad link's parts (secret, digits…) as problems with the link.
      const { field, message } = placeProblem(error, ["uri", "name", "secret", "digits", "period", "algorithm", "counter", "type"] as const, t);
      if (templateFields.placeServerProblem(error, message)) return;
      if (field === undefined) return setFormError(message);
      if (field === "name") {
        setServerErrors({ name: message });
        nameRef.current?.focus();
      } else {
        setServerErrors({ uri: message });
        uriRef.current?.focus();
      }
    }
  };

  return (
    <form className="form form--dialog" noValidate onSubmit={(event) => void submit(event)} data-testid="link-form">
      <FormAlert message={formError} testId="add-entry-error" />
      {templateFields.select}
      <TextAreaField
        ref={uriRef}
        label={t("entries.add.uri")}
        className="field--mono"
        rows={3}
        value={uri}
        autoComplete="off"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        placeholder="otpauth://totp/ACME:alice@example.com?secret=…&issuer=ACME"
        data-testid="otpauth-uri"
        error={uriError}
        hint={t("entries.add.uriHint")}
        onChange={(event) => {
          onUriChange(event.target.value);
          setServerErrors((current) => ({ ...current, uri: undefined }));
        }}
      />
      <TextField
        ref={nameRef}
        label={t("entries.add.name")}
        labelNote={t("entries.add.optional")}
        value={name}
        maxLength={200}
        autoComplete="off"
        error={serverErrors.name}
        hint={t("entries.add.nameFromLink")}
        onChange={(event) => {
          setName(event.target.value);
          setServerErrors((current) => ({ ...current, name: undefined }));
        }}
      />
      {templateFields.inputs}
      <FolderSelect folders={folders} value={folder} onChange={onFolderChange} error={folderField.error} />
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="confirm-add">
          {t("entries.add.submit")}
        </Button>
      </div>
    </form>
  );
}
