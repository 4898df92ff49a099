// The one time an invitation or password-reset link is shown: with a copy button, whether it was
// also mailed (and why not, when the mail failed), and gone once dismissed — the server keeps only
// its hash, so nobody can show it again.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { UserLinkReply } from "../../../../src/contract/users.js";
import { Button } from "../../ui/button.js";
import { CheckIcon, CopyIcon, WarningIcon } from "../../ui/icons.js";
import { describeNotice } from "../../ui/problem-text.js";
import "../../ui/service-accounts.css";

export type LinkKind = "invite" | "reset";

export function OneTimeLinkPanel({ reply, kind, onDismiss }: { reply: UserLinkReply; kind: LinkKind; onDismiss: () => void }) {
  const { t, i18n } = useTranslation();
  const [isCopied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    await navigator.clipboard.writeText(reply.link);
    setCopied(true);
  };
  const expires = new Date(reply.expiresAt).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const name = reply.user.displayName || reply.user.username;
  return (
    <section className="created-token" role="status" aria-labelledby="one-time-link-title" data-testid="one-time-link">
      <h2 id="one-time-link-title" className="created-token__title">
        <WarningIcon className="created-token__icon" width={18} height={18} />
        {t(kind === "invite" ? "admin.users.link.inviteTitle" : "admin.users.link.resetTitle", { name })}
      </h2>
      <p className="created-token__body">{t("admin.users.link.body", { when: expires })}</p>
      <div className="created-token__value">
        <code className="created-token__token" data-testid="one-time-link-value">
          {reply.link}
        </code>
        <Button variant="secondary" icon={isCopied ? <CheckIcon className="button__icon" /> : <CopyIcon className="button__icon" />} data-testid="copy-link" onClick={() => void copy()}>
          {t(isCopied ? "admin.users.link.copied" : "admin.users.link.copy")}
        </Button>
      </div>
      <p className="created-token__usage" data-testid="one-time-link-mailed">
        {reply.mailed ? t("admin.users.link.mailed", { email: reply.user.email ?? "" }) : t("admin.users.link.notMailed")}
      </p>
      {reply.warnings.map((warning) => (
        <p key={warning.key} className="field__error" data-testid="one-time-link-warning">
          {describeNotice(warning, t)}
        </p>
      ))}
      <div className="form__actions">
        <Button variant="primary" data-testid="dismiss-link" onClick={onDismiss}>
          {t("admin.users.link.done")}
        </Button>
      </div>
    </section>
  );
}
