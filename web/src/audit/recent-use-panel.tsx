// "Recent use" on an entry's page: who took its codes and revealed its secrets, when, and through
// what — for the entry's managers, administrators and auditors (should the server refuse anyway,
// 403 or 404, the panel stays away). Administrators and auditors go on to the whole log from here.
import { useTranslation } from "react-i18next";
import { abilitiesOf } from "../account/abilities.js";
import { useSession } from "../account/session.js";
import { formatAge, formatMoment } from "../entries/detail/time-text.js";
import { ApiError } from "../ui/api-client.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { Link } from "../ui/router.js";
import { OutcomeBadge } from "./audit-event-list.js";
import { auditPathOf } from "./audit-filters.js";
import { useEntryAuditEvents } from "./audit-queries.js";
import { actionTextOf, catalogueLookupOf, channelTextOf } from "./event-text.js";

const isRefusal = (error: unknown): boolean => error instanceof ApiError && (error.code === "forbidden" || error.code === "not_found");

/** `canManage`: the reader manages the entry (its managers see its use; administrators and auditors all use). */
export function RecentUsePanel({ entryId, canManage }: { entryId: string; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const { state } = useSession();
  const canReadAudit = abilitiesOf(state.status === "signed-in" ? state.session : undefined).canReadAudit;
  // Nobody else may see it: not even asked, so the server is not made to refuse.
  const query = useEntryAuditEvents(entryId, canManage || canReadAudit);
  if (!(canManage || canReadAudit)) return null;
  if (query.isError && isRefusal(query.error)) return null;
  if (query.isPending) return null;
  const lookup = catalogueLookupOf(t, (path) => i18n.exists(path));
  const now = Date.now();
  return (
    <Panel title={t("audit.recent.title")} testId="recent-use-panel" className="recent-use">
      {query.isError ? <p className="recent-use__failed">{`${t("audit.recent.failed")} ${describeProblem(query.error, t)}`}</p> : null}
      {query.isSuccess && query.data.events.length === 0 ? <p className="recent-use__empty">{t("audit.recent.empty")}</p> : null}
      {query.isSuccess && query.data.events.length > 0 ? (
        <ol className="recent-use__list" aria-label={t("audit.recent.label")}>
          {query.data.events.map((event) => (
            <li key={event.id} className="recent-use__item" data-testid="recent-use-event" data-action={event.action}>
              <p className="recent-use__line">
                {t("audit.recent.line", { action: actionTextOf(event, lookup), actor: event.actor.name })}
                {event.outcome === "success" ? null : (
                  <>
                    {" "}
                    <OutcomeBadge outcome={event.outcome} />
                  </>
                )}
              </p>
              <p className="recent-use__meta">
                <time dateTime={event.at} title={formatMoment(event.at, i18n.language)}>
                  {formatAge(event.at, now, i18n.language)}
                </time>
                {" · "}
                {t("audit.recent.through", { channel: channelTextOf(event.channel, t) })}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {canReadAudit ? (
        <Link to={auditPathOf({ entry: entryId })} className="recent-use__all" data-testid="recent-use-all">
          {t("audit.recent.seeAll")}
        </Link>
      ) : null}
    </Panel>
  );
}
