// A code as people use it: large monospaced digits in groups, copied by clicking them, with the
// countdown ring beside it. Used in "My entries" rows and on the entry's page.
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { OtpType } from "../../../src/contract/entries.js";
import { CheckIcon, ErrorIcon } from "../ui/icons.js";
import { formatCode, groupCode } from "./code-format.js";
import { useCopy } from "./copy-code.js";
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
}

export function LiveCode({ code, entryName, second, size = "s", isListItem = false }: LiveCodeProps) {
  const { t } = useTranslation();
  const { state, copy } = useCopy();
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
        aria-label={t("entries.code.copy", { code: formatCode(code.code, code.type), name: entryName })}
        aria-describedby={code.validUntil === null ? undefined : timeId}
        onClick={() => void copy(code.code, entryName)}
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
      {state === "idle" ? null : (
        <span className={`copy-pill copy-pill--${state}`} data-testid={state === "copied" ? "copied" : "copy-failed"} aria-hidden="true">
          {state === "copied" ? <CheckIcon width={14} height={14} /> : <ErrorIcon width={14} height={14} />}
          {state === "copied" ? t("entries.code.copied") : t("entries.code.copyFailedShort")}
        </span>
      )}
    </div>
  );
}
