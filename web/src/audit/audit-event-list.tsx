// The events, newest first, as a table (cards at phone width): when, who, what, to what, how it
// ended and through what. Each row opens the event's every field; its time is the button, so the
// keyboard reaches each row once.
import { useTranslation } from "react-i18next";
import type { AuditEventView } from "../../../src/contract/audit.js";
import type { CatalogueLookup } from "./action-labels.js";
import { actionTextOf, channelTextOf, eventShortTimeOf, eventTimeOf, outcomeTextOf, targetTextOf } from "./event-text.js";

interface Props {
  readonly events: readonly AuditEventView[];
  readonly lookup: CatalogueLookup;
  readonly onOpen: (event: AuditEventView) => void;
}

export function OutcomeBadge({ outcome }: { outcome: AuditEventView["outcome"] }) {
  const { t } = useTranslation();
  return <span className={`badge audit-outcome audit-outcome--${outcome}`}>{outcomeTextOf(outcome, t)}</span>;
}

export function AuditEventList({ events, lookup, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <table className="audit-table" aria-label={t("audit.list.label")} data-testid="audit-events">
      <thead>
        <tr>
          <th scope="col">{t("audit.list.time")}</th>
          <th scope="col">{t("audit.list.actor")}</th>
          <th scope="col">{t("audit.list.action")}</th>
          <th scope="col">{t("audit.list.target")}</th>
          <th scope="col">{t("audit.list.outcome")}</th>
          <th scope="col">{t("audit.list.channel")}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id} className="audit-row" data-testid="audit-event" data-seq={event.seq} data-action={event.action} onClick={() => onOpen(event)}>
            <td className="audit-row__time" data-label={t("audit.list.time")}>
              <span>
                <button
                  type="button"
                  className="audit-row__open"
                  title={eventTimeOf(event.at, i18n.language)}
                  onClick={(click) => {
                    click.stopPropagation();
                    onOpen(event);
                  }}
                  data-testid="audit-event-open"
                >
                  <time dateTime={event.at}>{eventShortTimeOf(event.at, i18n.language)}</time>
                  <span className="visually-hidden">{` ${t("audit.list.open", { seq: event.seq })}`}</span>
                </button>
                <span className="audit-row__seq">#{event.seq}</span>
              </span>
            </td>
            <td className="audit-row__actor" data-label={t("audit.list.actor")}>
              {event.actor.name}
            </td>
            <td className="audit-row__action" data-label={t("audit.list.action")} data-testid="audit-event-action">
              {actionTextOf(event, lookup)}
            </td>
            <td className="audit-row__target" data-label={t("audit.list.target")}>
              {targetTextOf(event) ?? <span className="audit-none">—</span>}
            </td>
            <td data-label={t("audit.list.outcome")}>
              <OutcomeBadge outcome={event.outcome} />
            </td>
            <td data-label={t("audit.list.channel")}>{channelTextOf(event.channel, t)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
