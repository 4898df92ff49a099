// What "My entries" shows before anything is shared with the person: what will appear here,
// and the next step for a member or for an administrator.
import { useTranslation } from "react-i18next";
import { EmptyEntriesPicture, InfoIcon } from "../ui/icons.js";

export function EmptyEntries({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="empty-state" data-testid="entries-empty">
      <EmptyEntriesPicture />
      <h2 className="empty-state__title">{t("entries.empty.title")}</h2>
      <p className="empty-state__body">{t("entries.empty.body")}</p>
      <p className="empty-state__next">
        <InfoIcon className="empty-state__next-icon" />
        <span>{isAdmin ? t("entries.empty.adminNext") : t("entries.empty.memberNext")}</span>
      </p>
    </div>
  );
}
