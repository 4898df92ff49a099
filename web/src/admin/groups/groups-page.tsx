// /admin/groups — administrators create, rename and delete groups and choose their members (grants
// to a group reach its members). Anyone else is told the page is for administrators.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../../src/contract/auth.js";
import type { Group } from "../../../../src/contract/groups.js";
import { client } from "../../ui/api-client.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { LoadingView } from "../../ui/loading-view.js";
import { loadStateOf } from "../../ui/query-state.js";
import { ConfirmDeleteDialog } from "../confirm-delete-dialog.js";
import { PeopleAdminsOnly } from "../users/admins-only.js";
import { PeoplePageFrame } from "../users/people-page-frame.js";
import { LoadFailed } from "../users/load-failed.js";
import { useGroupList, usePeopleChanges, useUserList } from "../users/people-queries.js";
import { GroupCard } from "./group-card.js";
import { GroupNameForm } from "./group-name-form.js";

export function GroupsPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("admin.groups.documentTitle"));
  if (session.user.role !== "admin") return <PeopleAdminsOnly testId="groups-admins-only" />;
  return <GroupsAdmin />;
}

function GroupsAdmin() {
  const { t } = useTranslation();
  const groupsQuery = useGroupList();
  const usersQuery = useUserList();
  const groups = loadStateOf(groupsQuery);
  const users = usersQuery.data ?? [];
  const changes = usePeopleChanges();
  const [isCreating, setCreating] = useState(false);
  const [done, setDone] = useState<string>();
  const [deleting, setDeleting] = useState<Group>();

  return (
    <PeoplePageFrame
      kind="groups"
      title={t("admin.groups.title")}
      lede={t("admin.groups.lede")}
      newLabel={isCreating ? undefined : t("admin.groups.new")}
      newTestId="new-group"
      onNew={() => setCreating(true)}
      done={done}
      onDismissDone={() => setDone(undefined)}
    >
      {isCreating ? (
        <GroupNameForm
          save={(name) => client.createGroup(name)}
          onCancel={() => setCreating(false)}
          onSaved={(group) => {
            setCreating(false);
            changes.groupChanged(group);
            setDone(t("admin.groups.done.created", { name: group.name }));
          }}
        />
      ) : null}
      {groups.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {groups.status === "failed" ? <LoadFailed title={t("admin.groups.failed")} error={groups.error} onRetry={() => void groupsQuery.refetch()} testId="groups-failed" /> : null}
      {groups.status === "ready" && groups.value.length === 0 && !isCreating ? (
        <div className="empty-state empty-state--small" data-testid="groups-empty">
          <h3 className="empty-state__title">{t("admin.groups.empty.title")}</h3>
          <p className="empty-state__body">{t("admin.groups.empty.body")}</p>
        </div>
      ) : null}
      {groups.status === "ready"
        ? groups.value.map((group) => (
            <GroupCard
              key={group.id}
              group={group}
              users={users}
              onDelete={setDeleting}
              onChanged={(changed, message) => {
                changes.groupChanged(changed);
                setDone(message);
              }}
            />
          ))
        : null}
      <ConfirmDeleteDialog
        item={deleting}
        title={(group) => t("admin.groups.deleteTitle", { name: group?.name ?? "" })}
        refusal={() => undefined}
        body={t("admin.groups.deleteBody")}
        confirmLabel={t("admin.groups.delete")}
        kind="group"
        remove={(group) => client.deleteGroup(group.id)}
        onClose={() => setDeleting(undefined)}
        onDeleted={(group) => {
          setDeleting(undefined);
          changes.groupDeleted(group.id);
          setDone(t("admin.groups.done.deleted", { name: group.name }));
        }}
      />
    </PeoplePageFrame>
  );
}
