// The "Mine / All entries" switch above the list, for administrators only (the page decides).
import { useTranslation } from "react-i18next";
import { VIEWS, type EntryView } from "./entry-view.js";

export function EntryViewSwitch({ view, onChange }: { view: EntryView; onChange: (view: EntryView) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="segmented entry-view" data-testid="entry-view">
      <legend className="visually-hidden">{t("entries.view.label")}</legend>
      <div className="segmented__options">
        {VIEWS.map((option) => (
          <label key={option} className={`segmented__option${view === option ? " segmented__option--selected" : ""}`}>
            <input type="radio" name="entry-view" value={option} checked={view === option} onChange={() => onChange(option)} data-testid={`entry-view-${option}`} />
            <span>{t(`entries.view.${option}`)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
