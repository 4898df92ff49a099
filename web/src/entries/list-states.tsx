// "My entries" while the list loads (placeholder rows in the list's shape, so nothing jumps when
// it arrives) and when it could not be loaded.
import { useTranslation } from "react-i18next";
import { Button } from "../ui/button.js";
import { CloudOffIcon } from "../ui/icons.js";
import { describeProblem } from "../ui/problem-text.js";

export function ListLoading() {
  const { t } = useTranslation();
  return (
    <div className="entry-list entry-list--loading" role="status" data-testid="entries-loading">
      <span className="visually-hidden">{t("shell.loading")}</span>
      {[0, 1, 2].map((index) => (
        <div key={index} className="entry-row entry-row--placeholder" aria-hidden="true">
          <span className="entry-tile" />
          <span className="placeholder-lines">
            <span className="placeholder-line placeholder-line--name" />
            <span className="placeholder-line" />
          </span>
        </div>
      ))}
    </div>
  );
}

export function ListFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="no-matches" data-testid="entries-failed">
      <CloudOffIcon className="no-matches__icon" width={22} height={22} />
      <h2 className="no-matches__title">{t("entries.list.failed")}</h2>
      <p className="no-matches__body">{describeProblem(error, t)}</p>
      <Button variant="secondary" onClick={onRetry}>
        {t("shell.retry")}
      </Button>
    </div>
  );
}
