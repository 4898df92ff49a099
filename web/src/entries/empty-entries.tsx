// What "My entries" shows while the list is empty: what appears here and the next step, said for
// the person's role and only as far as it is true today (administrators see every entry; members
// see the entries they added; auditors hold none).
import { useTranslation } from "react-i18next";
import type { Role } from "../../../src/contract/auth.js";
import { EmptyEntriesPicture, InfoIcon } from "../ui/icons.js";

export function EmptyEntries({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <div className="empty-state" data-testid="entries-empty">
      <EmptyEntriesPicture />
      <h2 className="empty-state__title">{t(`entries.empty.${role}.title`)}</h2>
      <p className="empty-state__body">{t(`entries.empty.${role}.body`)}</p>
      {role === "auditor" ? null : (
        <p className="empty-state__next">
          <InfoIcon className="empty-state__next-icon" />
          <span>{t(`entries.empty.${role}.next`)}</span>
        </p>
      )}
    </div>
  );
}
