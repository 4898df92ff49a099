// A list of users or groups that could not load: why, and Retry.
import { useTranslation } from "react-i18next";
import { Button } from "../../ui/button.js";
import { CloudOffIcon } from "../../ui/icons.js";
import { describeProblem } from "../../ui/problem-text.js";

export function LoadFailed({ title, error, onRetry, testId }: { title: string; error: unknown; onRetry: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="no-matches" data-testid={testId}>
      <CloudOffIcon className="no-matches__icon" width={22} height={22} />
      <h3 className="no-matches__title">{title}</h3>
      <p className="no-matches__body">{describeProblem(error, t)}</p>
      <Button variant="secondary" onClick={onRetry}>
        {t("shell.retry")}
      </Button>
    </div>
  );
}
