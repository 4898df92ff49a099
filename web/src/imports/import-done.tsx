// The last step of an import: how many entries now exist, and where to see them.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ConfirmImportReply } from "../../../src/contract/imports.js";
import { Button, ButtonLink } from "../ui/button.js";
import { CheckCircleIcon } from "../ui/icons.js";

export function ImportDone({ reply, onAnother }: { reply: ConfirmImportReply; onAnother: () => void }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The step changed under the person's feet: move them (and their screen reader) to the outcome.
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="status-panel status-panel--success import-done" data-testid="import-done">
      <div className="status-panel__icon">
        <CheckCircleIcon width={28} height={28} />
      </div>
      <h2 ref={headingRef} tabIndex={-1} className="page-heading status-panel__title">
        {t("imports.done.title", { count: reply.created.length })}
      </h2>
      <div className="status-panel__body">
        <p>{t("imports.done.body")}</p>
      </div>
      <div className="status-panel__actions status-panel__buttons">
        <ButtonLink to="/">{t("imports.done.toEntries")}</ButtonLink>
        <Button variant="secondary" onClick={onAnother}>
          {t("imports.done.another")}
        </Button>
      </div>
    </div>
  );
}
