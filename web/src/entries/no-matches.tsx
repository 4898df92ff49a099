// What "My entries" shows when entries exist but the search and filters leave none.
import { useTranslation } from "react-i18next";
import { Button } from "../ui/button.js";
import { SearchIcon } from "../ui/icons.js";

export function NoMatches({ query, onClear }: { query: string; onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="no-matches" data-testid="entries-no-matches">
      <SearchIcon className="no-matches__icon" width={22} height={22} />
      <h2 className="no-matches__title">{query.trim() === "" ? t("entries.noMatches.title") : t("entries.noMatches.titleFor", { query: query.trim() })}</h2>
      <p className="no-matches__body">{t("entries.noMatches.body")}</p>
      <Button variant="secondary" onClick={onClear}>
        {t("entries.noMatches.clear")}
      </Button>
    </div>
  );
}
