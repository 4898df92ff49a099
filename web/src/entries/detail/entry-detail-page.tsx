// /entries/:id — one entry: its code on demand, recovery codes, other secrets, attributes and OTP
// settings. Managers edit, overwrite the seed, replace recovery codes and delete from here.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RequestPanel } from "../../access/request-panel.js";
import type { EntryDetail } from "../../../../src/contract/entries.js";
import { ApiError } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { setFlash } from "../../ui/flash.js";
import { ArrowLeftIcon, CompassIcon, PencilIcon, TrashIcon } from "../../ui/icons.js";
import { LoadingView } from "../../ui/loading-view.js";
import { PageHeading } from "../../ui/page-heading.js";
import { Link, navigate } from "../../ui/router.js";
import { StatusPanel } from "../../ui/status-panel.js";
import { EntryTile, issuerAndAccount } from "../entry-tile.js";
import { ListFailed } from "../list-states.js";
import { useEntry, useFolderList, useServerChanges } from "../queries.js";
import { CodePanel } from "./code-panel.js";
import { DeleteEntryDialog } from "./delete-entry-dialog.js";
import { EditEntryDialog } from "./edit-entry-dialog.js";
import { DetailsPanel, OtpPanel } from "./facts-panels.js";
import { RecoveryCodesPanel } from "./recovery-codes-panel.js";
import { SecretFieldsPanel } from "./secret-fields-panel.js";
import { AccessPanel } from "../../access/access-panel.js";
import { RecentUsePanel } from "../../audit/recent-use-panel.js";
import { AlertsPanel } from "../../access/alerts-panel.js";

export function EntryDetailPage({ entryId }: { entryId: string }) {
  const { t } = useTranslation();
  const loaded = useEntry(entryId);
  const entry = loaded.data;
  useDocumentTitle(entry?.name ?? t("entries.detail.documentTitle"));

  return (
    <div className="page entry-page" data-testid="entry-page">
      <Link to="/" className="back-link">
        <ArrowLeftIcon className="back-link__icon" />
        {t("entries.detail.back")}
      </Link>
      {loaded.isPending ? <LoadingView label={t("shell.loading")} /> : null}
      {loaded.isError && entry === undefined ? <EntryFailed error={loaded.error} onRetry={() => void loaded.refetch()} /> : null}
      {entry === undefined ? null : <EntryView entry={entry} />}
    </div>
  );
}

function EntryFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && (error.code === "not_found" || error.code === "forbidden" || error.code === "invalid_input")) {
    return (
      <div className="page-status">
        <StatusPanel tone="info" icon={<CompassIcon width={28} height={28} />} title={t("entries.detail.notFound.title")} testId="entry-not-found">
          <p>{t("entries.detail.notFound.body")}</p>
        </StatusPanel>
      </div>
    );
  }
  return <ListFailed error={error} onRetry={onRetry} />;
}

function EntryView({ entry }: { entry: EntryDetail }) {
  const { t } = useTranslation();
  const folders = useFolderList().data;
  const { entryChanged: onEntryChange, entryDeleted } = useServerChanges();
  const [dialog, setDialog] = useState<"edit" | "delete">();
  // A new seed makes any code shown from the old one wrong: the code panel starts over, closed.
  const [seedGeneration, setSeedGeneration] = useState(0);
  const subtitle = issuerAndAccount(entry);

  return (
    <>
      <div className="entry-page__header">
        <EntryTile entry={entry} size="l" />
        <div className="entry-page__title">
          <PageHeading>{entry.name}</PageHeading>
          {subtitle === "" ? null : <p className="entry-page__subtitle">{subtitle}</p>}
        </div>
        {entry.canManage ? (
          <div className="entry-page__actions">
            <Button variant="secondary" icon={<PencilIcon className="button__icon" />} data-testid="edit-entry" onClick={() => setDialog("edit")}>
              {t("entries.detail.edit.open")}
            </Button>
            <Button variant="quiet" className="button--quiet-danger" icon={<TrashIcon className="button__icon" />} data-testid="delete-entry" onClick={() => setDialog("delete")}>
              {t("entries.detail.delete.open")}
            </Button>
          </div>
        ) : null}
      </div>

      <div className="entry-page__grid">
        <div className="entry-page__main">
          <CodePanel key={seedGeneration} entry={entry} />
          <RequestPanel entryId={entry.id} entryName={entry.name} />
          <RecoveryCodesPanel entry={entry} onEntryChange={onEntryChange} />
          <SecretFieldsPanel entry={entry} onEntryChange={onEntryChange} />
        </div>
        <div className="entry-page__side">
          <OtpPanel
            entry={entry}
            onOverwritten={(reply) => {
              onEntryChange(reply.entry);
              setSeedGeneration((value) => value + 1);
            }}
          />
          <DetailsPanel entry={entry} folders={folders} />
          <AccessPanel scope={{ kind: "entry", id: entry.id }} canGrant={entry.canManage} sharedWith={entry.sharedWith} />
          <RecentUsePanel entryId={entry.id} canManage={entry.canManage} />
          <AlertsPanel entryId={entry.id} />
        </div>
      </div>

      <EditEntryDialog
        entry={entry}
        folders={folders}
        isOpen={dialog === "edit"}
        onClose={() => setDialog(undefined)}
        onSaved={(next) => {
          onEntryChange(next);
          setDialog(undefined);
        }}
      />
      <DeleteEntryDialog
        entry={entry}
        isOpen={dialog === "delete"}
        onClose={() => setDialog(undefined)}
        onDeleted={() => {
          setFlash(t("entries.detail.delete.done", { name: entry.name }));
          navigate("/");
          entryDeleted(entry.id);
        }}
      />
    </>
  );
}
