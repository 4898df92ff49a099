// The Requests page's "Ask for access to a folder": a member does not see a folder's entries
// before they have access, but every folder's name is listed, so they choose one here and ask for
// use or recover of everything in it, for a while, with a reason.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AccessRequest } from "../../../src/contract/access-requests.js";
import { useFolderList } from "../entries/queries.js";
import { Button } from "../ui/button.js";
import { Notice } from "../ui/notice.js";
import { SelectField } from "../ui/select-field.js";
import { RequestAccessForm } from "./request-access-form.js";

export function FolderRequest({ onSent }: { onSent: (request: AccessRequest) => void }) {
  const { t } = useTranslation();
  const folders = useFolderList();
  const [isAsking, setAsking] = useState(false);
  const [folderId, setFolderId] = useState("");
  const [folderError, setFolderError] = useState<string>();
  const [sent, setSent] = useState<AccessRequest>();
  const list = folders.data ?? [];
  if (folders.isSuccess && list.length === 0) return null;

  return (
    <section className="requests-section folder-request" data-testid="folder-request" aria-label={t("access.folderRequest.title")}>
      <h2 className="requests-section__title">{t("access.folderRequest.title")}</h2>
      <p className="page__lede">{t("access.folderRequest.lede")}</p>
      {sent !== undefined ? (
        <Notice tone="success" title={t("access.folderRequest.sent", { folder: sent.target.name })} testId="folder-request-sent">
          <Button
            variant="quiet"
            onClick={() => {
              setSent(undefined);
              setFolderId("");
              setAsking(true);
            }}
          >
            {t("access.folderRequest.another")}
          </Button>
        </Notice>
      ) : isAsking ? (
        <RequestAccessForm
          target={folderId === "" ? undefined : { folderId }}
          testId="folder-request-form"
          onMissingTarget={() => setFolderError(t("access.folderRequest.chooseFolder"))}
          onCancel={() => setAsking(false)}
          onSent={(request) => {
            setSent(request);
            setAsking(false);
            onSent(request);
          }}
        >
          <SelectField
            label={t("access.folderRequest.folder")}
            value={folderId}
            error={folderError}
            data-testid="request-folder"
            onChange={(event) => {
              setFolderId(event.target.value);
              setFolderError(undefined);
            }}
          >
            <option value="">{t("access.folderRequest.choose")}</option>
            {list.map((folder) => (
              <option key={folder.id} value={folder.id}>
                {folder.name}
              </option>
            ))}
          </SelectField>
        </RequestAccessForm>
      ) : (
        <Button variant="secondary" data-testid="ask-folder-access" onClick={() => setAsking(true)}>
          {t("access.folderRequest.ask")}
        </Button>
      )}
    </section>
  );
}
