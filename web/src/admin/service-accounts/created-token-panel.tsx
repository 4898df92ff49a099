// The one time a new API token is shown (admin/shown-once-panel.tsx), with the curl call that uses it.
import { useTranslation } from "react-i18next";
import type { CreatedApiToken } from "../../../../src/contract/service-accounts.js";
import { ShownOncePanel } from "../shown-once-panel.js";

export function CreatedTokenPanel({ created, onDismiss }: { created: CreatedApiToken; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <ShownOncePanel
      id="created-token"
      title={t("admin.serviceAccounts.tokens.createdTitle", { name: created.serviceAccountName })}
      body={t("admin.serviceAccounts.tokens.createdBody")}
      value={created.token}
      copyLabel={t("admin.serviceAccounts.tokens.copy")}
      copiedLabel={t("admin.serviceAccounts.tokens.copied")}
      copyTestId="copy-token"
      dismissLabel={t("admin.serviceAccounts.tokens.stored")}
      dismissTestId="dismiss-token"
      onDismiss={onDismiss}
    >
      <p className="created-token__usage">
        <code>{`curl -H "Authorization: Bearer $WATCHWORD_TOKEN" ${window.location.origin}/api/v1/entries/ID/code`}</code>
      </p>
    </ShownOncePanel>
  );
}
