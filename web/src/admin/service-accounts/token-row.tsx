// One API token: label, state, scope (entries and folders by name, permissions), expiry, last use
// and its address, and Revoke (asked twice, then refused from the next request).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import type { ApiToken } from "../../../../src/contract/service-accounts.js";
import { useEntryNames } from "../../entries/entry-picker.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { KeyIcon } from "../../ui/icons.js";
import { describeProblem } from "../../ui/problem-text.js";
import { StateBadge, type StateTone } from "../state-badge.js";

const TOKEN_TONES: Readonly<Record<ApiToken["state"], StateTone>> = { active: "good", expired: "warning", revoked: "stopped" };

interface Props {
  readonly token: ApiToken;
  readonly folders: readonly Folder[];
  readonly onRevoked: (token: ApiToken) => void;
}

export function TokenRow({ token, folders, onRevoked }: Props) {
  const { t, i18n } = useTranslation();
  const [isConfirming, setConfirming] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const when = (iso: string | null): string => (iso === null ? "" : new Date(iso).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" }));
  // The token's own entries by name, asked for one by one (the page does not load every entry).
  const entryName = useEntryNames(token.scope.entryIds, true);
  const folderName = new Map(folders.map((f) => [f.id, f.name]));
  const reach = [...token.scope.entryIds.map((id) => entryName.get(id) ?? id), ...token.scope.folderIds.map((id) => t("admin.serviceAccounts.tokens.folderScope", { name: folderName.get(id) ?? id }))];
  const revoke = async (): Promise<void> => {
    setBusy(true);
    try {
      onRevoked(await client.revokeApiToken(token.id));
    } catch (reason) {
      setError(describeProblem(reason, t));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <li className={`token-row token-row--${token.state}`} data-testid="token-row">
      <KeyIcon className="token-row__icon" width={16} height={16} />
      <div className="token-row__text">
        <span className="token-row__label" data-testid="token-row-label">
          {token.label || t("admin.serviceAccounts.tokens.unlabelled")}
        </span>
        <StateBadge tone={TOKEN_TONES[token.state]} testId="token-row-state">
          {t(`admin.serviceAccounts.tokens.state.${token.state}`)}
        </StateBadge>
        <span className="token-row__scope" data-testid="token-row-scope">
          {t("admin.serviceAccounts.tokens.scope", { permissions: token.scope.permissions.map((p) => t(`admin.serviceAccounts.tokens.permission.${p}`)).join(", "), reach: reach.join(", ") })}
        </span>
        {token.allowedCidrs.length === 0 ? null : <span className="token-row__meta">{t("admin.serviceAccounts.tokens.allowedFrom", { cidrs: token.allowedCidrs.join(", ") })}</span>}
        <span className="token-row__meta">
          {token.expiresAt === null ? t("admin.serviceAccounts.tokens.neverExpires") : t("admin.serviceAccounts.tokens.expires", { when: when(token.expiresAt) })}
        </span>
        <span className="token-row__meta" data-testid="token-row-last-use">
          {token.lastUsedAt === null ? t("admin.serviceAccounts.tokens.neverUsed") : t("admin.serviceAccounts.tokens.lastUsed", { when: when(token.lastUsedAt), address: token.lastUsedIp ?? "" })}
        </span>
        {error === undefined ? null : <span className="field__error" role="alert">{error}</span>}
      </div>
      {token.state === "revoked" ? null : (
        <div className="token-row__actions">
          {isConfirming ? (
            <Button variant="quiet" onClick={() => setConfirming(false)}>
              {t("shell.cancel")}
            </Button>
          ) : null}
          <Button
            variant={isConfirming ? "danger" : "quiet"}
            className={isConfirming ? undefined : "button--quiet-danger"}
            isBusy={isBusy}
            data-testid={isConfirming ? "confirm-revoke-token" : "revoke-token"}
            onClick={() => (isConfirming ? void revoke() : setConfirming(true))}
          >
            {t(isConfirming ? "admin.serviceAccounts.tokens.confirmRevoke" : "admin.serviceAccounts.tokens.revoke")}
          </Button>
        </div>
      )}
    </li>
  );
}
