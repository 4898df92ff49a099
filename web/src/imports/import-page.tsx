// /import: bring a whole export from another authenticator (Aegis, 2FAS, Bitwarden, andOTP,
// Google Authenticator, KeePass, FreeOTP+, a list of otpauth:// links) in three steps: file,
// preview, done.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import type { ConfirmImportReply, ImportPreview } from "../../../src/contract/imports.js";
import { abilitiesOf } from "../account/abilities.js";
import { useFolderList, useServerChanges } from "../entries/queries.js";
import { ButtonLink } from "../ui/button.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { LockIcon } from "../ui/icons.js";
import { StatusPanel } from "../ui/status-panel.js";
import { Notice } from "../ui/notice.js";
import { PageHeading } from "../ui/page-heading.js";
import { ImportDone } from "./import-done.js";
import { ImportPreviewStep } from "./import-preview.js";
import { ImportUploadForm } from "./import-upload-form.js";

type Step = { kind: "upload"; message?: string } | { kind: "preview"; preview: ImportPreview; fileName: string } | { kind: "done"; reply: ConfirmImportReply };

export function ImportPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("imports.documentTitle"));
  if (!abilitiesOf(session).canAddEntries) return <NotForRole />;
  return <ImportSteps />;
}

/** Auditors hold no entries, so there is nothing for them to import (the server refuses too). */
function NotForRole() {
  const { t } = useTranslation();
  return (
    <div className="page" data-testid="import-not-for-role">
      <div className="page-status">
        <StatusPanel tone="info" icon={<LockIcon width={28} height={28} />} title={t("imports.notForRole.title")} actions={<ButtonLink to="/">{t("shell.notFound.action")}</ButtonLink>}>
          <p>{t("imports.notForRole.body")}</p>
        </StatusPanel>
      </div>
    </div>
  );
}

function ImportSteps() {
  const { t } = useTranslation();
  const folders = useFolderList().data;
  const { entriesChanged } = useServerChanges();
  const [step, setStep] = useState<Step>({ kind: "upload" });

  return (
    <div className="page import-page" data-testid="import-page">
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("imports.title")}</PageHeading>
          <p className="page__lede">{t("imports.lede")}</p>
        </div>
      </div>
      <ol className="steps" aria-label={t("imports.steps.label")}>
        {(["upload", "preview", "done"] as const).map((name, index) => (
          <li key={name} className={`steps__step${step.kind === name ? " steps__step--current" : ""}`} aria-current={step.kind === name ? "step" : undefined}>
            <span className="steps__number">{index + 1}</span>
            {t(`imports.steps.${name}`)}
          </li>
        ))}
      </ol>
      {step.kind === "upload" && step.message !== undefined ? <Notice tone="warning" title={step.message} /> : null}
      <section className="page__content import-card">
        {step.kind === "upload" ? <ImportUploadForm onPreview={(preview, fileName) => setStep({ kind: "preview", preview, fileName })} /> : null}
        {step.kind === "done" ? <ImportDone reply={step.reply} onAnother={() => setStep({ kind: "upload" })} /> : null}
        {step.kind === "preview" ? (
          <ImportPreviewStep
            key={step.preview.importId}
            preview={step.preview}
            fileName={step.fileName}
            folders={folders}
            onImported={(reply) => {
              entriesChanged();
              setStep({ kind: "done", reply });
            }}
            onStartOver={(message) => setStep(message === undefined ? { kind: "upload" } : { kind: "upload", message })}
          />
        ) : null}
      </section>
    </div>
  );
}
