// The code side of an entry row: the live TOTP or Steam code; a "Get code" button for HOTP (each
// press advances the counter, so nothing is fetched until asked); or, for an entry with recovery
// codes only, how many are left.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { BatchCode, BatchCodeProblem, CodeReply } from "../../../src/contract/codes.js";
import type { EntrySummary } from "../../../src/contract/entries.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { ErrorIcon, LifebuoyIcon } from "../ui/icons.js";
import { describeProblem, sayProblem } from "../ui/problem-text.js";
import { Link } from "../ui/router.js";
import { offsetWithinWindow } from "./code-clock.js";
import { LiveCode } from "./live-code.js";
import { clockOffsetNow, setClockOffset } from "./server-clock.js";

interface EntryCodeCellProps {
  readonly entry: EntrySummary;
  /** From the batch; undefined until it arrives or when the batch left this entry out. */
  readonly batchCode: BatchCode | undefined;
  /** Why the batch gave this entry no code (its seed is damaged), if it said. */
  readonly batchProblem?: BatchCodeProblem | undefined;
  readonly isBatchLoaded: boolean;
  readonly second: number;
}

export function EntryCodeCell({ entry, batchCode, batchProblem, isBatchLoaded, second }: EntryCodeCellProps) {
  const { t } = useTranslation();
  const [fetched, setFetched] = useState<CodeReply>();
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (entry.otp === null) {
    const { remaining, total } = entry.recoveryCodes;
    return (
      <Link to={`/entries/${entry.id}`} className={`recovery-count${remaining <= 2 ? " recovery-count--low" : ""}`} data-entry-focus="" data-testid="recovery-count">
        <LifebuoyIcon className="recovery-count__icon" />
        <span>{total === 0 ? t("entries.list.noRecoveryCodes") : t("entries.list.recoveryLeft", { count: remaining })}</span>
      </Link>
    );
  }

  const isHotp = entry.otp.type === "hotp";
  const fetchedIsCurrent = fetched !== undefined && (fetched.validUntil === null || second < fetched.validUntil);
  const shown = batchCode ?? (fetchedIsCurrent ? fetched : undefined);

  const getCode = async (): Promise<void> => {
    if (isBusy) return;
    setBusy(true);
    setError(undefined);
    const sentAt = Date.now();
    try {
      const reply = isHotp ? await client.takeCode(entry.id) : await client.getCode(entry.id);
      setClockOffset(offsetWithinWindow(clockOffsetNow(), reply.validFrom, reply.validUntil, sentAt, Date.now()));
      setFetched(reply);
    } catch (reason) {
      setError(describeProblem(reason, t));
    } finally {
      setBusy(false);
    }
  };

  if (shown !== undefined) {
    return (
      <div className="entry-code">
        <LiveCode code={shown} entryName={entry.name} second={second} isListItem />
        {isHotp ? (
          <Button variant="quiet" className="entry-code__next" isBusy={isBusy} onClick={() => void getCode()}>
            {t("entries.code.next")}
          </Button>
        ) : null}
      </div>
    );
  }

  if (!isHotp && !isBatchLoaded) {
    return <span className="entry-code__placeholder" aria-hidden="true" />;
  }

  // Asking again would meet the same damaged seed: say why there is no code instead.
  if (batchProblem !== undefined) {
    return (
      <p className="entry-code__error" data-testid="code-problem">
        <ErrorIcon className="entry-code__error-icon" />
        <span>{sayProblem(batchProblem.key, batchProblem.params, t) ?? batchProblem.detail}</span>
      </p>
    );
  }

  return (
    <div className="entry-code entry-code--ask">
      <Button variant="secondary" isBusy={isBusy} data-entry-focus="" data-testid="get-code" onClick={() => void getCode()}>
        {t("entries.code.get")}
      </Button>
      {error === undefined ? null : (
        <p className="entry-code__error" role="alert">
          <ErrorIcon className="entry-code__error-icon" />
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}
