// Copying a code: the clipboard, a short-lived "Copied" on the code itself, and the same news for
// screen readers through the page's live region.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAnnounce } from "../ui/announcer.js";

const SHOWN_MS = 1600;

export type CopyState = "idle" | "copied" | "failed";

export async function writeToClipboard(text: string): Promise<void> {
  if (navigator.clipboard === undefined) throw new Error("The clipboard is not available here.");
  await navigator.clipboard.writeText(text);
}

/** `copy(text, what)` copies and says so; `what` names the thing copied for screen readers. */
export function useCopy(): { state: CopyState; copy: (text: string, what: string) => Promise<void> } {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = useCallback(
    async (text: string, what: string) => {
      clearTimeout(timer.current);
      try {
        await writeToClipboard(text);
        setState("copied");
        announce(t("entries.code.copiedAnnouncement", { what }));
      } catch {
        setState("failed");
        announce(t("entries.code.copyFailed"));
      }
      timer.current = setTimeout(() => setState("idle"), SHOWN_MS);
    },
    [announce, t],
  );
  return { state, copy };
}
