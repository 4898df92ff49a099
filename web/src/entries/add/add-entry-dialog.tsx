// "Add entry": one dialog, four ways in — a setup key, an otpauth:// link, a QR image (picked,
// dropped or pasted) and the camera; each may follow a template and fill its other fields. A
// pasted image or link switches to its tab by itself.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "../../../../src/contract/entries.js";
import { Dialog } from "../../ui/dialog.js";
import { CameraIcon, KeyIcon, LinkIcon, QrIcon } from "../../ui/icons.js";
import { firstImageFile } from "../../ui/read-file.js";
import { tabPanelProps, Tabs } from "../../ui/tabs.js";
import { NO_FOLDER_CHOICE, type FolderChoice } from "../folders.js";
import { useTemplateList } from "../queries.js";
import type { AddedEntries } from "./added-entries.js";
import { CameraTab } from "./camera-tab.js";
import { useImageImport } from "./image-import.js";
import { ImagePreviewForm } from "./image-preview-form.js";
import { LinkForm } from "./link-form.js";
import { QrImageTab } from "./qr-image-tab.js";
import { looksLikeLink } from "./seed-checks.js";
import { SetupKeyForm } from "./setup-key-form.js";

type AddTab = "key" | "link" | "qr" | "camera";

interface AddEntryDialogProps {
  readonly isOpen: boolean;
  readonly onClose: () => void;
  readonly onAdded: (added: AddedEntries) => void;
  readonly folders: readonly Folder[] | undefined;
}

export function AddEntryDialog({ isOpen, onClose, onAdded, folders }: AddEntryDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title={t("entries.add.title")} description={t("entries.add.description")} size="l" testId="add-entry-dialog">
      <AddEntryContent folders={folders} onAdded={onAdded} />
    </Dialog>
  );
}

const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && (target as HTMLInputElement).type !== "file"));

function AddEntryContent({ folders, onAdded }: { folders: readonly Folder[] | undefined; onAdded: (added: AddedEntries) => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<AddTab>("key");
  const [folder, setFolder] = useState<FolderChoice>(NO_FOLDER_CHOICE);
  const [uri, setUri] = useState("");
  const image = useImageImport();
  const { submit } = image;
  // Without the list (still loading, or it failed) the form offers the default template only.
  const templateList = useTemplateList().data;

  // Paste anywhere in the dialog: an image goes to the QR tab; a link (outside a text field,
  // where it would simply be typed in) goes to the Link tab.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      const file = firstImageFile(event.clipboardData?.files);
      if (file !== undefined) {
        event.preventDefault();
        setTab((current) => (current === "camera" ? current : "qr"));
        void submit(file, file.name === "image.png" ? t("entries.add.qr.pastedName") : file.name);
        return;
      }
      const text = event.clipboardData?.getData("text/plain") ?? "";
      if (!isTextField(event.target) && looksLikeLink(text)) {
        event.preventDefault();
        setUri(text.trim());
        setTab("link");
      }
    };
    document.addEventListener("paste", onPaste);
    return () => document.removeEventListener("paste", onPaste);
  }, [submit, t]);

  const tabs = [
    { id: "key", label: t("entries.add.tabs.key"), icon: <KeyIcon className="tabs__icon" /> },
    { id: "link", label: t("entries.add.tabs.link"), icon: <LinkIcon className="tabs__icon" /> },
    { id: "qr", label: t("entries.add.tabs.qr"), icon: <QrIcon className="tabs__icon" /> },
    { id: "camera", label: t("entries.add.tabs.camera"), icon: <CameraIcon className="tabs__icon" /> },
  ] as const;

  const isImageTab = tab === "qr" || tab === "camera";
  const selectTab = (next: AddTab): void => {
    // An error about the last image belongs to the tab it was read in.
    if (image.state.phase === "pick" && image.state.error !== undefined) image.reset();
    setTab(next);
  };

  return (
    <div className="add-entry">
      <Tabs label={t("entries.add.tabsLabel")} idPrefix="add-entry" tabs={tabs} selected={tab} onSelect={selectTab} />
      <div {...tabPanelProps("add-entry", tab)} className="tab-panel">
        {tab === "key" ? <SetupKeyForm folders={folders} templates={templateList} folder={folder} onFolderChange={setFolder} onAdded={onAdded} /> : null}
        {tab === "link" ? <LinkForm uri={uri} onUriChange={setUri} folders={folders} templates={templateList} folder={folder} onFolderChange={setFolder} onAdded={onAdded} /> : null}
        {isImageTab && image.state.phase === "found" ? (
          <ImagePreviewForm
            key={image.state.preview.importId}
            preview={image.state.preview}
            fileName={image.state.fileName}
            folders={folders}
            templates={templateList}
            folder={folder}
            onFolderChange={setFolder}
            onStartOver={() => image.reset()}
            onConfirmed={image.markConfirmed}
            onAdded={onAdded}
          />
        ) : null}
        {tab === "qr" && image.state.phase !== "found" ? <QrImageTab image={image} /> : null}
        {tab === "camera" && image.state.phase !== "found" ? <CameraTab image={image} /> : null}
      </div>
    </div>
  );
}
