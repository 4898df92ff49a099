// One line under an entry's name in "My entries": who owns it and who else holds it.
import { useTranslation } from "react-i18next";
import type { EntrySummary } from "../../../src/contract/entries.js";
import { permissionText } from "./grant-text.js";

export function SharedWithLine({ entry }: { entry: Pick<EntrySummary, "owner" | "sharedWith"> }) {
  const { t } = useTranslation();
  const shared = entry.sharedWith.map((s) => t("entries.access.sharedItem", { name: s.principal.name, permission: permissionText(s.permission, t) }));
  return (
    <p className="shared-with-line" data-testid="entry-sharing">
      <span data-testid="entry-owner">{t("entries.access.ownedBy", { name: entry.owner.name })}</span>
      <span aria-hidden="true"> · </span>
      <span data-testid="entry-shared-with">{shared.length === 0 ? t("entries.access.notShared") : t("entries.access.sharedWith", { list: shared.join(", ") })}</span>
    </p>
  );
}
