// The entry's code at the top of its page, on demand: "Show code" (then live until closed, for
// TOTP and Steam; for HOTP each code is handed out once and moves the counter on) or "Copy code".
import { useTranslation } from "react-i18next";
import type { EntryDetail } from "../../../../src/contract/entries.js";
import { Panel } from "../../ui/panel.js";
import { CodeOnDemandView } from "../code-on-demand.js";
import { OtpDescription } from "../otp-description.js";

export function CodePanel({ entry }: { entry: EntryDetail }) {
  const { t } = useTranslation();
  if (entry.otp === null) return null;
  return (
    <Panel title={t("entries.detail.code.title")} testId="code-panel" actions={<OtpDescription otp={entry.otp} />}>
      <div className="code-panel">
        <CodeOnDemandView entry={{ id: entry.id, name: entry.name, otp: entry.otp }} size="l" />
        <p className="code-panel__hint">{entry.otp.type === "hotp" ? t("entries.detail.code.hotpHint") : t("entries.detail.code.onDemandHint")}</p>
      </div>
    </Panel>
  );
}
