// The one time an invitation or password-reset link is shown (admin/shown-once-panel.tsx), with
// whether it was also mailed (and why not, when the mail failed).
import { useTranslation } from "react-i18next";
import type { UserLinkReply } from "../../../../src/contract/users.js";
import { describeNotice } from "../../ui/problem-text.js";
import { ShownOncePanel } from "../shown-once-panel.js";
import "../../ui/service-accounts.css";

export type LinkKind = "invite" | "reset";

export function OneTimeLinkPanel({ reply, kind, onDismiss }: { reply: UserLinkReply; kind: LinkKind; onDismiss: () => void }) {
  const { t, i18n } = useTranslation();
  const expires = new Date(reply.expiresAt).toLocaleString(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const name = reply.user.displayName || reply.user.username;
  return (
    <ShownOncePanel
      id="one-time-link"
      title={t(kind === "invite" ? "admin.users.link.inviteTitle" : "admin.users.link.resetTitle", { name })}
      body={t("admin.users.link.body", { when: expires })}
      value={reply.link}
      copyLabel={t("admin.users.link.copy")}
      copiedLabel={t("admin.users.link.copied")}
      copyTestId="copy-link"
      dismissLabel={t("admin.users.link.done")}
      dismissTestId="dismiss-link"
      onDismiss={onDismiss}
    >
      <p className="created-token__usage" data-testid="one-time-link-mailed">
        {reply.mailed ? t("admin.users.link.mailed", { email: reply.user.email ?? "" }) : t("admin.users.link.notMailed")}
      </p>
      {reply.warnings.map((warning) => (
        <p key={warning.key} className="field__error" data-testid="one-time-link-warning">
          {describeNotice(warning, t)}
        </p>
      ))}
    </ShownOncePanel>
  );
}
