// The one time a new API token is shown: with a copy button, and gone once dismissed (the server
// keeps only its hash, so nobody can show it again).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CreatedApiToken } from "../../../../src/contract/service-accounts.js";
import { Button } from "../../ui/button.js";
import { CheckIcon, CopyIcon, WarningIcon } from "../../ui/icons.js";

export function CreatedTokenPanel({ created, onDismiss }: { created: CreatedApiToken; onDismiss: () => void }) {
  const { t } = useTranslation();
  const [isCopied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    await navigator.clipboard.writeText(created.token);
    setCopied(true);
  };
  return (
    <section className="created-token" role="status" aria-labelledby="created-token-title" data-testid="created-token">
      <h2 id="created-token-title" className="created-token__title">
        <WarningIcon className="created-token__icon" width={18} height={18} />
        {t("admin.serviceAccounts.tokens.createdTitle", { name: created.serviceAccountName })}
      </h2>
      <p className="created-token__body">{t("admin.serviceAccounts.tokens.createdBody")}</p>
      <div className="created-token__value">
        <code className="created-token__token" data-testid="created-token-value">
          {created.token}
        </code>
        <Button variant="secondary" icon={isCopied ? <CheckIcon className="button__icon" /> : <CopyIcon className="button__icon" />} data-testid="copy-token" onClick={() => void copy()}>
          {t(isCopied ? "admin.serviceAccounts.tokens.copied" : "admin.serviceAccounts.tokens.copy")}
        </Button>
      </div>
      <p className="created-token__usage">
        <code>{`curl -H "Authorization: Bearer $WATCHWORD_TOKEN" ${window.location.origin}/api/v1/entries/ID/code`}</code>
      </p>
      <div className="form__actions">
        <Button variant="primary" data-testid="dismiss-token" onClick={onDismiss}>
          {t("admin.serviceAccounts.tokens.stored")}
        </Button>
      </div>
    </section>
  );
}
