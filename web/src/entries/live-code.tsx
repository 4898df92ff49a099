// A code as people use it: large monospaced digits in groups, copied by clicking them, with the
// countdown ring beside it and the "Copied" pill above. Used in "My entries" rows and on the
// entry's page, once the person asked for the code.
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { OtpType } from "../../../src/contract/entries.js";
import { CheckIcon, ErrorIcon } from "../ui/icons.js";
import { formatCode, groupCode } from "./code-format.js";
import type { CopyState } from "./copy-code.js";
import { CountdownRing } from "./countdown-ring.js";

export interface ShownCode {
  readonly code: string;
  readonly type: OtpType;
  readonly validFrom: number;
  /** null for HOTP: valid until used. */
  readonly validUntil: number | null;
}

interface LiveCodeProps {
  readonly code: ShownCode;
  /** The entry's name, for "Copy the code for AWS root". */
  readonly entryName: string;
  /** The server's current whole second. */
  readonly second: number;
  readonly size?: "s" | "l";
  /** Marks the control arrow keys move between in a list. */
  readonly isListItem?: boolean;
  /** Takes focus when it appears (the person just asked for the code from the keyboard or mouse). */
  readonly autoFocus?: boolean;
  readonly onCopy: () => void;
  readonly copyState: CopyState;
}

export function LiveCode({ code, entryName, second, size = "s", isListItem = false, autoFocus = false, onCopy, copyState }: LiveCodeProps) {
  const { t } = useTranslation();
  const timeId = useId();
  const groups = groupCode(code.code, code.type);
  const isExpired = code.validUntil !== null && second >= code.validUntil;

  return (
    <div className={`live-code live-code--${size}${isExpired ? " live-code--expired" : ""}`}>
      <button
        type="button"
        className="live-code__button"
        data-testid="entry-code"
        data-entry-focus={isListItem ? "" : undefined}
        autoFocus={autoFocus}
        aria-label={t("entries.code.copy", { code: formatCode(code.code, code.type), name: entryName })}
        aria-describedby={code.validUntil === null ? undefined : timeId}
        onClick={onCopy}
      >
        <span className="live-code__digits">
          {groups.map((group, index) => (
            <span key={index} className="live-code__group">
              {group}
              {index < groups.length - 1 ? " " : null}
            </span>
          ))}
        </span>
      </button>
      {code.validUntil === null ? (
        // In a list row the "Next code" button beside it says as much, in less room.
        size === "l" ? <span className="live-code__note">{t("entries.code.untilUsed")}</span> : null
      ) : (
        <CountdownRing
          validFrom={code.validFrom}
          validUntil={code.validUntil}
          second={second}
          size={size}
          describedById={timeId}
          describe={(seconds) => (seconds === 0 ? t("entries.code.renewing") : t("entries.code.secondsLeft", { count: seconds }))}
        />
      )}
      <CopyPill state={copyState} />
    </div>
  );
}

/** "Copied" (or "Copy failed") for a moment above what was copied; screen readers hear it from the live region. */
export function CopyPill({ state }: { state: CopyState }) {
  const { t } = useTranslation();
  if (state === "idle") return null;
  return (
    <span className={`copy-pill copy-pill--${state}`} data-testid={state === "copied" ? "copied" : "copy-failed"} aria-hidden="true">
      {state === "copied" ? <CheckIcon width={14} height={14} /> : <ErrorIcon width={14} height={14} />}
      {state === "copied" ? t("entries.code.copied") : t("entries.code.copyFailedShort")}
    </span>
  );
}
