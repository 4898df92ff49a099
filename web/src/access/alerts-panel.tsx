// The Alerts panel of an entry page: be told when a code is handed out, a recovery code revealed,
// the seed overwritten, access requested or emergency access used — by e-mail, signed webhook,
// Slack or Teams. Everyone who sees the entry manages their own alerts; its managers see and
// remove everyone's and add watchers. A webhook's signing secret is shown once, after it is made.
import type { TFunction } from "i18next";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertChannel, AlertEventKind, AlertList, AlertSubscription } from "../../../src/contract/alerts.js";
import type { NamedPrincipal } from "../../../src/contract/grants.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { CheckboxField } from "../ui/checkbox-field.js";
import { FormAlert } from "../ui/form-alert.js";
import { PlusIcon, TrashIcon } from "../ui/icons.js";
import { LoadingView } from "../ui/loading-view.js";
import { Notice } from "../ui/notice.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import { loadStateOf } from "../ui/query-state.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { PrincipalPicker } from "./principal-picker.js";

const EVENTS: readonly AlertEventKind[] = ["code_issued", "recovery_code_revealed", "seed_overwritten", "access_requested", "emergency_used"];
const CHANNELS: readonly AlertChannel[] = ["email", "webhook", "slack", "teams"];

export function AlertsPanel({ entryId }: { entryId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const queryKey = ["alerts", entryId] as const;
  const query = useQuery({ queryKey, queryFn: () => client.listAlerts(entryId) });
  const state = loadStateOf(query);
  const [failure, setFailure] = useState<string>();
  const [removing, setRemoving] = useState<string>();
  const [secret, setSecret] = useState<string>();
  const list = state.status === "ready" ? state.value : undefined;
  const replace = (next: AlertList) => queryClient.setQueryData(queryKey, next);

  const remove = async (alert: AlertSubscription): Promise<void> => {
    if (list === undefined) return;
    setRemoving(alert.id);
    setFailure(undefined);
    try {
      await client.deleteAlert(entryId, alert.id);
      replace({ ...list, subscriptions: list.subscriptions.filter((s) => s.id !== alert.id) });
    } catch (reason) {
      setFailure(describeProblem(reason, t));
    } finally {
      setRemoving(undefined);
    }
  };

  return (
    <Panel title={t("access.alerts.title")} testId="alerts-panel" className="alerts-panel">
      <FormAlert message={failure} testId="alerts-error" />
      {state.status === "loading" ? <LoadingView label={t("shell.loading")} /> : null}
      {state.status === "failed" ? <p className="panel__note">{describeProblem(state.error, t)}</p> : null}
      {list !== undefined && list.subscriptions.length === 0 ? <p className="panel__note">{t("access.alerts.none")}</p> : null}
      {secret === undefined ? null : (
        <Notice tone="warning" title={t("access.alerts.secretTitle")} onDismiss={() => setSecret(undefined)} testId="alert-secret">
          <p>{t("access.alerts.secretBody")}</p>
          <code className="alerts-panel__secret" data-testid="alert-secret-value">
            {secret}
          </code>
        </Notice>
      )}
      {list === undefined || list.subscriptions.length === 0 ? null : (
        <ul className="grant-list" data-testid="alert-list">
          {list.subscriptions.map((alert) => (
            <li key={alert.id} className="grant-list__item" data-testid="alert-row">
              <span className="grant-list__who">
                <strong>{alert.isMine ? t("access.alerts.you") : alert.user.name}</strong> <span className="grant-list__kind">{channelText(alert, t)}</span>
              </span>
              <span className="grant-list__what">{alert.events.map((kind) => t(`access.alerts.events.${kind}`)).join(" · ")}</span>
              <span className="grant-list__by" data-testid="alert-delivery">
                {deliveryText(alert, t)}
              </span>
              <Button
                variant="quiet"
                className="button--quiet-danger grant-list__remove"
                icon={<TrashIcon className="button__icon" />}
                isBusy={removing === alert.id}
                aria-label={t("access.alerts.removeNamed", { name: alert.isMine ? t("access.alerts.you") : alert.user.name, channel: channelText(alert, t) })}
                data-testid="remove-alert"
                onClick={() => void remove(alert)}
              >
                {t("access.alerts.remove")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {list === undefined ? null : (
        <AddAlertForm
          entryId={entryId}
          canAddWatchers={list.canManageWatchers}
          onAdded={(alert, signingSecret) => {
            replace({ ...list, subscriptions: [...list.subscriptions, alert] });
            setSecret(signingSecret ?? undefined);
          }}
        />
      )}
    </Panel>
  );
}

type T = TFunction;

function channelText(alert: AlertSubscription, t: T): string {
  const channel = t(`access.alerts.channels.${alert.channel}`);
  return alert.target === null ? channel : `${channel} · ${alert.target}`;
}

function deliveryText(alert: AlertSubscription, t: T): string {
  const { delivery } = alert;
  const parts = [t("access.alerts.delivered", { count: delivery.delivered })];
  if (delivery.waiting > 0) parts.push(t("access.alerts.waiting", { count: delivery.waiting }));
  if (delivery.failed > 0) parts.push(t("access.alerts.failed", { count: delivery.failed }));
  if (delivery.lastError !== null) parts.push(t("access.alerts.lastError", { reason: delivery.lastError }));
  return parts.join(" · ");
}

function AddAlertForm({ entryId, canAddWatchers, onAdded }: { entryId: string; canAddWatchers: boolean; onAdded: (alert: AlertSubscription, signingSecret: string | null) => void }) {
  const { t } = useTranslation();
  const [events, setEvents] = useState<ReadonlySet<AlertEventKind>>(new Set(["code_issued"]));
  const [channel, setChannel] = useState<AlertChannel>("email");
  const [target, setTarget] = useState("");
  const [watcher, setWatcher] = useState<NamedPrincipal>();
  const [eventsError, setEventsError] = useState<string>();
  const [targetError, setTargetError] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  const toggle = (kind: AlertEventKind, isOn: boolean) => {
    const next = new Set(events);
    if (isOn) next.add(kind);
    else next.delete(kind);
    setEvents(next);
    setEventsError(undefined);
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (events.size === 0) return setEventsError(t("access.alerts.eventsRequired"));
    if (channel !== "email" && target.trim() === "") return setTargetError(t("access.alerts.targetRequired"));
    setBusy(true);
    setFailure(undefined);
    try {
      const created = await client.createAlert(entryId, {
        events: EVENTS.filter((kind) => events.has(kind)),
        channel,
        ...(channel === "email" ? {} : { target: target.trim() }),
        ...(watcher === undefined ? {} : { userId: watcher.id }),
      });
      setTarget("");
      setWatcher(undefined);
      onAdded(created.subscription, created.signingSecret);
    } catch (reason) {
      const text = describeProblem(reason, t);
      if (reason instanceof ApiError && reason.field === "target") setTargetError(text);
      else setFailure(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-grant" noValidate onSubmit={(event) => void submit(event)} data-testid="add-alert-form">
      <h3 className="add-grant__title">{t("access.alerts.addTitle")}</h3>
      <FormAlert message={failure} testId="add-alert-error" />
      <fieldset className="alerts-panel__events" aria-describedby={eventsError === undefined ? undefined : "alert-events-error"}>
        <legend className="field__label">{t("access.alerts.eventsLabel")}</legend>
        {EVENTS.map((kind) => (
          <CheckboxField key={kind} label={t(`access.alerts.events.${kind}`)} checked={events.has(kind)} data-testid={`alert-event-${kind}`} onChange={(e) => toggle(kind, e.target.checked)} />
        ))}
        {eventsError === undefined ? null : (
          <p id="alert-events-error" className="field__error" role="alert">
            {eventsError}
          </p>
        )}
      </fieldset>
      <div className="add-grant__row">
        <SelectField
          label={t("access.alerts.channel")}
          value={channel}
          data-testid="alert-channel"
          onChange={(event) => {
            setChannel(event.target.value as AlertChannel);
            setTargetError(undefined);
          }}
        >
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`access.alerts.channels.${c}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {channel === "email" ? (
        <p className="panel__note">{t("access.alerts.emailNote")}</p>
      ) : (
        <TextField
          label={t("access.alerts.target")}
          hint={t(`access.alerts.targetHints.${channel}`)}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          value={target}
          error={targetError}
          data-testid="alert-target"
          onChange={(event) => {
            setTarget(event.target.value);
            setTargetError(undefined);
          }}
        />
      )}
      {canAddWatchers ? <PrincipalPicker label={t("access.alerts.watcher")} kind="user" value={watcher} onChange={setWatcher} testId="alert-watcher" /> : null}
      <Button type="submit" variant="primary" isBusy={isBusy} icon={<PlusIcon className="button__icon" />} data-testid="add-alert">
        {t("access.alerts.add")}
      </Button>
    </form>
  );
}
