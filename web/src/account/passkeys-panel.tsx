// The account page's passkeys and security keys: add one (name it, then the browser's own dialog;
// sudo.tsx asks for the password first when needed), see each with when it was last used, rename
// or remove it (in sudo mode too: removing one signs out the other sessions).
import { useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { browserSupportsWebAuthn, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import type { Passkey, RegisterPasskeyRequest } from "../../../src/contract/passkeys.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { useSudo } from "./sudo.js";

const PASSKEYS_KEY = ["account", "passkeys"];

/** The browser's dialog was closed or timed out: not a problem to describe, a sentence of our own. */
const isCancelled = (error: unknown): boolean => error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError" || (error as { code?: string }).code === "ERROR_CEREMONY_ABORTED");

function AddPasskeyForm({ username, onDone }: { username: string; onDone: (name: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const withSudo = useSudo();

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (name.trim() === "") return setError(t("problems.passkey_name_required"));
    setBusy(true);
    setError(undefined);
    try {
      const { options } = await withSudo(() => client.passkeyRegistrationOptions());
      const credential = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
      await client.registerPasskey({ name: name.trim(), credential: credential as RegisterPasskeyRequest["credential"] });
      onDone(name.trim());
    } catch (caught) {
      setBusy(false);
      setError(isCancelled(caught) ? t("account.passkeys.cancelled") : describeProblem(caught, t));
    }
  };

  return (
    <form className="form passkeys__add" noValidate onSubmit={(event) => void submit(event)} data-testid="passkey-add-form">
      <FormAlert message={error} testId="passkey-error" />
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <TextField label={t("account.passkeys.name")} hint={t("account.passkeys.nameHint")} value={name} maxLength={64} onChange={(event) => setName(event.target.value)} />
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy}>
          {t("account.passkeys.continue")}
        </Button>
      </div>
    </form>
  );
}

function PasskeyRow({ passkey, onChanged }: { passkey: Passkey; onChanged: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const [isRenaming, setRenaming] = useState(false);
  const [name, setName] = useState(passkey.name);
  const [error, setError] = useState<string>();
  const withSudo = useSudo();
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { year: "numeric", month: "short", day: "numeric" });

  const rename = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    try {
      await client.renamePasskey(passkey.id, name);
      setRenaming(false);
      onChanged(t("account.passkeys.renamed"));
    } catch (caught) {
      setError(describeProblem(caught, t));
    }
  };
  const remove = async (): Promise<void> => {
    if (!globalThis.confirm(t("account.passkeys.removeConfirm", { name: passkey.name }))) return;
    try {
      await withSudo(() => client.removePasskey(passkey.id));
      onChanged(t("account.passkeys.removed", { name: passkey.name }));
    } catch (caught) {
      setError(describeProblem(caught, t));
    }
  };

  return (
    <li className="passkeys__item" data-testid="passkey-item">
      {isRenaming ? (
        <form className="passkeys__rename" noValidate onSubmit={(event) => void rename(event)}>
          <TextField label={t("account.passkeys.renameLabel", { name: passkey.name })} value={name} maxLength={64} onChange={(event) => setName(event.target.value)} />
          <div className="form__actions">
            <Button type="submit" variant="primary">
              {t("account.passkeys.save")}
            </Button>
            <Button onClick={() => setRenaming(false)}>{t("account.passkeys.cancel")}</Button>
          </div>
        </form>
      ) : (
        <>
          <div className="passkeys__text">
            <span className="passkeys__name">{passkey.name}</span>
            <span className="passkeys__meta">
              {passkey.deviceType === "multiDevice" ? t("account.passkeys.synced") : t("account.passkeys.deviceBound")} · {t("account.passkeys.created", { date: date(passkey.createdAt) })} ·{" "}
              <span data-testid="passkey-last-used">{passkey.lastUsedAt === null ? t("account.passkeys.neverUsed") : t("account.passkeys.lastUsed", { date: date(passkey.lastUsedAt) })}</span>
            </span>
          </div>
          <div className="passkeys__actions">
            <Button variant="quiet" onClick={() => setRenaming(true)} aria-label={t("account.passkeys.renameButtonLabel", { name: passkey.name })}>
              {t("account.passkeys.rename")}
            </Button>
            <Button variant="danger" onClick={() => void remove()} aria-label={t("account.passkeys.removeLabel", { name: passkey.name })}>
              {t("account.passkeys.remove")}
            </Button>
          </div>
        </>
      )}
      <FormAlert message={error} />
    </li>
  );
}

export function PasskeysPanel({ username }: { username: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: PASSKEYS_KEY, queryFn: () => client.listPasskeys() });
  const [isAdding, setAdding] = useState(false);
  const [message, setMessage] = useState<string>();
  const changed = (text: string): void => {
    setMessage(text);
    void queryClient.invalidateQueries({ queryKey: PASSKEYS_KEY });
  };
  const passkeys = query.data?.passkeys ?? [];

  if (!browserSupportsWebAuthn()) return <p className="passkeys__intro">{t("account.passkeys.unsupported")}</p>;
  return (
    <div className="passkeys" data-testid="passkeys">
      <p className="passkeys__intro">{t("account.passkeys.intro")}</p>
      <FormAlert message={message} tone="info" testId="passkey-message" />
      <FormAlert message={query.isError ? describeProblem(query.error, t) : undefined} />
      {query.isSuccess && passkeys.length === 0 ? <p className="passkeys__empty">{t("account.passkeys.empty")}</p> : null}
      {passkeys.length > 0 ? (
        <ul className="passkeys__list" aria-label={t("account.passkeys.listLabel")}>
          {passkeys.map((passkey) => (
            <PasskeyRow key={`${passkey.id}:${passkey.name}`} passkey={passkey} onChanged={changed} />
          ))}
        </ul>
      ) : null}
      {isAdding ? (
        <AddPasskeyForm
          username={username}
          onDone={(name) => {
            setAdding(false);
            changed(t("account.passkeys.added", { name }));
          }}
        />
      ) : (
        <div className="form__actions">
          <Button variant="primary" onClick={() => { setMessage(undefined); setAdding(true); }} data-testid="passkey-add">
            {t("account.passkeys.add")}
          </Button>
        </div>
      )}
    </div>
  );
}
