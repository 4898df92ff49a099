// What a non-administrator sees on Admin → Users or Admin → Groups: the page is for administrators.
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../ui/button.js";
import { LockIcon } from "../../ui/icons.js";
import { StatusPanel } from "../../ui/status-panel.js";

export function PeopleAdminsOnly({ testId }: { testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="page" data-testid={testId}>
      <div className="page-status">
        <StatusPanel tone="info" icon={<LockIcon width={28} height={28} />} title={t("admin.people.adminsOnly.title")} actions={<ButtonLink to="/">{t("shell.notFound.action")}</ButtonLink>}>
          <p>{t("admin.people.adminsOnly.body")}</p>
        </StatusPanel>
      </div>
    </div>
  );
}
