// The form that creates an API token for one service account: what it may reach (entries and/or
// folders), with which permissions, until when, from which networks, and a label.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { EntrySummary, Folder } from "../../../../src/contract/entries.js";
import type { CreatedApiToken, ServiceAccount, TokenPermission } from "../../../../src/contract/service-accounts.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { CheckboxField } from "../../ui/checkbox-field.js";
import { describeProblem } from "../../ui/problem-text.js";
import { SelectField } from "../../ui/select-field.js";
import { TextField } from "../../ui/text-field.js";
import { useSudo } from "../../account/sudo.js";

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
  readonly entries: readonly EntrySummary[];
  readonly folders: readonly Folder[];
  readonly onCreated: (token: CreatedApiToken) => void;
  readonly onCancel: () => void;
}

export function NewTokenForm({ account, entries, folders, onCreated, onCancel }: Props) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const [label, setLabel] = useState("");
  const [entryIds, setEntryIds] = useState<string[]>([]);
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
      <fieldset className="token-form__group">
        <legend className="field__label">{t("admin.serviceAccounts.tokens.entries")}</legend>
        {entries.length === 0 ? <p className="service-account__note">{t("admin.serviceAccounts.tokens.noEntries")}</p> : null}
        <div className="token-form__choices">
          {entries.map((entry) => (
            <CheckboxField key={entry.id} label={entry.name} checked={entryIds.includes(entry.id)} data-testid="token-entry" onChange={(event) => setEntryIds(toggled(entryIds, entry.id, event.target.checked))} />
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
