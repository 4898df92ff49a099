// One action at a time on a user's row or a group's card: which one is running (its button shows
// busy), and the last refusal in the reader's language, said next to the actions.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { describeProblem } from "../../ui/problem-text.js";

export function useRowAction() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const act = async (action: string, run: () => Promise<void>): Promise<void> => {
    if (busy !== undefined) return;
    setBusy(action);
    setError(undefined);
    try {
      await run();
    } catch (reason) {
      setError(describeProblem(reason, t));
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, error, act };
}
