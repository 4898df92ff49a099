// /audit — the audit log for administrators and auditors (auditors land here): filters kept in
// the address, newest first with more loaded as the reader scrolls (or presses "Load more"),
// every field of an event, export of what the filters match, and verification of the chain.
// Anyone else is told the page is for administrators and auditors.
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AuditEventView } from "../../../src/contract/audit.js";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { abilitiesOf } from "../account/abilities.js";
import { useEntryNames, useEntrySearch, type EntrySearch } from "../entries/entry-picker.js";
import { useFolderList } from "../entries/queries.js";
import { Button, ButtonLink } from "../ui/button.js";
import { CloudOffIcon, DownloadIcon, LockIcon } from "../ui/icons.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { LoadingView } from "../ui/loading-view.js";
import { PageHeading } from "../ui/page-heading.js";
import { describeProblem } from "../ui/problem-text.js";
import { navigate, useLocation } from "../ui/router.js";
import { StatusPanel } from "../ui/status-panel.js";
import { AuditEventDialog } from "./audit-event-dialog.js";
import { AuditEventList } from "./audit-event-list.js";
import { AuditFilterForm, type KnownEntry } from "./audit-filter-form.js";
import { activeFilterCount, AUDIT_EXPORT_FORMATS, auditExportHrefOf, auditPathOf, parseAuditFilters, type AuditFilters } from "./audit-filters.js";
import { useAuditEvents } from "./audit-queries.js";
import { catalogueLookupOf } from "./event-text.js";
import { VerifyPanel } from "./verify-panel.js";

export function AuditPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("audit.documentTitle"));
  if (!abilitiesOf(session).canReadAudit) {
    return (
      <div className="page" data-testid="audit-forbidden">
        <div className="page-status">
          <StatusPanel tone="info" icon={<LockIcon width={28} height={28} />} title={t("audit.forbidden.title")} actions={<ButtonLink to="/">{t("shell.notFound.action")}</ButtonLink>}>
            <p>{t("audit.forbidden.body")}</p>
          </StatusPanel>
        </div>
      </div>
    );
  }
  return <AuditViewer isAdmin={session.user.role === "admin"} />;
}

function AuditViewer({ isAdmin }: { isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const { search } = useLocation();
  const searchText = search.toString();
  const filters = useMemo(() => parseAuditFilters(new URLSearchParams(searchText)), [searchText]);
  const lookup = useMemo(() => catalogueLookupOf(t, (path) => i18n.exists(path)), [t, i18n, i18n.language]);
  const query = useAuditEvents(filters);
  const folders = useFolderList().data ?? [];
  const [open, setOpen] = useState<AuditEventView>();
  // At phone width the filters would push the events below the fold: folded there, unless some are set.
  const [areFiltersOpen, setFiltersOpen] = useState(() => activeFilterCount(filters) > 0 || !window.matchMedia("(max-width: 720px)").matches);
  const events = useMemo(() => query.data?.pages.flatMap((page) => page.events) ?? [], [query.data]);
  const [entryText, setEntryText] = useState("");
  const known = useKnownNames(events, isAdmin, filters.entry, entryText);

  const show = (next: AuditFilters): void => {
    setOpen(undefined);
    navigate(auditPathOf(next), { keepScroll: true });
  };

  return (
    <div className="page audit-page" data-testid="audit-page">
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("audit.title")}</PageHeading>
          <p className="page__lede">{t("audit.lede")}</p>
        </div>
      </div>

      <div className="audit-tools">
        <VerifyPanel
          showEvent={(seq) => {
            const found = events.find((event) => event.seq === seq);
            return found === undefined ? undefined : () => setOpen(found);
          }}
        />
        <ExportLinks filters={filters} />
      </div>

      <AuditFilterForm
        key={`${filters.actor ?? ""}|${filters.since ?? ""}|${filters.until ?? ""}`}
        filters={filters}
        entries={known.entries}
        entrySearch={isAdmin ? { text: entryText, onText: setEntryText, hasMore: known.search.hasMore } : undefined}
        folders={folders}
        actorNames={known.actors}
        lookup={lookup}
        onChange={show}
        isOpen={areFiltersOpen}
        onToggle={setFiltersOpen}
      />

      {query.isPending ? <LoadingView label={t("shell.loading")} /> : null}
      {query.isError && events.length === 0 ? <Failed title={t("audit.list.failed")} error={query.error} onRetry={() => void query.refetch()} testId="audit-failed" /> : null}
      {query.isSuccess && events.length === 0 ? (
        <div className="no-matches" data-testid="audit-empty">
          <h2 className="no-matches__title">{t("audit.list.emptyTitle")}</h2>
          <p className="no-matches__body">{activeFilterCount(filters) === 0 ? t("audit.list.emptyLog") : t("audit.list.emptyFiltered")}</p>
          {activeFilterCount(filters) === 0 ? null : (
            <Button variant="secondary" onClick={() => show({})}>
              {t("audit.filters.clear")}
            </Button>
          )}
        </div>
      ) : null}
      {events.length === 0 ? null : (
        <>
          <AuditEventList events={events} lookup={lookup} onOpen={setOpen} />
          <MoreEvents
            shown={events.length}
            hasMore={query.hasNextPage}
            isLoading={query.isFetchingNextPage}
            error={query.isFetchNextPageError ? query.error : undefined}
            onMore={() => void query.fetchNextPage()}
          />
        </>
      )}

      <AuditEventDialog
        event={open}
        lookup={lookup}
        onClose={() => setOpen(undefined)}
        onOnlyEntry={(entry) => show({ ...filters, entry })}
        onOnlyActor={(actor) => show({ ...filters, actor })}
      />
    </div>
  );
}

/**
 * The entries and actor names the filters can offer. Administrators search every entry on the
 * server as they type (the first matches, not every entry: there may be 100,000), and see the
 * chosen one by its name; auditors, who may not list entries, get those the loaded events name.
 */
function useKnownNames(events: readonly AuditEventView[], isAdmin: boolean, chosen: string | undefined, entryText: string): { entries: readonly KnownEntry[]; actors: readonly string[]; search: EntrySearch } {
  const search = useEntrySearch(entryText, isAdmin);
  const chosenName = useEntryNames(chosen === undefined ? [] : [chosen], isAdmin).get(chosen ?? "");
  const seenEntries = useRef(new Map<string, string>());
  const seenActors = useRef(new Set<string>());
  for (const event of events) {
    if (event.entry !== null && !seenEntries.current.has(event.entry.id)) seenEntries.current.set(event.entry.id, event.entry.name);
    seenActors.current.add(event.actor.name);
  }
  const entries = new Map(isAdmin ? (search.matches ?? []).map((entry) => [entry.id, entry.name]) : seenEntries.current);
  if (chosen !== undefined && !entries.has(chosen)) {
    const name = chosenName ?? seenEntries.current.get(chosen);
    if (name !== undefined) entries.set(chosen, name);
  }
  return {
    entries: [...entries].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    actors: [...seenActors.current].sort((a, b) => a.localeCompare(b)),
    search,
  };
}

function ExportLinks({ filters }: { filters: AuditFilters }) {
  const { t } = useTranslation();
  return (
    <section className="audit-tool audit-export" aria-labelledby="audit-export-title" data-testid="audit-export">
      <div className="audit-tool__text">
        <h2 id="audit-export-title" className="audit-tool__title">
          {t("audit.export.title")}
        </h2>
        <p className="audit-tool__lede">{t("audit.export.lede")}</p>
      </div>
      <ul className="audit-export__links">
        {AUDIT_EXPORT_FORMATS.map((format) => (
          <li key={format}>
            <a
              className="button button--secondary"
              href={auditExportHrefOf(filters, format)}
              download
              aria-label={t("audit.export.label", { format: t(`audit.export.${format}`) })}
              data-testid={`audit-export-${format}`}
            >
              <DownloadIcon className="button__icon" />
              <span>{t(`audit.export.${format}`)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The count shown, whether older events follow, and "Load more" — pressed by hand or by scrolling to it. */
function MoreEvents({ shown, hasMore, isLoading, error, onMore }: { shown: number; hasMore: boolean; isLoading: boolean; error: unknown; onMore: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const latest = useRef({ hasMore, isLoading, failed: error !== undefined, onMore });
  latest.current = { hasMore, isLoading, failed: error !== undefined, onMore };
  useEffect(() => {
    const element = ref.current;
    if (element === null || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((seen) => {
      const { hasMore: more, isLoading: loading, failed, onMore: load } = latest.current;
      // A failed page waits for the reader's "Load more" rather than being asked again and again.
      if (seen.some((entry) => entry.isIntersecting) && more && !loading && !failed) load();
    }, { rootMargin: "0px 0px 300px 0px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} className="audit-more" data-testid="audit-more">
      <p className="audit-more__count" role="status" data-testid="audit-count">
        {t("audit.list.shown", { count: shown })} {hasMore ? t("audit.list.more") : t("audit.list.all")}
      </p>
      {error === undefined ? null : (
        <p className="audit-more__error" data-testid="audit-more-failed">
          {t("audit.list.moreFailed", { reason: describeProblem(error, t) })}
        </p>
      )}
      {hasMore ? (
        <Button variant="secondary" isBusy={isLoading} onClick={onMore} data-testid="audit-load-more">
          {isLoading ? t("audit.list.loadingMore") : t("audit.list.loadMore")}
        </Button>
      ) : null}
    </div>
  );
}

function Failed({ title, error, onRetry, testId }: { title: string; error: unknown; onRetry: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="no-matches" data-testid={testId}>
      <CloudOffIcon className="no-matches__icon" width={22} height={22} />
      <h2 className="no-matches__title">{title}</h2>
      <p className="no-matches__body">{describeProblem(error, t)}</p>
      <Button variant="secondary" onClick={onRetry}>
        {t("shell.retry")}
      </Button>
    </div>
  );
}
