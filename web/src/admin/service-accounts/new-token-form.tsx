// The form that creates an API token for one service account: what it may reach (entries and/or
// folders), with which permissions, until when, from which networks, and a label.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import type { CreatedApiToken, ServiceAccount, TokenPermission } from "../../../../src/contract/service-accounts.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { CheckboxField } from "../../ui/checkbox-field.js";
import { describeProblem } from "../../ui/problem-text.js";
import { SelectField } from "../../ui/select-field.js";
import { TextField } from "../../ui/text-field.js";
import { useSudo } from "../../account/sudo.js";
import { PICKER_PAGE_SIZE, useEntrySearch } from "../../entries/entry-picker.js";

const DAY = 86_400;
const EXPIRIES = [
  { key: "never", seconds: undefined },
  { key: "days7", seconds: 7 * DAY },
  { key: "days30", seconds: 30 * DAY },
  { key: "days90", seconds: 90 * DAY },
  { key: "days365", seconds: 365 * DAY },
] as const;

const toggled = (list: readonly string[], id: string, isOn: boolean): string[] => (isOn ? [...list, id] : list.filter((x) => x !== id));

interface Props {
  readonly account: ServiceAccount;
  readonly folders: readonly Folder[];
  readonly onCreated: (token: CreatedApiToken) => void;
  readonly onCancel: () => void;
}

export function NewTokenForm({ account, folders, onCreated, onCancel }: Props) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const [label, setLabel] = useState("");
  const [entryIds, setEntryIds] = useState<string[]>([]);
  // The entries to choose from are searched on the server as one types; those chosen keep their names here.
  const [entryText, setEntryText] = useState("");
  const [chosenNames, setChosenNames] = useState<ReadonlyMap<string, string>>(new Map());
  const search = useEntrySearch(entryText, true);
  const entryChoices = [...entryIds.map((id) => ({ id, name: chosenNames.get(id) ?? id })), ...(search.matches ?? []).filter((entry) => !entryIds.includes(entry.id))];
  const chooseEntry = (entry: { id: string; name: string }, isOn: boolean): void => {
    setEntryIds(toggled(entryIds, entry.id, isOn));
    if (isOn) setChosenNames(new Map(chosenNames).set(entry.id, entry.name));
  };
  const [folderIds, setFolderIds] = useState<string[]>([]);
  const [permissions, setPermissions] = useState<TokenPermission[]>(["use"]);
  const [expiry, setExpiry] = useState<(typeof EXPIRIES)[number]["key"]>("days30");
  const [cidrs, setCidrs] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (entryIds.length === 0 && folderIds.length === 0) return setError(t("problems.api_token_scope_empty"));
    if (permissions.length === 0) return setError(t("admin.serviceAccounts.tokens.permissionRequired"));
    const seconds = EXPIRIES.find((e) => e.key === expiry)?.seconds;
    const allowedCidrs = cidrs.split(/[\s,]+/).filter((c) => c !== "");
    setBusy(true);
    setError(undefined);
    try {
      onCreated(
        await withSudo(() => client.createApiToken(account.id, {
          ...(label.trim() === "" ? {} : { label: label.trim() }),
          scope: { entryIds, folderIds, permissions },
          ...(seconds === undefined ? {} : { expiresInSeconds: seconds }),
          ...(allowedCidrs.length === 0 ? {} : { allowedCidrs }),
        })),
      );
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };

  return (
    <form className="form template-form-card token-form" noValidate onSubmit={(event) => void submit(event)} data-testid="new-token-form">
      <h3 className="token-form__title">{t("admin.serviceAccounts.tokens.formTitle", { name: account.name })}</h3>
      <TextField label={t("admin.serviceAccounts.tokens.label")} labelNote={t("setup.optional")} hint={t("admin.serviceAccounts.tokens.labelHint")} value={label} maxLength={100} autoComplete="off" data-testid="token-label" onChange={(event) => setLabel(event.target.value)} />
      <fieldset className="token-form__group token-form__group--search">
        <legend className="field__label">{t("admin.serviceAccounts.tokens.entries")}</legend>
        <TextField
          label={t("admin.serviceAccounts.tokens.findEntry")}
          hint={search.hasMore ? t("admin.serviceAccounts.tokens.findEntryMore", { count: PICKER_PAGE_SIZE }) : t("admin.serviceAccounts.tokens.findEntryHint")}
          type="search"
          value={entryText}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
          data-testid="token-entry-search"
          onChange={(event) => setEntryText(event.target.value)}
        />
        {search.matches !== undefined && entryChoices.length === 0 ? (
          <p className="service-account__note" data-testid="token-no-entries">
            {t(entryText.trim() === "" ? "admin.serviceAccounts.tokens.noEntries" : "admin.serviceAccounts.tokens.noMatchingEntries")}
          </p>
        ) : null}
        <div className="token-form__choices" aria-busy={search.isSearching}>
          {entryChoices.map((entry) => (
            <CheckboxField key={entry.id} label={entry.name} checked={entryIds.includes(entry.id)} data-testid="token-entry" onChange={(event) => chooseEntry(entry, event.target.checked)} />
          ))}
        </div>
      </fieldset>
      {folders.length === 0 ? null : (
        <fieldset className="token-form__group">
          <legend className="field__label">{t("admin.serviceAccounts.tokens.folders")}</legend>
          <div className="token-form__choices">
            {folders.map((folder) => (
              <CheckboxField key={folder.id} label={folder.name} checked={folderIds.includes(folder.id)} data-testid="token-folder" onChange={(event) => setFolderIds(toggled(folderIds, folder.id, event.target.checked))} />
            ))}
          </div>
        </fieldset>
      )}
      <fieldset className="token-form__group">
        <legend className="field__label">{t("admin.serviceAccounts.tokens.permissions")}</legend>
        <div className="token-form__choices">
          {(["use", "recover"] as const).map((permission) => (
            <CheckboxField
              key={permission}
              label={t(`admin.serviceAccounts.tokens.permission.${permission}`)}
              checked={permissions.includes(permission)}
              data-testid={`token-permission-${permission}`}
              onChange={(event) => setPermissions(toggled(permissions, permission, event.target.checked) as TokenPermission[])}
            />
          ))}
        </div>
      </fieldset>
      <SelectField label={t("admin.serviceAccounts.tokens.expiry")} value={expiry} data-testid="token-expiry" onChange={(event) => setExpiry(event.target.value as typeof expiry)}>
        {EXPIRIES.map((e) => (
          <option key={e.key} value={e.key}>
            {t(`admin.serviceAccounts.tokens.expiries.${e.key}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("admin.serviceAccounts.tokens.cidrs")}
        labelNote={t("setup.optional")}
        hint={t("admin.serviceAccounts.tokens.cidrsHint")}
        value={cidrs}
        maxLength={1400}
        autoComplete="off"
        spellCheck={false}
        data-testid="token-cidrs"
        onChange={(event) => setCidrs(event.target.value)}
      />
      {error === undefined ? null : (
        <p className="field__error" role="alert" data-testid="token-form-error">
          {error}
        </p>
      )}
      <div className="form__actions">
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="create-token">
          {t("admin.serviceAccounts.tokens.create")}
        </Button>
      </div>
    </form>
  );
}
