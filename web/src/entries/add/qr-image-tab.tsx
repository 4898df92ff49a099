// The "QR image" tab: a screenshot or photo of the QR code, chosen with the file picker, dropped
// on the area, or pasted (Ctrl+V anywhere in the dialog, or the "Paste image" button where the
// browser lets pages read images from the clipboard).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../ui/button.js";
import { FileDropZone } from "../../ui/file-drop-zone.js";
import { ClipboardIcon, QrIcon, Spinner } from "../../ui/icons.js";
import { IMAGE_TYPES } from "../../ui/read-file.js";
import type { ImageImport } from "./image-import.js";

const canReadClipboardImages = (): boolean => typeof navigator.clipboard?.read === "function";

export function QrImageTab({ image }: { image: ImageImport }) {
  const { t } = useTranslation();
  const [pasteError, setPasteError] = useState<string>();
  const { state } = image;

  const pasteFromClipboard = async (): Promise<void> => {
    setPasteError(undefined);
    try {
      for (const item of await navigator.clipboard.read()) {
        const type = item.types.find((candidate) => (IMAGE_TYPES as readonly string[]).includes(candidate));
        if (type !== undefined) return await image.submit(await item.getType(type), t("entries.add.qr.pastedName"));
      }
      setPasteError(t("entries.add.qr.clipboardEmpty"));
    } catch {
      setPasteError(t("entries.add.qr.clipboardDenied"));
    }
  };

  if (state.phase === "reading") return <ReadingImage fileName={state.fileName} />;

  return (
    <div className="qr-tab">
      <FileDropZone
        chooseLabel={t("entries.add.qr.choose")}
        prompt={t("entries.add.qr.prompt")}
        icon={<QrIcon width={28} height={28} />}
        accept={IMAGE_TYPES.join(",")}
        hint={t("entries.add.qr.hint")}
        error={state.phase === "pick" ? (state.error ?? pasteError) : undefined}
        inputTestId="qr-file-input"
        onFile={(file) => {
          setPasteError(undefined);
          void image.submit(file, file.name);
        }}
      >
        {canReadClipboardImages() ? (
          <Button variant="quiet" icon={<ClipboardIcon className="button__icon" />} onClick={() => void pasteFromClipboard()}>
            {t("entries.add.qr.paste")}
          </Button>
        ) : null}
      </FileDropZone>
    </div>
  );
}

export function ReadingImage({ fileName }: { fileName: string }) {
  const { t } = useTranslation();
  return (
    <div className="reading-image" role="status" data-testid="qr-reading">
      <Spinner className="spinner" width={20} height={20} />
      <p>
        <span>{t("entries.add.qr.reading")}</span>
        <span className="reading-image__file">{fileName}</span>
      </p>
    </div>
  );
}
