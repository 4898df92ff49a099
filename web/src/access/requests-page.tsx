// /requests — what waits for the reader's approval, emergency uses waiting for review, and the
// reader's own requests. Opening the page marks notifications read.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { AccessRequest } from "../../../src/contract/access-requests.js";
import { ListFailed } from "../entries/list-states.js";
import { client } from "../ui/api-client.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { LoadingView } from "../ui/loading-view.js";
import { PageHeading } from "../ui/page-heading.js";
import { useQuery } from "@tanstack/react-query";
import { loadStateOf } from "../ui/query-state.js";
import { useAbilities } from "../account/abilities.js";
import { FolderRequest } from "./folder-request.js";
import { RequestCard } from "./request-card.js";
import { REQUESTS_KEY, useRequestsChanged } from "./requests-nav-label.js";

async function loadRequests() {
  const [mine, toApprove, toReview] = await Promise.all([client.listAccessRequests("mine"), client.listAccessRequests("to-approve"), client.listAccessRequests("to-review")]);
  return { mine: mine.requests, toApprove: toApprove.requests, toReview: toReview.requests };
}

function Section({ title, empty, requests, mode, testId, onChanged }: { title: string; empty: string; requests: readonly AccessRequest[]; mode: "mine" | "decide"; testId: string; onChanged: () => void }) {
  return (
    <section className="requests-section" data-testid={testId} aria-label={title}>
      <h2 className="requests-section__title">
        {title} <span className="count-badge">{requests.length}</span>
      </h2>
      {requests.length === 0 ? (
        <p className="page__lede">{empty}</p>
      ) : (
        <ul className="request-list">
          {requests.map((request) => (
            <RequestCard key={request.id} request={request} mode={mode} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function RequestsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("access.page.documentTitle"));
  const query = useQuery({ queryKey: [...REQUESTS_KEY, "lists"], queryFn: loadRequests });
  const loaded = { state: loadStateOf(query), reload: () => void query.refetch() };
  const onChanged = useRequestsChanged();
  const { canRequestAccess } = useAbilities();
  useEffect(() => {
    // Reading the page is reading the notifications; a failure leaves them unread, nothing more.
    client.markNotificationsRead().then(onChanged, () => undefined);
  }, []);

  return (
    <div className="page requests-page" data-testid="requests-page">
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("access.page.title")}</PageHeading>
          <p className="page__lede">{t("access.page.lede")}</p>
        </div>
      </div>
      {loaded.state.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {loaded.state.status === "failed" ? <ListFailed error={loaded.state.error} onRetry={loaded.reload} /> : null}
      {loaded.state.status === "ready" ? (
        <>
          <Section title={t("access.page.toApprove")} empty={t("access.page.toApproveEmpty")} requests={loaded.state.value.toApprove} mode="decide" testId="requests-to-approve" onChanged={onChanged} />
          <Section title={t("access.page.toReview")} empty={t("access.page.toReviewEmpty")} requests={loaded.state.value.toReview} mode="decide" testId="requests-to-review" onChanged={onChanged} />
          {canRequestAccess ? <FolderRequest onSent={onChanged} /> : null}
          <Section title={t("access.page.mine")} empty={t("access.page.mineEmpty")} requests={loaded.state.value.mine} mode="mine" testId="requests-mine" onChanged={onChanged} />
        </>
      ) : null}
    </div>
  );
}
