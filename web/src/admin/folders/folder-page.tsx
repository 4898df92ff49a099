// /admin/folders/:id — one folder's page: how many entries it holds, which group approves access
// requests for it (administrators choose), and its Access panel (administrators and its managers).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { FolderPage as FolderPageData, NamedPrincipal } from "../../../../src/contract/grants.js";
import { AccessPanel } from "../../access/access-panel.js";
import { PrincipalPicker } from "../../access/principal-picker.js";
import { ApiError, client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { FormAlert } from "../../ui/form-alert.js";
import { ArrowLeftIcon, LockIcon } from "../../ui/icons.js";
import { LoadingView } from "../../ui/loading-view.js";
import { PageHeading } from "../../ui/page-heading.js";
import { Panel } from "../../ui/panel.js";
import { describeProblem } from "../../ui/problem-text.js";
import { Link } from "../../ui/router.js";
import { StatusPanel } from "../../ui/status-panel.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { loadStateOf } from "../../ui/query-state.js";

export function FolderPage({ folderId }: { folderId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const queryKey = ["folders", "page", folderId] as const;
  const query = useQuery({ queryKey, queryFn: () => client.getFolder(folderId) });
  const loaded = { state: loadStateOf(query), replace: (page: FolderPageData) => queryClient.setQueryData(queryKey, page) };
  const folder = loaded.state.status === "ready" ? loaded.state.value : undefined;
  useDocumentTitle(folder?.name ?? t("admin.folders.page.documentTitle"));
  return (
    <div className="page folder-page" data-testid="folder-page">
      <Link to="/admin/folders" className="back-link">
        <ArrowLeftIcon className="back-link__icon" />
        {t("admin.folders.page.back")}
      </Link>
      {loaded.state.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {loaded.state.status === "failed" ? <FolderFailed error={loaded.state.error} /> : null}
      {folder === undefined ? null : (
        <>
          <PageHeading>{folder.name}</PageHeading>
          <p className="folder-page__count" data-testid="folder-page-count">
            {folder.entryCount === 0 ? t("admin.folders.noEntries") : t("admin.folders.entries", { count: folder.entryCount })}
          </p>
          <div className="folder-page__grid">
            <AccessPanel scope={{ kind: "folder", id: folder.id }} canGrant={folder.canGrant} grants={folder.grants} />
            <ApproverPanel folder={folder} onChange={loaded.replace} />
          </div>
        </>
      )}
    </div>
  );
}

function FolderFailed({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const isRefused = error instanceof ApiError && (error.code === "forbidden" || error.code === "not_found" || error.code === "invalid_input");
  return (
    <div className="page-status">
      <StatusPanel tone="info" icon={<LockIcon width={28} height={28} />} title={t(isRefused ? "admin.folders.page.refused" : "shell.failed.title")} testId="folder-page-refused">
        <p>{describeProblem(error, t)}</p>
      </StatusPanel>
    </div>
  );
}

function ApproverPanel({ folder, onChange }: { folder: FolderPageData; onChange: (folder: FolderPageData) => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<NamedPrincipal>();
  const [failure, setFailure] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const save = async (groupId: string | null): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      onChange(await client.setFolderApproverGroup(folder.id, groupId));
      setChosen(undefined);
    } catch (reason) {
      setFailure(describeProblem(reason, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title={t("admin.folders.page.approverTitle")} testId="approver-panel">
      <div className="approver-panel">
      <p className="panel__note">{t("admin.folders.page.approverHelp")}</p>
      <p className="approver-panel__current" data-testid="approver-group">
        {folder.approverGroup === null ? t("admin.folders.page.noApprover") : t("admin.folders.page.approverIs", { name: folder.approverGroup.name })}
      </p>
      {folder.canAdminister ? (
        <div className="approver-form">
          <FormAlert message={failure} testId="approver-error" />
          <PrincipalPicker label={t("admin.folders.page.approverGroup")} kind="group" value={chosen} onChange={setChosen} testId="approver-picker" />
          <div className="approver-form__actions">
            <Button variant="primary" isBusy={isBusy} disabled={chosen === undefined} data-testid="save-approver" onClick={() => chosen !== undefined && void save(chosen.id)}>
              {t("admin.folders.page.saveApprover")}
            </Button>
            {folder.approverGroup === null ? null : (
              <Button variant="quiet" isBusy={isBusy} data-testid="clear-approver" onClick={() => void save(null)}>
                {t("admin.folders.page.clearApprover")}
              </Button>
            )}
          </div>
        </div>
      ) : null}
      </div>
    </Panel>
  );
}
