// The Access panel of an entry or folder page: who may do what, until when. Those who may grant
// (the entry's or folder's managers, administrators) see every live and expired grant, remove
// the ones given here and add more; everyone else sees who the entry is shared with.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SharedWith } from "../../../src/contract/grants.js";
import type { GrantView, ScopeKind } from "../../../src/contract/grants.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { FolderIcon, TrashIcon } from "../ui/icons.js";
import { LoadingView } from "../ui/loading-view.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useServerChanges } from "../entries/queries.js";
import { loadStateOf } from "../ui/query-state.js";
import { AddGrantForm } from "./add-grant-form.js";
import { permissionText, principalKindText, untilText } from "./grant-text.js";

interface AccessPanelProps {
  readonly scope: { readonly kind: ScopeKind; readonly id: string };
  readonly canGrant: boolean;
  /** What the entry says of itself, for those who may not grant. */
  readonly sharedWith?: readonly SharedWith[];
  /** A folder page has its grants already. */
  readonly grants?: readonly GrantView[];
}

export function AccessPanel({ scope, canGrant, sharedWith = [], grants }: AccessPanelProps) {
  const { t } = useTranslation();
  return (
    <Panel title={t("entries.access.title")} testId="access-panel" className="access-panel">
      {canGrant ? <ManagedAccess scope={scope} initial={grants} /> : <SharedList sharedWith={sharedWith} />}
    </Panel>
  );
}

function SharedList({ sharedWith }: { sharedWith: readonly SharedWith[] }) {
  const { t, i18n } = useTranslation();
  if (sharedWith.length === 0) return <p className="panel__note">{t("entries.access.notSharedLong")}</p>;
  return (
    <ul className="grant-list">
      {sharedWith.map((s) => (
        <li key={s.grantId} className="grant-list__item" data-testid="grant-row">
          <GrantWho name={s.principal.name} kind={principalKindText(s.principal, t)} />
          <span className="grant-list__what">
            {permissionText(s.permission, t)} · {untilText(s.expiresAt, t, i18n.language)}
            {s.via === "folder" ? <ViaFolder /> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

function GrantWho({ name, kind }: { name: string; kind: string }) {
  return (
    <span className="grant-list__who">
      <strong data-testid="grant-principal">{name}</strong> <span className="grant-list__kind">{kind}</span>
    </span>
  );
}

function ViaFolder({ name }: { name?: string }) {
  const { t } = useTranslation();
  return (
    <span className="chip chip--folder grant-list__via">
      <FolderIcon className="chip__icon" width={12} height={12} />
      {name === undefined ? t("entries.access.viaFolder") : t("entries.access.viaFolderNamed", { name })}
    </span>
  );
}

function ManagedAccess({ scope, initial }: { scope: AccessPanelProps["scope"]; initial: readonly GrantView[] | undefined }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const changes = useServerChanges();
  const queryKey = ["grants", scope.kind, scope.id] as const;
  const query = useQuery({
    queryKey,
    queryFn: async () => (initial !== undefined ? [...initial] : (await client.listGrants(scope.kind === "entry" ? { entryId: scope.id } : { folderId: scope.id })).grants),
  });
  // A grant added or removed shows at once; the entries' "shared with" lines load again.
  const loaded = {
    state: loadStateOf(query),
    replace: (grants: readonly GrantView[]) => {
      queryClient.setQueryData(queryKey, [...grants]);
      changes.entriesChanged();
    },
  };
  const [failure, setFailure] = useState<string>();
  const [removing, setRemoving] = useState<string>();
  const grants = loaded.state.status === "ready" ? loaded.state.value.filter((g) => g.state !== "revoked") : [];

  const remove = async (grant: GrantView): Promise<void> => {
    setRemoving(grant.id);
    setFailure(undefined);
    try {
      await client.revokeGrant(grant.id);
      loaded.replace(grants.filter((g) => g.id !== grant.id));
    } catch (reason) {
      setFailure(describeProblem(reason, t));
    } finally {
      setRemoving(undefined);
    }
  };

  return (
    <>
      <FormAlert message={failure} testId="access-error" />
      {loaded.state.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {loaded.state.status === "failed" ? <p className="panel__note">{describeProblem(loaded.state.error, t)}</p> : null}
      {loaded.state.status === "ready" && grants.length === 0 ? <p className="panel__note">{t("entries.access.noGrants")}</p> : null}
      {grants.length === 0 ? null : (
        <ul className="grant-list" data-testid="grant-list">
          {grants.map((grant) => (
            <li key={grant.id} className={`grant-list__item${grant.state === "expired" ? " grant-list__item--expired" : ""}`} data-testid="grant-row" data-state={grant.state}>
              <GrantWho name={grant.principal.name} kind={principalKindText(grant.principal, t)} />
              <span className="grant-list__what">
                {permissionText(grant.permission, t)} · {grant.state === "expired" ? t("entries.access.expired") : untilText(grant.expiresAt, t, i18n.language)}
                {grant.scope.kind !== scope.kind ? <ViaFolder name={grant.scope.name} /> : null}
              </span>
              {grant.grantedBy === null ? null : <span className="grant-list__by">{t("entries.access.grantedBy", { name: grant.grantedBy.name })}</span>}
              {grant.scope.kind === scope.kind ? (
                <Button
                  variant="quiet"
                  className="button--quiet-danger grant-list__remove"
                  icon={<TrashIcon className="button__icon" />}
                  isBusy={removing === grant.id}
                  aria-label={t("entries.access.removeNamed", { name: grant.principal.name, permission: permissionText(grant.permission, t) })}
                  data-testid="remove-grant"
                  onClick={() => void remove(grant)}
                >
                  {t("entries.access.remove")}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <AddGrantForm scope={scope} onAdded={(grant) => loaded.replace([...grants, grant])} />
    </>
  );
}
