// The QR path shared by the "QR image" and "Camera" tabs: an image (chosen, dropped, pasted or
// captured) goes to the server as an import; the server decodes it and answers with the accounts
// it found, which the person names and confirms. An import left unconfirmed is discarded.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ImportPreview } from "../../../../src/contract/imports.js";
import { client } from "../../ui/api-client.js";
import { describeProblem } from "../../ui/problem-text.js";
import { isImageFile, MAX_UPLOAD_BYTES, readFileAsBase64 } from "../../ui/read-file.js";

export type ImageImportState =
  | { readonly phase: "pick"; readonly error?: string }
  | { readonly phase: "reading"; readonly fileName: string }
  | { readonly phase: "found"; readonly fileName: string; readonly preview: ImportPreview };

export interface ImageImport {
  readonly state: ImageImportState;
  readonly submit: (image: Blob, fileName: string) => Promise<void>;
  /** Back to choosing an image; the current import, if any, is discarded. */
  readonly reset: (error?: string) => void;
  /** The import was confirmed: nothing is left to discard. */
  readonly markConfirmed: () => void;
}

export function useImageImport(): ImageImport {
  const { t } = useTranslation();
  const [state, setState] = useState<ImageImportState>({ phase: "pick" });
  const pendingId = useRef<string>(undefined);
  const attempt = useRef(0);

  const discard = useCallback(() => {
    const id = pendingId.current;
    pendingId.current = undefined;
    if (id !== undefined) void client.discardImport(id).catch(() => undefined);
  }, []);

  // Closing the dialog or leaving the page discards an import nobody confirmed.
  useEffect(() => discard, [discard]);

  const reset = useCallback(
    (error?: string) => {
      attempt.current += 1;
      discard();
      setState(error === undefined ? { phase: "pick" } : { phase: "pick", error });
    },
    [discard],
  );

  const submit = useCallback(
    async (image: Blob, fileName: string) => {
      if (image.type !== "" && !isImageFile(image)) return reset(t("entries.add.qr.notAnImage"));
      if (image.size > MAX_UPLOAD_BYTES) return reset(t("entries.add.qr.tooLarge"));
      discard();
      const mine = ++attempt.current;
      setState({ phase: "reading", fileName });
      try {
        const data = await readFileAsBase64(image);
        const preview = await client.createImport({ data, format: "image", fileName });
        if (mine !== attempt.current) {
          void client.discardImport(preview.importId).catch(() => undefined);
          return;
        }
        if (preview.entries.length === 0) {
          void client.discardImport(preview.importId).catch(() => undefined);
          setState({ phase: "pick", error: preview.problems[0]?.message ?? t("entries.add.qr.noCode") });
          return;
        }
        pendingId.current = preview.importId;
        setState({ phase: "found", fileName, preview });
      } catch (error) {
        if (mine === attempt.current) setState({ phase: "pick", error: describeProblem(error, t) });
      }
    },
    [discard, reset, t],
  );

  const markConfirmed = useCallback(() => {
    pendingId.current = undefined;
  }, []);

  return { state, submit, reset, markConfirmed };
}
