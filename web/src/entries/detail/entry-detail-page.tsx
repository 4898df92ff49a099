// /entries/:id — one entry: its live code, recovery codes, other secrets, attributes and OTP
// settings. Managers edit, overwrite the seed, replace recovery codes and delete from here.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AccessPanel } from "../../access/access-panel.js";
import type { EntryDetail } from "../../../../src/contract/entries.js";
import { ApiError, client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { setFlash } from "../../ui/flash.js";
import { ArrowLeftIcon, CompassIcon, PencilIcon, TrashIcon } from "../../ui/icons.js";
import { LoadingView } from "../../ui/loading-view.js";
import { PageHeading } from "../../ui/page-heading.js";
import { Link, navigate } from "../../ui/router.js";
import { StatusPanel } from "../../ui/status-panel.js";
import { useLoad } from "../../ui/use-load.js";
import { EntryTile, issuerAndAccount } from "../entry-tile.js";
import { useFolders } from "../folders.js";
import { ListFailed } from "../list-states.js";
import { CodePanel } from "./code-panel.js";
import { DeleteEntryDialog } from "./delete-entry-dialog.js";
import { EditEntryDialog } from "./edit-entry-dialog.js";
import { DetailsPanel, OtpPanel } from "./facts-panels.js";
import { RecoveryCodesPanel } from "./recovery-codes-panel.js";
import { SecretFieldsPanel } from "./secret-fields-panel.js";
import { useEntryCode } from "./use-entry-code.js";

export function EntryDetailPage({ entryId }: { entryId: string }) {
  const { t } = useTranslation();
  const loaded = useLoad(() => client.getEntry(entryId), entryId);
  const entry = loaded.state.status === "ready" ? loaded.state.value : undefined;
  useDocumentTitle(entry?.name ?? t("entries.detail.documentTitle"));

  return (
    <div className="page entry-page" data-testid="entry-page">
      <Link to="/" className="back-link">
        <ArrowLeftIcon className="back-link__icon" />
        {t("entries.detail.back")}
      </Link>
      {loaded.state.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {loaded.state.status === "failed" ? <EntryFailed error={loaded.state.error} onRetry={loaded.reload} /> : null}
      {entry === undefined ? null : <EntryView entry={entry} onEntryChange={loaded.replace} />}
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

function EntryView({ entry, onEntryChange }: { entry: EntryDetail; onEntryChange: (entry: EntryDetail) => void }) {
  const { t } = useTranslation();
  const { folders, reload: reloadFolders } = useFolders();
  const isLive = entry.otp !== null && entry.otp.type !== "hotp";
  const live = useEntryCode(entry.id, isLive);
  const [dialog, setDialog] = useState<"edit" | "delete">();
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
          <CodePanel entry={entry} live={live} />
          <AccessPanel entryId={entry.id} />
          <RecoveryCodesPanel entry={entry} onEntryChange={onEntryChange} />
          <SecretFieldsPanel entry={entry} onEntryChange={onEntryChange} />
        </div>
        <div className="entry-page__side">
          <OtpPanel
            entry={entry}
            onOverwritten={(reply) => {
              onEntryChange(reply.entry);
              live.refresh();
            }}
          />
          <DetailsPanel entry={entry} folders={folders} />
        </div>
      </div>

      <EditEntryDialog
        entry={entry}
        folders={folders}
        isOpen={dialog === "edit"}
        onClose={() => setDialog(undefined)}
        onSaved={(next) => {
          onEntryChange(next);
          reloadFolders();
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
        }}
      />
    </>
  );
}
