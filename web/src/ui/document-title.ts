// Names the browser tab after the page, so tabs, history and screen readers say where you are.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

export function useDocumentTitle(title: string | undefined): void {
  const { t } = useTranslation();
  const suffix = t("shell.titleSuffix");
  useEffect(() => {
    document.title = title === undefined ? suffix : `${title} · ${suffix}`;
  }, [title, suffix]);
}
