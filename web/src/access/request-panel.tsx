// The entry page's request panel: whether the entry needs an approved request (and how many
// approvers), the request form when the caller may not use it, break glass where allowed, and the
// policy settings for managers.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AccessRequest, EntryPolicyReply } from "../../../src/contract/access-requests.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { LoadingView } from "../ui/loading-view.js";
import { Notice } from "../ui/notice.js";
import { Panel } from "../ui/panel.js";
import { Link } from "../ui/router.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { loadStateOf } from "../ui/query-state.js";
import { BreakGlass } from "./break-glass.js";
import { EntryPolicyForm } from "./entry-policy-form.js";
import { RequestAccessForm } from "./request-access-form.js";

export function RequestPanel({ entryId, entryName }: { entryId: string; entryName: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const queryKey = ["entries", "policy", entryId] as const;
  const query = useQuery({ queryKey, queryFn: () => client.getEntryPolicy(entryId) });
  const loaded = { state: loadStateOf(query), replace: (policy: EntryPolicyReply) => queryClient.setQueryData(queryKey, policy) };
  const [isAsking, setAsking] = useState(false);
  const [sent, setSent] = useState<AccessRequest>();
  if (loaded.state.status === "loading") return <LoadingView label={t("shell.loading")} />;
  if (loaded.state.status === "failed") return null;
  const policy = loaded.state.value;
  const mayAsk = policy.canRequest && !policy.canUse;
  if (!mayAsk && !policy.canManage && policy.approvalsRequired === 0) return null;

  return (
    <Panel title={t("access.panel.title")} testId="request-panel" className="request-panel">
      <p data-testid="access-summary">
        {policy.approvalsRequired === 0 ? t("access.panel.noApproval") : t("access.panel.approvalRequired", { count: policy.approvalsRequired })}{" "}
        {policy.emergencyAccess ? t("access.panel.emergencyOn") : null}
      </p>
      {sent !== undefined ? (
        <Notice tone="success" title={t("access.request.sent")} testId="request-sent">
          <Link to="/requests">{t("access.request.follow")}</Link>
        </Notice>
      ) : mayAsk ? (
        isAsking ? (
          <RequestAccessForm target={{ entryId }} onSent={setSent} onCancel={() => setAsking(false)} />
        ) : (
          <Button variant="primary" data-testid="ask-access" onClick={() => setAsking(true)}>
            {t("access.request.ask")}
          </Button>
        )
      ) : null}
      {policy.canUseInEmergency ? <BreakGlass entry={{ id: entryId, name: entryName }} /> : null}
      {policy.canManage ? <EntryPolicyForm entryId={entryId} policy={policy} onSaved={loaded.replace} /> : null}
    </Panel>
  );
}
