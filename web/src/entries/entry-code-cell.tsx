// The code side of an entry row: the code on demand of a TOTP, HOTP or Steam entry, or for an
// entry with recovery codes only, how many are left.
import { useTranslation } from "react-i18next";
import type { EntrySummary } from "../../../src/contract/entries.js";
import { LifebuoyIcon } from "../ui/icons.js";
import { Link } from "../ui/router.js";
import { CodeOnDemandView } from "./code-on-demand.js";

export function EntryCodeCell({ entry }: { entry: EntrySummary }) {
  const { t } = useTranslation();
  if (entry.otp === null) {
    const { remaining, total } = entry.recoveryCodes;
    return (
      <Link to={`/entries/${entry.id}`} className={`recovery-count${remaining <= 2 ? " recovery-count--low" : ""}`} data-entry-focus="" data-testid="recovery-count">
        <LifebuoyIcon className="recovery-count__icon" />
        <span>{total === 0 ? t("entries.list.noRecoveryCodes") : t("entries.list.recoveryLeft", { count: remaining })}</span>
      </Link>
    );
  }
  return <CodeOnDemandView entry={{ id: entry.id, name: entry.name, otp: entry.otp }} size="s" />;
}
