// A secret shown after a reveal: once, on this page only, with a copy button and "Hide". It is
// not kept anywhere; seeing it again means revealing it again (and another audit event).
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../ui/button.js";
import { CheckIcon, CopyIcon } from "../../ui/icons.js";
import { useCopy } from "../copy-code.js";

interface RevealedValueProps {
  readonly value: string;
  /** What it is, for "Copied the password". */
  readonly what: string;
  readonly note?: ReactNode;
  readonly onHide: () => void;
}

export function RevealedValue({ value, what, note, onHide }: RevealedValueProps) {
  const { t } = useTranslation();
  const { state, copy } = useCopy();
  return (
    <div className="revealed" data-testid="revealed-value">
      <div className="revealed__row">
        <code className="revealed__value">{value}</code>
        <div className="revealed__actions">
          <Button
            variant="secondary"
            icon={state === "copied" ? <CheckIcon className="button__icon" /> : <CopyIcon className="button__icon" />}
            onClick={() => void copy(value, what)}
          >
            {state === "copied" ? t("entries.code.copied") : t("entries.detail.copy")}
          </Button>
          <Button variant="quiet" onClick={onHide}>
            {t("entries.detail.hide")}
          </Button>
        </div>
      </div>
      <p className="revealed__note">{note ?? t("entries.detail.shownOnce")}</p>
    </div>
  );
}
