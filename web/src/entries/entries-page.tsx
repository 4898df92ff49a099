// "My entries": every entry the signed-in person may use, with search and filters (kept in the
// address, applied by the server), a page at a time with "Show more", each code on demand, and
// the add-entry dialog. Opening the page fetches no code.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { abilitiesOf } from "../account/abilities.js";
import { Button } from "../ui/button.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { clearFlash, peekFlash } from "../ui/flash.js";
import { PlusIcon } from "../ui/icons.js";
import { Notice } from "../ui/notice.js";
import { PageHeading } from "../ui/page-heading.js";
import { describeNotice } from "../ui/problem-text.js";
import { navigate, useLocation } from "../ui/router.js";
import { AddEntryDialog } from "./add/add-entry-dialog.js";
import type { AddedEntries } from "./add/added-entries.js";
import { EmptyEntries } from "./empty-entries.js";
import { filterFromSearch, isFiltering, NO_FILTER, tagChoicesOf, type EntryFilter } from "./entry-filters.js";
import { EntryList } from "./entry-list.js";
import { EntryListMore } from "./entry-list-more.js";
import { EntryToolbar } from "./entry-toolbar.js";
import { searchOfListing, viewFromSearch, type EntryView } from "./entry-view.js";
import { EntryViewSwitch } from "./entry-view-switch.js";
import { ListFailed, ListLoading } from "./list-states.js";
import { NoMatches } from "./no-matches.js";
import { useEntryPages, useEntryTags, useFolderList, useServerChanges } from "./queries.js";
import { useDebouncedValue } from "./use-debounced-value.js";

/** How long typing must pause before the search goes to the server. */
const SEARCH_DELAY_MS = 250;

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

export function EntriesPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("entries.documentTitle"));
  const { search } = useLocation();
  const { canAddEntries, canManageCatalog } = abilitiesOf(session);
  // Only administrators may see every entry; anyone else stays on their own, whatever the address says.
  const view: EntryView = canManageCatalog ? viewFromSearch(search) : "mine";
  const filter = filterFromSearch(search);
  // What the list shows: the filter, its query once typing pauses.
  const searched: EntryFilter = { ...filter, query: useDebouncedValue(filter.query, SEARCH_DELAY_MS) };
  const entries = useEntryPages(view, searched, { isRefreshed: true });
  // The first page of no filter (the same query when nothing is filtered): whether there are
  // entries at all, and their number when they fit in it. Only the list shown refreshes itself.
  const unfiltered = useEntryPages(view, NO_FILTER, { isRefreshed: false });
  // Every tag of the entries of this view, not only of the pages loaded.
  const listedTags = useEntryTags(view).data?.tags;
  const folders = useFolderList().data;
  const { entriesChanged } = useServerChanges();
  // Typing in the search box replaces the address rather than adding to history at each key.
  const setFilter = (next: EntryFilter): void => navigate(`/${searchOfListing(next, view)}`, { replace: true, keepScroll: true });
  const setView = (next: EntryView): void => navigate(`/${searchOfListing(filter, next)}`, { keepScroll: true });
  const [isAdding, setAdding] = useState(false);
  const [added, setAdded] = useState<AddedEntries>();
  const [flash] = useState(peekFlash);
  useEffect(clearFlash, []);
  const [isFlashShown, setFlashShown] = useState(true);
  const searchRef = useRef<HTMLInputElement>(null);

  // "/" jumps to the search box unless the person is typing somewhere or a dialog is open.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector("dialog[open]") !== null || searchRef.current === null) return;
      event.preventDefault();
      searchRef.current.focus();
      searchRef.current.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const onAdded = (result: AddedEntries): void => {
    setAdding(false);
    setAdded(result);
    setFlashShown(false);
    setFilter(NO_FILTER);
    entriesChanged();
  };

  const shown = entries.data?.pages.flatMap((page) => page.entries) ?? [];
  const everyEntry = unfiltered.data?.pages.flatMap((page) => page.entries);
  const hasNoEntries = everyEntry !== undefined && everyEntry.length === 0;
  /** The number of entries, once all are loaded. */
  const total = everyEntry !== undefined && !unfiltered.hasNextPage ? everyEntry.length : undefined;
  const tags = tagChoicesOf(listedTags, filter.tag);
  const countText = (() => {
    if (!isFiltering(searched)) return t(entries.hasNextPage ? "entries.list.countSoFar" : "entries.list.count", { count: shown.length });
    if (entries.hasNextPage) return t("entries.list.countMatchingSoFar", { count: shown.length });
    return total === undefined ? t("entries.list.countMatching", { count: shown.length }) : t("entries.list.countFiltered", { count: total, shown: shown.length });
  })();

  return (
    <div className="page" data-testid="entries-page">
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{view === "all" ? t("entries.view.allTitle") : t("entries.title")}</PageHeading>
          {entries.data !== undefined && !hasNoEntries ? (
            <p className="page__count" aria-live="polite" data-testid="entry-count">
              {countText}
            </p>
          ) : null}
        </div>
        {canAddEntries ? (
          <Button variant="primary" icon={<PlusIcon className="button__icon" />} data-testid="add-entry" onClick={() => setAdding(true)}>
            {t("entries.add.open")}
          </Button>
        ) : null}
      </div>

      {added === undefined ? null : <AddedNotice added={added} onDismiss={() => setAdded(undefined)} />}
      {flash !== undefined && isFlashShown ? <Notice tone="success" title={flash} onDismiss={() => setFlashShown(false)} /> : null}

      {canManageCatalog ? <EntryViewSwitch view={view} onChange={setView} /> : null}

      <section className="page__content" aria-label={t("entries.title")}>
        {entries.data === undefined ? (
          entries.isError ? (
            <ListFailed error={entries.error} onRetry={() => void entries.refetch()} />
          ) : (
            <ListLoading />
          )
        ) : hasNoEntries || (shown.length === 0 && !isFiltering(searched)) ? (
          <EmptyEntries role={session.user.role} />
        ) : (
          <>
            <EntryToolbar filter={filter} onChange={setFilter} folders={folders} tags={tags} searchRef={searchRef} />
            {shown.length === 0 ? (
              <NoMatches query={searched.query} onClear={() => setFilter(NO_FILTER)} />
            ) : (
              <div aria-busy={entries.isPlaceholderData}>
                <EntryList entries={shown} folders={folders} highlightId={added?.created[0]?.id} />
                {entries.hasNextPage || entries.isFetchNextPageError ? (
                  <EntryListMore
                    countText={countText}
                    isLoading={entries.isFetchingNextPage}
                    error={entries.isFetchNextPageError ? entries.error : undefined}
                    onMore={() => void entries.fetchNextPage()}
                  />
                ) : null}
              </div>
            )}
          </>
        )}
      </section>

      {canAddEntries ? <AddEntryDialog isOpen={isAdding} onClose={() => setAdding(false)} onAdded={onAdded} folders={folders} /> : null}
    </div>
  );
}

function AddedNotice({ added, onDismiss }: { added: AddedEntries; onDismiss: () => void }) {
  const { t } = useTranslation();
  const [first] = added.created;
  const title = added.created.length === 1 && first !== undefined ? t("entries.add.addedOne", { name: first.name }) : t("entries.add.addedMany", { count: added.created.length });
  const hasWarnings = added.warnings.length > 0;
  return (
    <Notice tone={hasWarnings ? "warning" : "success"} title={title} onDismiss={onDismiss} testId="entry-added">
      {hasWarnings ? (
        <ul className="notice__list">
          {added.warnings.map((warning, index) => (
            <li key={index}>{describeNotice(warning, t)}</li>
          ))}
        </ul>
      ) : undefined}
    </Notice>
  );
}
