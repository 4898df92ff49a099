// /admin/users — administrators invite users (the one-time link shown once, with a copy button,
// and whether it was mailed), change roles, disable and enable, unlock, issue password-reset and
// new invitation links, and delete a user handing their entries to someone. Anyone else is told
// the page is for administrators.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../../src/contract/auth.js";
import type { User, UserLinkReply } from "../../../../src/contract/users.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { LoadingView } from "../../ui/loading-view.js";
import { loadStateOf } from "../../ui/query-state.js";
import { PeopleAdminsOnly } from "./admins-only.js";
import { PeoplePageFrame } from "./people-page-frame.js";
import { DeleteUserDialog } from "./delete-user-dialog.js";
import { InviteForm } from "./invite-form.js";
import { LoadFailed } from "./load-failed.js";
import { OneTimeLinkPanel, type LinkKind } from "./one-time-link-panel.js";
import { usePeopleChanges, useUserList } from "./people-queries.js";
import { UserRow } from "./user-row.js";
import { AccountRecoveriesPanel } from "./account-recoveries-panel.js";

export function UsersPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("admin.users.documentTitle"));
  if (session.user.role !== "admin") return <PeopleAdminsOnly testId="users-admins-only" />;
  return <UsersAdmin selfId={session.user.id} />;
}

function UsersAdmin({ selfId }: { selfId: string }) {
  const { t } = useTranslation();
  const query = useUserList();
  const state = loadStateOf(query);
  const changes = usePeopleChanges();
  const [isInviting, setInviting] = useState(false);
  const [done, setDone] = useState<string>();
  const [link, setLink] = useState<{ reply: UserLinkReply; kind: LinkKind }>();
  const [deleting, setDeleting] = useState<User>();
  const users = state.status === "ready" ? state.value : undefined;

  const showLink = (reply: UserLinkReply, kind: LinkKind): void => {
    changes.userChanged(reply.user);
    setDone(undefined);
    setLink({ reply, kind });
  };

  return (
    <PeoplePageFrame
      kind="users"
      title={t("admin.users.title")}
      lede={t("admin.users.lede")}
      newLabel={isInviting ? undefined : t("admin.users.inviteNew")}
      newTestId="invite-user"
      onNew={() => setInviting(true)}
      done={done}
      onDismissDone={() => setDone(undefined)}
    >
      <AccountRecoveriesPanel />
      {link === undefined ? null : <OneTimeLinkPanel reply={link.reply} kind={link.kind} onDismiss={() => setLink(undefined)} />}
      {isInviting ? (
        <InviteForm
          onCancel={() => setInviting(false)}
          onInvited={(reply) => {
            setInviting(false);
            showLink(reply, "invite");
          }}
        />
      ) : null}
      {state.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {state.status === "failed" ? <LoadFailed title={t("admin.users.failed")} error={state.error} onRetry={() => void query.refetch()} testId="users-failed" /> : null}
      {users === undefined ? null : (
        <ul className="people-list" aria-label={t("admin.users.listLabel")}>
          {users.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              isSelf={user.id === selfId}
              onLink={showLink}
              onDelete={setDeleting}
              onChanged={(changed, message) => {
                changes.userChanged(changed);
                setDone(message);
              }}
            />
          ))}
        </ul>
      )}
      <DeleteUserDialog
        user={deleting}
        users={users ?? []}
        onClose={() => setDeleting(undefined)}
        onDeleted={(user) => {
          setDeleting(undefined);
          changes.userDeleted(user.id);
          setDone(t("admin.users.done.deleted", { name: user.displayName || user.username }));
        }}
      />
    </PeoplePageFrame>
  );
}
