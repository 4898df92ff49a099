// Copying a code: the clipboard, a short-lived "Copied" beside it, and the same news for screen
// readers through the page's live region. The text may still be on its way from the server.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAnnounce } from "../ui/announcer.js";

const SHOWN_MS = 1600;

export type CopyState = "idle" | "copied" | "failed";

/**
 * Writes `text` to the clipboard. A text still being fetched goes in as a promise inside a
 * ClipboardItem: Safari lets a click write to the clipboard only if the write starts within the
 * click, before the fetch ends. Where that is refused, it is written once it arrives.
 */
export async function writeToClipboard(text: string | Promise<string>): Promise<void> {
  if (navigator.clipboard === undefined) throw new Error("The clipboard is not available here.");
  if (typeof text !== "string" && typeof ClipboardItem === "function") {
    try {
      await navigator.clipboard.write([new ClipboardItem({ "text/plain": text.then((value) => new Blob([value], { type: "text/plain" })) })]);
      return;
    } catch {
      // Either the fetch failed (awaited below, so its error is the one thrown) or this browser
      // takes no promise in a ClipboardItem.
    }
  }
  await navigator.clipboard.writeText(await text);
}

/**
 * `copy(text, what)` copies and says so; `what` names the thing copied for screen readers. When
 * `text` is a promise that rejects, nothing is said: the caller reports why there was no text.
 */
export function useCopy(): { state: CopyState; copy: (text: string | Promise<string>, what: string) => Promise<void> } {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = useCallback(
    async (text: string | Promise<string>, what: string) => {
      clearTimeout(timer.current);
      let hasNoText = false;
      if (typeof text !== "string") text.catch(() => (hasNoText = true));
      try {
        await writeToClipboard(text);
        setState("copied");
        announce(t("entries.code.copiedAnnouncement", { what }));
      } catch {
        if (hasNoText) return setState("idle");
        setState("failed");
        announce(t("entries.code.copyFailed"));
      }
      timer.current = setTimeout(() => setState("idle"), SHOWN_MS);
    },
    [announce, t],
  );
  return { state, copy };
}
