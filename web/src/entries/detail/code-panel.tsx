// The entry's code at the top of its page: the live TOTP or Steam code with its ring, or for
// HOTP a "Get code" button (each press hands out the next code and advances the counter).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CodeReply } from "../../../../src/contract/codes.js";
import type { EntryDetail } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { Panel } from "../../ui/panel.js";
import { describeProblem } from "../../ui/problem-text.js";
import { LiveCode } from "../live-code.js";
import { OtpDescription } from "../otp-description.js";
import { useServerSecond } from "../server-clock.js";
import type { EntryCode } from "./use-entry-code.js";

interface CodePanelProps {
  readonly entry: EntryDetail;
  /** The live code of a TOTP or Steam entry; unused for HOTP. */
  readonly live: EntryCode;
}

export function CodePanel({ entry, live }: CodePanelProps) {
  const { t } = useTranslation();
  const second = useServerSecond();
  const [taken, setTaken] = useState<CodeReply>();
  const [takeError, setTakeError] = useState<string>();
  const [isTaking, setTaking] = useState(false);
  if (entry.otp === null) return null;
  const isHotp = entry.otp.type === "hotp";

  const take = async (): Promise<void> => {
    if (isTaking) return;
    setTaking(true);
    setTakeError(undefined);
    try {
      setTaken(await client.takeCode(entry.id));
    } catch (error) {
      setTakeError(describeProblem(error, t));
    } finally {
      setTaking(false);
    }
  };

  const shown = isHotp ? taken : live.code;
  const error = isHotp ? takeError : live.error === undefined ? undefined : describeProblem(live.error, t);

  return (
    <Panel title={t("entries.detail.code.title")} testId="code-panel" actions={<OtpDescription otp={entry.otp} />}>
      <FormAlert message={error} />
      <div className="code-panel">
        {shown === undefined ? (
          isHotp ? null : <span className="code-panel__placeholder" aria-hidden="true" />
        ) : (
          <LiveCode code={shown} entryName={entry.name} second={second} size="l" />
        )}
        {isHotp ? (
          <div className="code-panel__hotp">
            <Button variant={taken === undefined ? "primary" : "secondary"} isBusy={isTaking} data-testid="get-code" onClick={() => void take()}>
              {taken === undefined ? t("entries.code.get") : t("entries.code.next")}
            </Button>
            <p className="field__hint">{t("entries.detail.code.hotpHint")}</p>
          </div>
        ) : (
          <p className="code-panel__hint">{t("entries.detail.code.copyHint")}</p>
        )}
      </div>
    </Panel>
  );
}
