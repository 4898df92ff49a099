// The viewer's filters. A choice from a list applies at once; the actor and the times apply with
// "Apply" (or Enter), so typing does not ask the server at every key. Every change goes to the
// address, which is where the page reads its filters from.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../src/contract/entries.js";
import { Button } from "../ui/button.js";
import { ChevronDownIcon } from "../ui/icons.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { PICKER_PAGE_SIZE } from "../entries/entry-picker.js";
import { actionGroupsOf, type CatalogueLookup } from "./action-labels.js";
import { activeFilterCount, AUDIT_CHANNELS, AUDIT_OUTCOMES, cleanAuditFilters, isoOfLocalInput, localInputOf, type AuditFilters, type FilterName } from "./audit-filters.js";

export interface KnownEntry {
  readonly id: string;
  readonly name: string;
}

/** Administrators find the entry to filter by on the server: what they typed, and whether more match than are offered. */
export interface AuditEntrySearch {
  readonly text: string;
  readonly onText: (text: string) => void;
  readonly hasMore: boolean;
}

interface Props {
  readonly filters: AuditFilters;
  readonly entries: readonly KnownEntry[];
  readonly entrySearch?: AuditEntrySearch | undefined;
  readonly folders: readonly Folder[];
  readonly actorNames: readonly string[];
  readonly lookup: CatalogueLookup;
  readonly onChange: (filters: AuditFilters) => void;
  /** Whether the filters are unfolded (at phone width they start folded, unless some are set). */
  readonly isOpen: boolean;
  readonly onToggle: (isOpen: boolean) => void;
}

export function AuditFilterForm({ filters, entries, entrySearch, folders, actorNames, lookup, onChange, isOpen, onToggle }: Props) {
  const { t } = useTranslation();
  const [actor, setActor] = useState(filters.actor ?? "");
  const [since, setSince] = useState(localInputOf(filters.since));
  const [until, setUntil] = useState(localInputOf(filters.until));
  const count = activeFilterCount(filters);

  const change = (name: FilterName, value: string | undefined): void => onChange(cleanAuditFilters({ ...filters, [name]: value === "" ? undefined : value }));
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onChange(cleanAuditFilters({ ...filters, actor: actor.trim(), since: isoOfLocalInput(since), until: isoOfLocalInput(until) }));
  };
  const entryChoices = filters.entry === undefined || entries.some((entry) => entry.id === filters.entry) ? entries : [...entries, { id: filters.entry, name: t("audit.filters.entryId", { id: filters.entry.slice(0, 8) }) }];

  return (
    <details className="audit-filters" open={isOpen} onToggle={(event) => onToggle(event.currentTarget.open)}>
      <summary className="audit-filters__summary" data-testid="audit-filters-toggle">
        <ChevronDownIcon className="audit-filters__chevron" />
        <span className="audit-filters__title">{t("audit.filters.title")}</span>
        {count === 0 ? null : (
          <span className="count-badge" data-testid="audit-filter-count">
            {t("audit.filters.active", { count })}
          </span>
        )}
      </summary>
      <form className="audit-filters__form" onSubmit={submit} aria-label={t("audit.filters.title")} data-testid="audit-filters">
        <div className="audit-filters__grid">
          <SelectField label={t("audit.filters.action")} value={filters.action ?? ""} onChange={(event) => change("action", event.target.value)} data-testid="audit-filter-action">
            <option value="">{t("audit.filters.anyAction")}</option>
            {actionGroupsOf(lookup, filters.action).map((group) => (
              <optgroup key={group.area} label={group.label}>
                {group.actions.map((choice) => (
                  <option key={choice.action} value={choice.action}>
                    {choice.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
          {entrySearch === undefined ? null : (
            <TextField
              label={t("audit.filters.findEntry")}
              hint={entrySearch.hasMore ? t("audit.filters.findEntryMore", { count: PICKER_PAGE_SIZE }) : t("audit.filters.findEntryHint")}
              type="search"
              value={entrySearch.text}
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => entrySearch.onText(event.target.value)}
              data-testid="audit-filter-entry-search"
            />
          )}
          <SelectField label={t("audit.filters.entry")} value={filters.entry ?? ""} onChange={(event) => change("entry", event.target.value)} data-testid="audit-filter-entry">
            <option value="">{t("audit.filters.anyEntry")}</option>
            {entryChoices.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("audit.filters.folder")} value={filters.folder ?? ""} onChange={(event) => change("folder", event.target.value)} data-testid="audit-filter-folder">
            <option value="">{t("audit.filters.anyFolder")}</option>
            {folders.map((folder) => (
              <option key={folder.id} value={folder.id}>
                {folder.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("audit.filters.outcome")} value={filters.outcome ?? ""} onChange={(event) => change("outcome", event.target.value)} data-testid="audit-filter-outcome">
            <option value="">{t("audit.filters.anyOutcome")}</option>
            {AUDIT_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`audit.outcomes.${outcome}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("audit.filters.channel")} value={filters.channel ?? ""} onChange={(event) => change("channel", event.target.value)} data-testid="audit-filter-channel">
            <option value="">{t("audit.filters.anyChannel")}</option>
            {AUDIT_CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {t(`audit.channels.${channel}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t("audit.filters.actor")}
            hint={t("audit.filters.actorHint")}
            value={actor}
            maxLength={200}
            list="audit-actor-names"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setActor(event.target.value)}
            data-testid="audit-filter-actor"
          />
          <datalist id="audit-actor-names">
            {actorNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <TextField label={t("audit.filters.since")} hint={t("audit.filters.timeHint")} type="datetime-local" value={since} onChange={(event) => setSince(event.target.value)} data-testid="audit-filter-since" />
          <TextField label={t("audit.filters.until")} hint={t("audit.filters.timeHint")} type="datetime-local" value={until} onChange={(event) => setUntil(event.target.value)} data-testid="audit-filter-until" />
        </div>
        <div className="audit-filters__actions">
          <Button type="submit" variant="primary" data-testid="audit-filter-apply">
            {t("audit.filters.apply")}
          </Button>
          {count === 0 ? null : (
            <Button variant="quiet" onClick={() => onChange({})} data-testid="audit-filter-clear">
              {t("audit.filters.clear")}
            </Button>
          )}
        </div>
      </form>
    </details>
  );
}
