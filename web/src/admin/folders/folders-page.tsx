// /admin/folders — administrators create, rename and delete folders; a folder that still holds
// entries says how many and cannot be deleted. Anyone else is told the page is for administrators.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../../src/contract/auth.js";
import type { Folder } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button, ButtonLink } from "../../ui/button.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { CloudOffIcon, FolderIcon, LockIcon, PlusIcon } from "../../ui/icons.js";
import { LoadingView } from "../../ui/loading-view.js";
import { Notice } from "../../ui/notice.js";
import { PageHeading } from "../../ui/page-heading.js";
import { describeProblem } from "../../ui/problem-text.js";
import { StatusPanel } from "../../ui/status-panel.js";
import { useFolderList, useServerChanges } from "../../entries/queries.js";
import { AdminNav } from "../admin-nav.js";
import { DeleteFolderDialog } from "./delete-folder-dialog.js";
import { FolderNameForm } from "./folder-name-form.js";
import { FolderRow } from "./folder-row.js";

type Done = { readonly kind: "created" | "renamed" | "deleted"; readonly name: string };

export function FoldersPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("admin.folders.documentTitle"));
  if (session.user.role !== "admin") return <AdminsOnly />;
  return <FoldersAdmin />;
}

function AdminsOnly() {
  const { t } = useTranslation();
  return (
    <div className="page" data-testid="folders-admins-only">
      <div className="page-status">
        <StatusPanel tone="info" icon={<LockIcon width={28} height={28} />} title={t("admin.folders.adminsOnly.title")} actions={<ButtonLink to="/">{t("shell.notFound.action")}</ButtonLink>}>
          <p>{t("admin.folders.adminsOnly.body")}</p>
        </StatusPanel>
      </div>
    </div>
  );
}

function FoldersAdmin() {
  const { t } = useTranslation();
  const loaded = useFolderList();
  const { foldersChanged } = useServerChanges();
  const [isCreating, setCreating] = useState(false);
  const [done, setDone] = useState<Done>();
  const [deleting, setDeleting] = useState<Folder>();
  const folders = loaded.data ?? [];
  // The reply is shown at once; the list is asked again for what others changed meanwhile.
  const replaceFolders = (next: readonly Folder[]): void => foldersChanged(next);

  const onCreated = (folder: Folder): void => {
    replaceFolders([...folders, folder]);
    setCreating(false);
    setDone({ kind: "created", name: folder.name });
  };
  const onRenamed = (folder: Folder): void => {
    replaceFolders(folders.map((candidate) => (candidate.id === folder.id ? folder : candidate)));
    setDone({ kind: "renamed", name: folder.name });
  };
  const onDeleted = (folder: Folder): void => {
    replaceFolders(folders.filter((candidate) => candidate.id !== folder.id));
    setDeleting(undefined);
    setDone({ kind: "deleted", name: folder.name });
  };

  return (
    <div className="page folders-page" data-testid="folders-page">
      <AdminNav />
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("admin.folders.title")}</PageHeading>
          <p className="page__lede">{t("admin.folders.lede")}</p>
        </div>
        {isCreating ? null : (
          <Button
            variant="primary"
            icon={<PlusIcon className="button__icon" />}
            data-testid="new-folder"
            onClick={() => {
              setDone(undefined);
              setCreating(true);
            }}
          >
            {t("admin.folders.new")}
          </Button>
        )}
      </div>
      {done === undefined ? null : <Notice tone="success" title={t(`admin.folders.${done.kind}`, { name: done.name })} onDismiss={() => setDone(undefined)} testId={`folder-${done.kind}`} />}
      {isCreating ? (
        <FolderNameForm
          initialName=""
          label={t("admin.folders.newName")}
          submitLabel={t("admin.folders.create")}
          look="card"
          testIds={{ form: "new-folder-form", name: "new-folder-name", submit: "create-folder" }}
          save={(name) => client.createFolder({ name })}
          onSaved={onCreated}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      <section className="folders-page__list" aria-labelledby="folders-list-title">
        <h2 id="folders-list-title" className="templates-page__subtitle">
          {t("admin.folders.listTitle")}
        </h2>
        {loaded.isPending ? <LoadingView label={t("shell.loading")} /> : null}
        {loaded.isError && loaded.data === undefined ? <FoldersFailed error={loaded.error} onRetry={() => void loaded.refetch()} /> : null}
        {loaded.data !== undefined && folders.length === 0 ? (
          <div className="empty-state empty-state--small" data-testid="folders-empty">
            <FolderIcon className="empty-state__icon" width={28} height={28} />
            <h3 className="empty-state__title">{t("admin.folders.empty.title")}</h3>
            <p className="empty-state__body">{t("admin.folders.empty.body")}</p>
          </div>
        ) : null}
        {folders.length > 0 ? (
          <ul className="folder-list" data-testid="folder-list">
            {folders.map((folder) => (
              <FolderRow key={folder.id} folder={folder} onRenamed={onRenamed} onDelete={() => setDeleting(folder)} />
            ))}
          </ul>
        ) : null}
      </section>
      <DeleteFolderDialog folder={deleting} onClose={() => setDeleting(undefined)} onDeleted={onDeleted} />
    </div>
  );
}

function FoldersFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="no-matches" data-testid="folders-failed">
      <CloudOffIcon className="no-matches__icon" width={22} height={22} />
      <h3 className="no-matches__title">{t("admin.folders.failed")}</h3>
      <p className="no-matches__body">{describeProblem(error, t)}</p>
      <Button variant="secondary" onClick={onRetry}>
        {t("shell.retry")}
      </Button>
    </div>
  );
}

