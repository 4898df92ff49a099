// /admin/templates — administrators see every template, define new ones, and edit or delete their
// own; anyone else is told plainly that this page is for administrators.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../../src/contract/auth.js";
import type { Template } from "../../../../src/contract/entries.js";
import { Button, ButtonLink } from "../../ui/button.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { CloudOffIcon, LockIcon, PlusIcon } from "../../ui/icons.js";
import { LoadingView } from "../../ui/loading-view.js";
import { Notice } from "../../ui/notice.js";
import { PageHeading } from "../../ui/page-heading.js";
import { describeProblem } from "../../ui/problem-text.js";
import { StatusPanel } from "../../ui/status-panel.js";
import { queryKeys, useServerChanges, useTemplateList } from "../../entries/queries.js";
import { AdminNav } from "../admin-nav.js";
import { DeleteTemplateDialog } from "./delete-template-dialog.js";
import { TemplateForm } from "./template-form.js";
import { TemplateList } from "./template-list.js";

export function TemplatesPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("admin.templates.documentTitle"));
  if (session.user.role !== "admin") return <AdminsOnly />;
  return <TemplatesAdmin />;
}

function AdminsOnly() {
  const { t } = useTranslation();
  return (
    <div className="page" data-testid="templates-admins-only">
      <div className="page-status">
        <StatusPanel
          tone="info"
          icon={<LockIcon width={28} height={28} />}
          title={t("admin.templates.adminsOnly.title")}
          actions={
            <ButtonLink to="/">
              {t("shell.notFound.action")}
            </ButtonLink>
          }
        >
          <p>{t("admin.templates.adminsOnly.body")}</p>
        </StatusPanel>
      </div>
    </div>
  );
}

type Editing = { readonly kind: "none" } | { readonly kind: "new" } | { readonly kind: "edit"; readonly template: Template };
type Done = { readonly kind: "created" | "saved" | "deleted"; readonly template: Template };

function TemplatesAdmin() {
  const { t } = useTranslation();
  const loaded = useTemplateList();
  const queryClient = useQueryClient();
  const { templatesChanged } = useServerChanges();
  // The reply is shown at once; the list is asked again for what others changed meanwhile.
  const replaceTemplates = (next: (templates: readonly Template[]) => Template[]): void => {
    queryClient.setQueryData<Template[]>(queryKeys.templates, (current) => (current === undefined ? current : next(current)));
    templatesChanged();
  };
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const [done, setDone] = useState<Done>();
  const [deleting, setDeleting] = useState<Template>();

  const onSaved = (template: Template): void => {
    const kind = editing.kind === "edit" ? "saved" : "created";
    // A new template is used by no entry yet.
    template = kind === "created" ? { ...template, entryCount: template.entryCount ?? 0 } : template;
    const saved = template;
    replaceTemplates((templates) =>
      templates.some((candidate) => candidate.id === saved.id) ? templates.map((candidate) => (candidate.id === saved.id ? saved : candidate)) : [...templates, saved],
    );
    setDone({ kind, template });
    setEditing({ kind: "none" });
  };

  const onDeleted = (template: Template): void => {
    replaceTemplates((templates) => templates.filter((candidate) => candidate.id !== template.id));
    setDeleting(undefined);
    setDone({ kind: "deleted", template });
  };

  const startEditing = (template: Template): void => {
    setDone(undefined);
    setEditing({ kind: "edit", template });
  };

  return (
    <div className="page templates-page" data-testid="templates-page">
      <AdminNav />
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("admin.templates.title")}</PageHeading>
          <p className="page__lede">{t("admin.templates.lede")}</p>
        </div>
        {editing.kind !== "none" ? null : (
          <Button
            variant="primary"
            icon={<PlusIcon className="button__icon" />}
            data-testid="new-template"
            onClick={() => {
              setDone(undefined);
              setEditing({ kind: "new" });
            }}
          >
            {t("admin.templates.new")}
          </Button>
        )}
      </div>
      {done === undefined ? null : (
        <Notice tone="success" title={t(`admin.templates.${done.kind}`, { name: done.template.name })} onDismiss={() => setDone(undefined)} testId={`template-${done.kind}`}>
          {done.kind === "created" ? t("admin.templates.createdBody") : undefined}
        </Notice>
      )}
      {editing.kind === "none" ? null : (
        <section className="page__content template-form-card">
          <TemplateForm key={editing.kind === "edit" ? editing.template.id : "new"} template={editing.kind === "edit" ? editing.template : undefined} onSaved={onSaved} onCancel={() => setEditing({ kind: "none" })} />
        </section>
      )}
      <section className="templates-page__list" aria-labelledby="templates-list-title">
        <h2 id="templates-list-title" className="templates-page__subtitle">
          {t("admin.templates.listTitle")}
        </h2>
        {loaded.isPending ? <LoadingView label={t("shell.loading")} /> : null}
        {loaded.isError && loaded.data === undefined ? <TemplatesFailed error={loaded.error} onRetry={() => void loaded.refetch()} /> : null}
        {loaded.data !== undefined ? (
          <TemplateList
            templates={loaded.data.filter((template) => editing.kind !== "edit" || template.id !== editing.template.id)}
            highlightId={done?.kind === "deleted" ? undefined : done?.template.id}
            onEdit={startEditing}
            onDelete={setDeleting}
          />
        ) : null}
      </section>
      <DeleteTemplateDialog template={deleting} onClose={() => setDeleting(undefined)} onDeleted={onDeleted} />
    </div>
  );
}

function TemplatesFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="no-matches" data-testid="templates-failed">
      <CloudOffIcon className="no-matches__icon" width={22} height={22} />
      <h3 className="no-matches__title">{t("admin.templates.failed")}</h3>
      <p className="no-matches__body">{describeProblem(error, t)}</p>
      <Button variant="secondary" onClick={onRetry}>
        {t("shell.retry")}
      </Button>
    </div>
  );
}
