// Search and filters above "My entries". "/" anywhere on the page puts the cursor in the search
// box (the page wires the key); Esc in the box clears it.
import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../src/contract/entries.js";
import { ChevronDownIcon, SearchIcon } from "../ui/icons.js";
import { ALL_FOLDERS, NO_FOLDER, QUERY_MAX_LENGTH, type EntryFilter, type TagChoice } from "./entry-filters.js";

interface EntryToolbarProps {
  readonly filter: EntryFilter;
  readonly onChange: (filter: EntryFilter) => void;
  readonly folders: readonly Folder[] | undefined;
  readonly tags: readonly TagChoice[];
  readonly searchRef: Ref<HTMLInputElement>;
}

export function EntryToolbar({ filter, onChange, folders, tags, searchRef }: EntryToolbarProps) {
  const { t } = useTranslation();
  const hasFolders = folders !== undefined && folders.length > 0;
  return (
    <div className="entry-toolbar" role="search">
      <div className="search-box">
        <label htmlFor="entry-search" className="visually-hidden">
          {t("entries.search")}
        </label>
        <SearchIcon className="search-box__icon" />
        <input
          ref={searchRef}
          id="entry-search"
          type="search"
          className="search-box__input"
          placeholder={t("entries.list.searchPlaceholder")}
          autoComplete="off"
          spellCheck={false}
          maxLength={QUERY_MAX_LENGTH}
          value={filter.query}
          data-testid="entry-search"
          aria-keyshortcuts="/"
          onChange={(event) => onChange({ ...filter, query: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === "Escape" && filter.query !== "") {
              event.preventDefault();
              onChange({ ...filter, query: "" });
            }
          }}
        />
        <kbd className="search-box__key" aria-hidden="true">
          /
        </kbd>
      </div>
      {hasFolders ? (
        <FilterSelect
          label={t("entries.list.folderFilter")}
          value={filter.folderId}
          testId="folder-filter"
          onChange={(folderId) => onChange({ ...filter, folderId })}
          options={[
            { value: ALL_FOLDERS, label: t("entries.list.allFolders") },
            { value: NO_FOLDER, label: t("entries.list.noFolder") },
            ...folders.map((folder) => ({ value: folder.id, label: folder.name })),
          ]}
        />
      ) : null}
      {tags.length > 0 ? (
        <FilterSelect
          label={t("entries.list.tagFilter")}
          value={filter.tag}
          testId="tag-filter"
          onChange={(tag) => onChange({ ...filter, tag })}
          options={[
            { value: "", label: t("entries.list.allTags") },
            ...tags.map((choice) => ({ value: choice.tag, label: choice.entries === undefined ? choice.tag : t("entries.list.tagChoice", { tag: choice.tag, count: choice.entries }) })),
          ]}
        />
      ) : null}
    </div>
  );
}

interface FilterSelectProps {
  readonly label: string;
  readonly value: string;
  readonly options: readonly { value: string; label: string }[];
  readonly testId: string;
  readonly onChange: (value: string) => void;
}

function FilterSelect({ label, value, options, testId, onChange }: FilterSelectProps) {
  return (
    <div className={`filter-select${value === "" ? "" : " filter-select--active"}`}>
      <select className="filter-select__control" aria-label={label} value={value} data-testid={testId} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ChevronDownIcon className="filter-select__chevron" width={14} height={14} />
    </div>
  );
}
