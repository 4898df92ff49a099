// The code side of an entry, in a "My entries" row (size s) and at the top of its page (l). Closed:
// "Show code" and "Copy code", and nothing fetched. Open: the live code (click it to copy) with
// "Copy code", "Hide code" and, for HOTP, "Next code". Focus follows the person: onto the code when
// it opens, back onto "Show code" when it closes.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { OtpType } from "../../../src/contract/entries.js";
import { Button } from "../ui/button.js";
import { CopyIcon, ErrorIcon, EyeIcon, EyeOffIcon } from "../ui/icons.js";
import { ApiError } from "../ui/api-client.js";
import { describeProblem } from "../ui/problem-text.js";
import { StepUpDialog } from "./step-up-dialog.js";
import { CopyPill, LiveCode } from "./live-code.js";
import { useServerSecond } from "./server-clock.js";
import { useCodeOnDemand, type CodeOnDemand } from "./use-code-on-demand.js";

interface CodeOnDemandViewProps {
  readonly entry: { readonly id: string; readonly name: string; readonly otp: { readonly type: OtpType } };
  readonly size: "s" | "l";
}

export function CodeOnDemandView({ entry, size }: CodeOnDemandViewProps) {
  const { t } = useTranslation();
  const demand = useCodeOnDemand({ id: entry.id, name: entry.name, type: entry.otp.type });
  // Focus moves only after the person pressed something here, never on the page's first render.
  const [hasActed, setActed] = useState(false);
  const act = (action: () => void) => () => {
    setActed(true);
    action();
  };
  // An entry that asks for a fresh second factor: the dialog takes it, then the code is fetched again.
  const isStepUpAsked = demand.error instanceof ApiError && demand.error.key === "step_up_required";
  const [isStepUpDismissed, setStepUpDismissed] = useState(false);
  const error = demand.error === undefined || (isStepUpAsked && !isStepUpDismissed) ? undefined : describeProblem(demand.error, t);

  return (
    <div className={`code-demand code-demand--${size}`}>
      {demand.code === undefined ? (
        <div className="code-demand__actions">
          <Button
            variant={size === "l" ? "primary" : "secondary"}
            icon={<EyeIcon className="button__icon" />}
            isBusy={demand.isFetching}
            autoFocus={hasActed}
            data-entry-focus=""
            data-testid="show-code"
            aria-label={t("entries.code.showFor", { name: entry.name })}
            onClick={act(() => {
              setStepUpDismissed(false);
              demand.show();
            })}
          >
            {t("entries.code.show")}
          </Button>
          <CopyButton demand={demand} entryName={entry.name} size={size} withPill />
        </div>
      ) : (
        <OpenCode demand={demand} entry={entry} size={size} isFocused={hasActed} onHide={act(demand.hide)} />
      )}
      <StepUpDialog
        isOpen={isStepUpAsked && !isStepUpDismissed}
        entry={entry}
        onPassed={() => {
          setStepUpDismissed(true);
          demand.show();
        }}
        onClose={() => setStepUpDismissed(true)}
      />
      {error === undefined ? null : (
        <p className="code-demand__error" role="alert">
          <ErrorIcon className="code-demand__error-icon" />
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}

interface OpenCodeProps {
  readonly demand: CodeOnDemand;
  readonly entry: CodeOnDemandViewProps["entry"];
  readonly size: "s" | "l";
  readonly isFocused: boolean;
  readonly onHide: () => void;
}

/** The open code; the only part that re-renders every second, for its countdown. */
function OpenCode({ demand, entry, size, isFocused, onHide }: OpenCodeProps) {
  const { t } = useTranslation();
  const second = useServerSecond();
  if (demand.code === undefined) return null;
  return (
    <div className="code-demand__open">
      <LiveCode code={demand.code} entryName={entry.name} second={second} size={size} isListItem={size === "s"} autoFocus={isFocused} onCopy={demand.copy} copyState={demand.copyState} />
      <div className="code-demand__actions">
        {entry.otp.type === "hotp" ? (
          <Button variant="secondary" className="code-demand__small" isBusy={demand.isFetching} data-testid="next-code" onClick={demand.next}>
            {t("entries.code.next")}
          </Button>
        ) : null}
        <CopyButton demand={demand} entryName={entry.name} size={size} />
        <Button
          variant="quiet"
          className="code-demand__small"
          icon={<EyeOffIcon className="button__icon" />}
          data-testid="hide-code"
          aria-label={t("entries.code.hideFor", { name: entry.name })}
          title={t("entries.code.hide")}
          onClick={onHide}
        >
          <span className={size === "s" ? "visually-hidden" : "visually-hidden-on-phone"}>{t("entries.code.hide")}</span>
        </Button>
      </div>
    </div>
  );
}

interface CopyButtonProps {
  readonly demand: CodeOnDemand;
  readonly entryName: string;
  readonly size: "s" | "l";
  /** Shows "Copied" above this button (when the code is not on screen to show it over). */
  readonly withPill?: boolean;
}

function CopyButton({ demand, entryName, size, withPill = false }: CopyButtonProps) {
  const { t } = useTranslation();
  return (
    <span className="code-demand__copy">
      <Button
        variant="quiet"
        className="code-demand__small"
        icon={<CopyIcon className="button__icon" />}
        isBusy={demand.isFetchingCopy}
        data-testid="copy-code"
        aria-label={t("entries.code.copyFor", { name: entryName })}
        title={t("entries.code.copyCode")}
        onClick={demand.copy}
      >
        {/* In a row whose code is open, and in any row at phone width, there is room for the icon
            only; its name stays for screen readers. */}
        <span className={size === "l" ? undefined : demand.code !== undefined ? "visually-hidden" : "visually-hidden-on-phone"}>{t("entries.code.copyCode")}</span>
      </Button>
      {withPill ? <CopyPill state={demand.copyState} /> : null}
    </span>
  );
}
