// One audit event, every field of it: id, place in the chain, time (the reader's and UTC), who
// acted and on whose approval, the action, what it was done to, how it ended and why, where from,
// and the action's own details. From here the list narrows to this entry or this actor.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { AuditEventView } from "../../../src/contract/audit.js";
import { Button } from "../ui/button.js";
import { Dialog } from "../ui/dialog.js";
import type { CatalogueLookup } from "./action-labels.js";
import { OutcomeBadge } from "./audit-event-list.js";
import { actionTextOf, channelTextOf, eventTimeOf, targetTypeTextOf } from "./event-text.js";

interface Props {
  readonly event: AuditEventView | undefined;
  readonly lookup: CatalogueLookup;
  readonly onClose: () => void;
  readonly onOnlyEntry: (entryId: string) => void;
  readonly onOnlyActor: (actor: string) => void;
}

function Field({ label, name, children }: { label: string; name: string; children: ReactNode }) {
  return (
    <div className="audit-detail__item" data-field={name}>
      <dt className="audit-detail__label">{label}</dt>
      <dd className="audit-detail__value" data-testid={`audit-detail-${name}`}>
        {children}
      </dd>
    </div>
  );
}

export function AuditEventDialog({ event, lookup, onClose, onOnlyEntry, onOnlyActor }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <Dialog
      isOpen={event !== undefined}
      onClose={onClose}
      title={event === undefined ? "" : t("audit.detail.title", { seq: event.seq })}
      description={event === undefined ? undefined : t("audit.detail.description", { action: actionTextOf(event, lookup), time: eventTimeOf(event.at, i18n.language) })}
      size="l"
      testId="audit-event-dialog"
    >
      {event === undefined ? null : <EventFields event={event} lookup={lookup} onOnlyEntry={onOnlyEntry} onOnlyActor={onOnlyActor} />}
    </Dialog>
  );
}

function EventFields({ event, lookup, onOnlyEntry, onOnlyActor }: { event: AuditEventView } & Pick<Props, "lookup" | "onOnlyEntry" | "onOnlyActor">) {
  const { t, i18n } = useTranslation();
  const none = <span className="audit-none">{t("audit.detail.none")}</span>;
  const approvers = event.approvedBy?.approvers.map((approver) => approver.name) ?? [];
  const details = Object.keys(event.details).length === 0 ? undefined : JSON.stringify(event.details, null, 2);
  const actorKey = event.actor.id ?? event.actor.name;
  return (
    <>
      <dl className="audit-detail">
        <Field label={t("audit.detail.seq")} name="seq">
          {event.seq}
        </Field>
        <Field label={t("audit.detail.id")} name="id">
          <code className="audit-code">{event.id}</code>
        </Field>
        <Field label={t("audit.detail.at")} name="at">
          <time dateTime={event.at}>{eventTimeOf(event.at, i18n.language)}</time>
          <span className="audit-detail__sub">{t("audit.detail.utc", { time: event.at })}</span>
        </Field>
        <Field label={t("audit.detail.actor")} name="actor">
          {event.actor.name}
          <span className="audit-detail__sub">
            {t(`audit.actorTypes.${event.actor.type}`)}
            {event.actor.id === null ? null : (
              <>
                {" · "}
                <code className="audit-code">{event.actor.id}</code>
              </>
            )}
          </span>
        </Field>
        <Field label={t("audit.detail.approvedBy")} name="approved-by">
          {approvers.length === 0 ? none : approvers.join(", ")}
        </Field>
        <Field label={t("audit.detail.action")} name="action">
          {actionTextOf(event, lookup)}
          <span className="audit-detail__sub">
            <code className="audit-code">{event.action}</code>
          </span>
        </Field>
        <Field label={t("audit.detail.target")} name="target">
          {event.target === null ? (
            none
          ) : (
            <>
              {event.target.name ?? event.target.id ?? event.target.type}
              <span className="audit-detail__sub">
                {targetTypeTextOf(event.target.type, lookup)}
                {event.target.id === null ? null : (
                  <>
                    {" · "}
                    <code className="audit-code">{event.target.id}</code>
                  </>
                )}
              </span>
            </>
          )}
        </Field>
        <Field label={t("audit.detail.entry")} name="entry">
          {event.entry === null ? (
            none
          ) : (
            <>
              {event.entry.name}
              <span className="audit-detail__sub">
                <code className="audit-code">{event.entry.id}</code>
              </span>
            </>
          )}
        </Field>
        <Field label={t("audit.detail.outcome")} name="outcome">
          <OutcomeBadge outcome={event.outcome} />
        </Field>
        <Field label={t("audit.detail.reason")} name="reason">
          {event.reason ?? none}
        </Field>
        <Field label={t("audit.detail.ip")} name="ip">
          {event.ip === "" ? none : <code className="audit-code">{event.ip}</code>}
        </Field>
        <Field label={t("audit.detail.userAgent")} name="user-agent">
          {event.userAgent === "" ? none : <span className="audit-detail__wrap">{event.userAgent}</span>}
        </Field>
        <Field label={t("audit.detail.channel")} name="channel">
          {channelTextOf(event.channel, t)}
        </Field>
        <Field label={t("audit.detail.details")} name="details">
          {details === undefined ? none : <pre className="audit-detail__json">{details}</pre>}
        </Field>
      </dl>
      <div className="dialog__actions audit-detail__actions">
        {event.entry === null ? null : (
          <Button variant="secondary" onClick={() => onOnlyEntry(event.entry!.id)} data-testid="audit-only-entry">
            {t("audit.detail.onlyEntry")}
          </Button>
        )}
        <Button variant="secondary" onClick={() => onOnlyActor(actorKey)} data-testid="audit-only-actor">
          {t("audit.detail.onlyActor")}
        </Button>
      </div>
    </>
  );
}
