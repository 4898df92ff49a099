// The rows of "My entries". Up and Down arrows (and Home/End) move between entries; each row's
// code is fetched only when asked for ("Show code", "Copy code").
import { useRef, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { EntrySummary, Folder } from "../../../src/contract/entries.js";
import { FolderIcon, TagIcon } from "../ui/icons.js";
import { Link } from "../ui/router.js";
import { EntryCodeCell } from "./entry-code-cell.js";
import { EntryTile, issuerAndAccount } from "./entry-tile.js";
import { SharedWithLine } from "../access/shared-with-line.js";

interface EntryListProps {
  readonly entries: readonly EntrySummary[];
  readonly folders: readonly Folder[] | undefined;
  /** The entry just added, marked for a moment. */
  readonly highlightId?: string | undefined;
}

const MOVES: Readonly<Record<string, (index: number, last: number) => number>> = {
  ArrowDown: (index, last) => Math.min(last, index + 1),
  ArrowUp: (index) => Math.max(0, index - 1),
  Home: () => 0,
  End: (_index, last) => last,
};

export function EntryList({ entries, folders, highlightId }: EntryListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const folderNames = new Map((folders ?? []).map((folder) => [folder.id, folder.name]));

  const move = (event: KeyboardEvent<HTMLUListElement>): void => {
    const step = MOVES[event.key];
    const list = listRef.current;
    if (step === undefined || list === null || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const rows = Array.from(list.querySelectorAll<HTMLElement>(":scope > li"));
    const current = rows.findIndex((row) => row.contains(document.activeElement));
    if (current === -1) return;
    const row = rows[step(current, rows.length - 1)];
    const target = row?.querySelector<HTMLElement>("[data-entry-focus]") ?? row?.querySelector<HTMLElement>("a");
    if (target === null || target === undefined) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  };

  return (
    <ul ref={listRef} className="entry-list" data-testid="entry-list" onKeyDown={move}>
      {entries.map((entry) => (
        <EntryRow
          key={entry.id}
          entry={entry}
          folderName={entry.folderId === null ? undefined : folderNames.get(entry.folderId)}
          isHighlighted={entry.id === highlightId}
        />
      ))}
    </ul>
  );
}

interface EntryRowProps {
  readonly entry: EntrySummary;
  readonly folderName: string | undefined;
  readonly isHighlighted: boolean;
}

function EntryRow({ entry, folderName, isHighlighted }: EntryRowProps) {
  const { t } = useTranslation();
  const subtitle = issuerAndAccount(entry);
  const hasLabels = folderName !== undefined || entry.tags.length > 0;
  return (
    <li className={`entry-row${isHighlighted ? " entry-row--new" : ""}`} data-testid="entry-row" data-entry-id={entry.id}>
      <EntryTile entry={entry} />
      <div className="entry-row__main">
        <Link to={`/entries/${entry.id}`} className="entry-row__name" data-testid="entry-name">
          {entry.name}
        </Link>
        <div className="entry-row__meta">
        {subtitle === "" ? null : <p className="entry-row__subtitle">{subtitle}</p>}
        <SharedWithLine entry={entry} />
        {hasLabels ? (
          <ul className="entry-row__labels" aria-label={t("entries.list.labels")}>
            {folderName === undefined ? null : (
              <li className="chip chip--folder">
                <FolderIcon className="chip__icon" width={12} height={12} />
                <span className="visually-hidden">{t("entries.list.folder")} </span>
                {folderName}
              </li>
            )}
            {entry.tags.map((tag) => (
              <li key={tag} className="chip">
                <TagIcon className="chip__icon" width={12} height={12} />
                <span className="visually-hidden">{t("entries.list.tag")} </span>
                {tag}
              </li>
            ))}
          </ul>
        ) : null}
        </div>
      </div>
      <div className="entry-row__code">
        <EntryCodeCell entry={entry} />
      </div>
    </li>
  );
}
