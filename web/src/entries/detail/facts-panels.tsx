// What is known about an entry, never a secret: its attributes, and its OTP settings with the
// seed's age (the seed itself never reaches the browser). Managers overwrite the seed from here.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDetail, EntryReply, Folder } from "../../../../src/contract/entries.js";
import { Button } from "../../ui/button.js";
import { FolderIcon, TagIcon } from "../../ui/icons.js";
import { Notice } from "../../ui/notice.js";
import { Panel } from "../../ui/panel.js";
import { describeNotice } from "../../ui/problem-text.js";
import { entryFieldLabel, templateName } from "../templates.js";
import { OverwriteSeedForm } from "./overwrite-seed-form.js";
import { formatAge, formatMoment } from "./time-text.js";

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="facts__item" data-testid={testId}>
      <dt className="facts__label">{label}</dt>
      <dd className="facts__value">{children}</dd>
    </div>
  );
}

const isSafeLink = (url: string): boolean => /^https?:\/\//i.test(url);

interface DetailsPanelProps {
  readonly entry: EntryDetail;
  readonly folders: readonly Folder[] | undefined;
}

export function DetailsPanel({ entry, folders }: DetailsPanelProps) {
  const { t, i18n } = useTranslation();
  const folder = entry.folderId === null ? undefined : folders?.find((candidate) => candidate.id === entry.folderId);
  const plainFields = entry.fields.filter((field) => (field.type === "text" || field.type === "url") && field.value !== null && field.value !== "");
  const none = <span className="facts__none">{t("entries.detail.none")}</span>;

  return (
    <Panel title={t("entries.detail.details.title")} testId="details-panel">
      <dl className="facts">
        <Fact label={t("entries.detail.details.folder")}>
          {entry.folderId === null ? (
            none
          ) : (
            <span className="facts__with-icon">
              <FolderIcon className="facts__icon" />
              {folder?.name ?? t("entries.detail.details.unknownFolder")}
            </span>
          )}
        </Fact>
        <Fact label={t("entries.detail.details.issuer")}>{entry.issuer ?? none}</Fact>
        <Fact label={t("entries.detail.details.account")}>{entry.account ?? none}</Fact>
        {entry.username === null ? null : <Fact label={t("entries.detail.details.username")}>{entry.username}</Fact>}
        {entry.url === null ? null : (
          <Fact label={t("entries.detail.details.url")}>
            {isSafeLink(entry.url) ? (
              <a href={entry.url} target="_blank" rel="noopener noreferrer" className="facts__link">
                {entry.url}
              </a>
            ) : (
              entry.url
            )}
          </Fact>
        )}
        {plainFields.map((field) => (
          <Fact key={field.key} label={entryFieldLabel(entry, field, t)}>
            {field.type === "url" && field.value !== null && isSafeLink(field.value) ? (
              <a href={field.value} target="_blank" rel="noopener noreferrer" className="facts__link">
                {field.value}
              </a>
            ) : (
              field.value
            )}
          </Fact>
        ))}
        <Fact label={t("entries.detail.details.tags")}>
          {entry.tags.length === 0 ? (
            none
          ) : (
            <ul className="chips">
              {entry.tags.map((tag) => (
                <li key={tag} className="chip">
                  <TagIcon className="chip__icon" width={12} height={12} />
                  {tag}
                </li>
              ))}
            </ul>
          )}
        </Fact>
        {entry.notes === null || entry.notes === "" ? null : (
          <Fact label={t("entries.detail.details.notes")}>
            <span className="facts__notes">{entry.notes}</span>
          </Fact>
        )}
        <Fact label={t("entries.detail.details.template")}>{templateName(entry.templateId, entry.templateName, t)}</Fact>
        <Fact label={t("entries.detail.details.created")}>{formatMoment(entry.createdAt, i18n.language)}</Fact>
        <Fact label={t("entries.detail.details.updated")}>{formatMoment(entry.updatedAt, i18n.language)}</Fact>
      </dl>
    </Panel>
  );
}

interface OtpPanelProps {
  readonly entry: EntryDetail;
  readonly onOverwritten: (reply: EntryReply) => void;
}

export function OtpPanel({ entry, onOverwritten }: OtpPanelProps) {
  const { t, i18n } = useTranslation();
  const [isOverwriting, setOverwriting] = useState(false);
  const [result, setResult] = useState<EntryReply>();
  const { otp } = entry;
  if (otp === null) return null;

  return (
    <Panel
      title={t("entries.detail.seed.title")}
      testId="otp-panel"
      actions={
        entry.canManage && !isOverwriting ? (
          <Button variant="secondary" data-testid="overwrite-seed" onClick={() => {
              setOverwriting(true);
              setResult(undefined);
            }}>
            {t("entries.detail.seed.overwrite")}
          </Button>
        ) : undefined
      }
    >
      {result === undefined ? null : (
        <Notice tone={result.warnings.length > 0 ? "warning" : "success"} title={t("entries.detail.seed.overwritten")} onDismiss={() => setResult(undefined)} testId="seed-overwritten">
          {result.warnings.length > 0 ? (
            <ul className="notice__list">
              {result.warnings.map((warning, index) => (
                <li key={index}>{describeNotice(warning, t)}</li>
              ))}
            </ul>
          ) : undefined}
        </Notice>
      )}
      <dl className="facts facts--columns">
        <Fact label={t("entries.detail.seed.type")}>{t(`entries.otp.types.${otp.type}`)}</Fact>
        {otp.type === "steam" ? null : <Fact label={t("entries.detail.seed.algorithm")}>{otp.algorithm.replace("SHA", "SHA-")}</Fact>}
        <Fact label={t("entries.detail.seed.digits")}>{otp.type === "steam" ? "5" : otp.digits}</Fact>
        {otp.type === "hotp" ? null : <Fact label={t("entries.detail.seed.period")}>{t("entries.otp.seconds", { count: otp.period })}</Fact>}
        <Fact label={t("entries.detail.seed.updated")} testId="seed-updated">
          <span>{formatAge(otp.seedUpdatedAt, Date.now(), i18n.language)}</span>
          <span className="facts__sub">{formatMoment(otp.seedUpdatedAt, i18n.language)}</span>
        </Fact>
      </dl>
      <p className="panel__note">{t("entries.detail.seed.writeOnly")}</p>
      {isOverwriting ? (
        <OverwriteSeedForm
          entry={entry}
          onCancel={() => setOverwriting(false)}
          onOverwritten={(reply) => {
            setOverwriting(false);
            setResult(reply);
            onOverwritten(reply);
          }}
        />
      ) : null}
    </Panel>
  );
}
