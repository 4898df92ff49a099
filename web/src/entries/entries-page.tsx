// "My entries": the entries the signed-in person may get codes for. This milestone has no
// entries yet, so the page explains what will appear here and how to get there.
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { PageHeading } from "../ui/page-heading.js";
import { EmptyEntries } from "./empty-entries.js";

export function EntriesPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("entries.documentTitle"));
  return (
    <div className="page" data-testid="entries-page">
      <div className="page__header">
        <PageHeading>{t("entries.title")}</PageHeading>
      </div>
      <section className="page__content" aria-label={t("entries.title")}>
        <EmptyEntries isAdmin={session.user.role === "admin"} />
      </section>
    </div>
  );
}
