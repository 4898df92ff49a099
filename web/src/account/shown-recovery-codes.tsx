// The one time a new set of recovery codes is shown: the ten codes, Download (.txt), Copy and
// Print, and a confirmation the person must tick ("I have saved these codes") before it closes.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { GeneratedRecoveryCodes } from "../../../src/contract/sign-in-security.js";
import { Button } from "../ui/button.js";
import { CheckboxField } from "../ui/checkbox-field.js";
import { CheckIcon, CopyIcon, DownloadIcon, FileIcon, WarningIcon } from "../ui/icons.js";
import { downloadText, recoveryCodesText } from "./recovery-codes-file.js";

export function ShownRecoveryCodes({ made, username, onDone }: { made: GeneratedRecoveryCodes; username: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [isCopied, setCopied] = useState(false);
  const [isSaved, setSaved] = useState(false);
  const [hasTriedDone, setTriedDone] = useState(false);
  const text = (): string => recoveryCodesText(made.codes, username, made.generatedAt, i18n.language, t);

  const copy = async (): Promise<void> => {
    await navigator.clipboard.writeText(text());
    setCopied(true);
  };
  const done = (): void => {
    setTriedDone(true);
    if (isSaved) onDone();
  };

  return (
    <section className="sign-in-codes__shown" role="status" aria-labelledby="recovery-codes-shown-title" data-testid="recovery-codes-shown">
      <h3 id="recovery-codes-shown-title" className="sign-in-codes__shown-title">
        <WarningIcon className="sign-in-codes__warning-icon" width={18} height={18} />
        {t("account.recoveryCodes.shownTitle")}
      </h3>
      <p className="sign-in-codes__shown-body">{t("account.recoveryCodes.shownBody")}</p>
      <div className="sign-in-codes__sheet" data-testid="recovery-codes-sheet">
        <p className="sign-in-codes__print-title">{t("account.recoveryCodes.fileTitle", { username })}</p>
        <ol className="sign-in-codes__list" aria-label={t("account.recoveryCodes.listLabel")} data-testid="recovery-codes-list">
          {made.codes.map((code) => (
            <li key={code} className="sign-in-codes__code">
              <code>{code}</code>
            </li>
          ))}
        </ol>
      </div>
      <div className="sign-in-codes__tools">
        <Button
          icon={<DownloadIcon className="button__icon" />}
          data-testid="recovery-codes-download"
          onClick={() => downloadText(text(), `watchword-recovery-codes-${username}.txt`)}
        >
          {t("account.recoveryCodes.download")}
        </Button>
        <Button icon={isCopied ? <CheckIcon className="button__icon" /> : <CopyIcon className="button__icon" />} data-testid="recovery-codes-copy" onClick={() => void copy()}>
          {isCopied ? t("account.recoveryCodes.copied") : t("account.recoveryCodes.copy")}
        </Button>
        <Button icon={<FileIcon className="button__icon" />} data-testid="recovery-codes-print" onClick={() => window.print()}>
          {t("account.recoveryCodes.print")}
        </Button>
      </div>
      <CheckboxField
        label={t("account.recoveryCodes.saved")}
        checked={isSaved}
        onChange={(event) => setSaved(event.target.checked)}
        error={hasTriedDone && !isSaved ? t("account.recoveryCodes.savedRequired") : undefined}
        data-testid="recovery-codes-saved"
      />
      <div className="form__actions">
        <Button variant="primary" data-testid="recovery-codes-done" onClick={done}>
          {t("account.recoveryCodes.done")}
        </Button>
      </div>
    </section>
  );
}
