// /admin/service-accounts — administrators create service accounts (the identities scripts use),
// disable and enable them, create API tokens (shown once, with a copy button), see each token's
// scope and last use, and revoke a token at once. Anyone else is told the page is for administrators.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../../src/contract/auth.js";
import type { Folder } from "../../../../src/contract/entries.js";
import type { ApiToken, CreatedApiToken, ServiceAccount } from "../../../../src/contract/service-accounts.js";
import { client } from "../../ui/api-client.js";
import { Button, ButtonLink } from "../../ui/button.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { CloudOffIcon, KeyIcon, LockIcon, PlusIcon } from "../../ui/icons.js";
import { LoadingView } from "../../ui/loading-view.js";
import { Notice } from "../../ui/notice.js";
import { PageHeading } from "../../ui/page-heading.js";
import { describeProblem } from "../../ui/problem-text.js";
import { StatusPanel } from "../../ui/status-panel.js";
import { TextField } from "../../ui/text-field.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { loadStateOf } from "../../ui/query-state.js";
import { AdminNav } from "../admin-nav.js";
import { CreatedTokenPanel } from "./created-token-panel.js";
import { NewTokenForm } from "./new-token-form.js";
import { TokenRow } from "./token-row.js";
import "../../ui/service-accounts.css";
import { StateBadge } from "../state-badge.js";

export interface ServiceAccountsData {
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly tokens: readonly ApiToken[];
  readonly folders: readonly Folder[];
}

const SERVICE_ACCOUNTS_KEY = ["service-accounts"] as const;

/** Not every entry: the token form searches them as one types, and a token's scope names its own (entry-picker.ts). */
async function loadAll(): Promise<ServiceAccountsData> {
  const [accounts, tokens, folders] = await Promise.all([client.listServiceAccounts(), client.listApiTokens(), client.listFolders()]);
  return { serviceAccounts: accounts.serviceAccounts, tokens: tokens.tokens, folders: folders.folders };
}

export function ServiceAccountsPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("admin.serviceAccounts.documentTitle"));
  if (session.user.role !== "admin") {
    return (
      <div className="page" data-testid="service-accounts-admins-only">
        <div className="page-status">
          <StatusPanel tone="info" icon={<LockIcon width={28} height={28} />} title={t("admin.serviceAccounts.adminsOnly.title")} actions={<ButtonLink to="/">{t("shell.notFound.action")}</ButtonLink>}>
            <p>{t("admin.serviceAccounts.adminsOnly.body")}</p>
          </StatusPanel>
        </div>
      </div>
    );
  }
  return <ServiceAccountsAdmin />;
}

function ServiceAccountsAdmin() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: SERVICE_ACCOUNTS_KEY, queryFn: loadAll });
  const loaded = {
    state: loadStateOf(query),
    replace: (value: ServiceAccountsData) => queryClient.setQueryData(SERVICE_ACCOUNTS_KEY, value),
    reload: () => void query.refetch(),
  };
  const [isCreating, setCreating] = useState(false);
  const [done, setDone] = useState<string>();
  const [created, setCreated] = useState<CreatedApiToken>();
  const data = loaded.state.status === "ready" ? loaded.state.value : undefined;

  const update = (change: (current: ServiceAccountsData) => ServiceAccountsData): void => {
    if (data !== undefined) loaded.replace(change(data));
  };
  const onAccount = (account: ServiceAccount): void =>
    update((d) => ({ ...d, serviceAccounts: [...d.serviceAccounts.filter((a) => a.id !== account.id), account].sort((a, b) => a.name.localeCompare(b.name)) }));
  const onToken = (token: ApiToken): void => update((d) => ({ ...d, tokens: d.tokens.some((x) => x.id === token.id) ? d.tokens.map((x) => (x.id === token.id ? token : x)) : [token, ...d.tokens] }));

  return (
    <div className="page service-accounts-page" data-testid="service-accounts-page">
      <AdminNav />
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("admin.serviceAccounts.title")}</PageHeading>
          <p className="page__lede">{t("admin.serviceAccounts.lede")}</p>
        </div>
        {isCreating ? null : (
          <Button variant="primary" icon={<PlusIcon className="button__icon" />} data-testid="new-service-account" onClick={() => setCreating(true)}>
            {t("admin.serviceAccounts.new")}
          </Button>
        )}
      </div>
      {done === undefined ? null : <Notice tone="success" title={done} onDismiss={() => setDone(undefined)} testId="service-account-done" />}
      {created === undefined ? null : <CreatedTokenPanel created={created} onDismiss={() => setCreated(undefined)} />}
      {isCreating ? (
        <NewServiceAccountForm
          onCancel={() => setCreating(false)}
          onCreated={(account) => {
            onAccount(account);
            setCreating(false);
            setDone(t("admin.serviceAccounts.created", { name: account.name }));
          }}
        />
      ) : null}
      {loaded.state.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {loaded.state.status === "failed" ? (
        <div className="no-matches" data-testid="service-accounts-failed">
          <CloudOffIcon className="no-matches__icon" width={22} height={22} />
          <h3 className="no-matches__title">{t("admin.serviceAccounts.failed")}</h3>
          <p className="no-matches__body">{describeProblem(loaded.state.error, t)}</p>
          <Button variant="secondary" onClick={loaded.reload}>
            {t("shell.retry")}
          </Button>
        </div>
      ) : null}
      {data !== undefined && data.serviceAccounts.length === 0 ? (
        <div className="empty-state empty-state--small" data-testid="service-accounts-empty">
          <KeyIcon className="empty-state__icon" width={28} height={28} />
          <h3 className="empty-state__title">{t("admin.serviceAccounts.empty.title")}</h3>
          <p className="empty-state__body">{t("admin.serviceAccounts.empty.body")}</p>
        </div>
      ) : null}
      {data === undefined
        ? null
        : data.serviceAccounts.map((account) => (
            <ServiceAccountCard
              key={account.id}
              account={account}
              data={data}
              onAccount={(changed) => {
                onAccount(changed);
                setDone(t(changed.disabledAt === null ? "admin.serviceAccounts.enabled" : "admin.serviceAccounts.disabled", { name: changed.name }));
              }}
              onTokenCreated={(token) => {
                onToken(token);
                setDone(undefined);
                setCreated(token);
              }}
              onTokenRevoked={(token) => {
                onToken(token);
                setDone(t("admin.serviceAccounts.tokens.revoked", { label: token.label || token.id }));
              }}
            />
          ))}
    </div>
  );
}

function ServiceAccountCard(props: {
  account: ServiceAccount;
  data: ServiceAccountsData;
  onAccount: (account: ServiceAccount) => void;
  onTokenCreated: (token: CreatedApiToken) => void;
  onTokenRevoked: (token: ApiToken) => void;
}) {
  const { account, data } = props;
  const { t } = useTranslation();
  const [isAddingToken, setAddingToken] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const tokens = data.tokens.filter((token) => token.serviceAccountId === account.id);
  const isDisabled = account.disabledAt !== null;
  const toggle = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      props.onAccount(isDisabled ? await client.enableServiceAccount(account.id) : await client.disableServiceAccount(account.id));
    } catch (reason) {
      setError(describeProblem(reason, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="service-account" aria-labelledby={`service-account-${account.id}`} data-testid="service-account">
      <div className="service-account__header">
        <div className="service-account__title-group">
          <h2 id={`service-account-${account.id}`} className="service-account__name" data-testid="service-account-name">
            {account.name}
          </h2>
          <StateBadge tone={isDisabled ? "stopped" : "good"} testId="service-account-state">
            {t(isDisabled ? "admin.serviceAccounts.stateDisabled" : "admin.serviceAccounts.stateEnabled")}
          </StateBadge>
          {account.description === null ? null : <p className="service-account__description">{account.description}</p>}
        </div>
        <div className="service-account__actions">
          {isDisabled || isAddingToken ? null : (
            <Button variant="secondary" icon={<PlusIcon className="button__icon" />} data-testid="new-token" onClick={() => setAddingToken(true)}>
              {t("admin.serviceAccounts.tokens.new")}
            </Button>
          )}
          <Button
            variant="quiet"
            className={isDisabled ? undefined : "button--quiet-danger"}
            isBusy={isBusy}
            aria-label={t(isDisabled ? "admin.serviceAccounts.enableNamed" : "admin.serviceAccounts.disableNamed", { name: account.name })}
            data-testid={isDisabled ? "enable-service-account" : "disable-service-account"}
            onClick={() => void toggle()}
          >
            {t(isDisabled ? "admin.serviceAccounts.enable" : "admin.serviceAccounts.disable")}
          </Button>
        </div>
      </div>
      {error === undefined ? null : <p className="field__error" role="alert">{error}</p>}
      {isDisabled ? <p className="service-account__note">{t("admin.serviceAccounts.disabledNote")}</p> : null}
      {isAddingToken ? (
        <NewTokenForm
          account={account}
          folders={data.folders}
          onCancel={() => setAddingToken(false)}
          onCreated={(token) => {
            setAddingToken(false);
            props.onTokenCreated(token);
          }}
        />
      ) : null}
      {tokens.length === 0 ? (
        <p className="service-account__note" data-testid="no-tokens">
          {t("admin.serviceAccounts.tokens.none")}
        </p>
      ) : (
        <ul className="token-list" aria-label={t("admin.serviceAccounts.tokens.listLabel", { name: account.name })}>
          {tokens.map((token) => (
            <TokenRow key={token.id} token={token} folders={data.folders} onRevoked={props.onTokenRevoked} />
          ))}
        </ul>
      )}
    </section>
  );
}

function NewServiceAccountForm({ onCreated, onCancel }: { onCreated: (account: ServiceAccount) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (name.trim() === "") return setError(t("admin.serviceAccounts.nameRequired"));
    setBusy(true);
    try {
      onCreated(await client.createServiceAccount({ name: name.trim(), ...(description.trim() === "" ? {} : { description: description.trim() }) }));
    } catch (reason) {
      setBusy(false);
      setError(describeProblem(reason, t));
    }
  };
  return (
    <form className="form template-form-card" noValidate onSubmit={(event) => void submit(event)} data-testid="new-service-account-form">
      <TextField
        label={t("admin.serviceAccounts.name")}
        hint={t("admin.serviceAccounts.nameHint")}
        value={name}
        maxLength={64}
        autoComplete="off"
        autoFocus
        error={error}
        data-testid="service-account-name-input"
        onChange={(event) => {
          setName(event.target.value);
          setError(undefined);
        }}
      />
      <TextField label={t("admin.serviceAccounts.description")} labelNote={t("setup.optional")} value={description} maxLength={500} autoComplete="off" onChange={(event) => setDescription(event.target.value)} />
      <div className="form__actions">
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="create-service-account">
          {t("admin.serviceAccounts.create")}
        </Button>
      </div>
    </form>
  );
}
