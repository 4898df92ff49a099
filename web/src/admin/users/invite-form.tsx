// Inviting a user: username, display name, role and an optional e-mail address (the link is mailed
// to it when the server sends mail). The reply's one-time link is shown by the page.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Role as UserRole } from "../../../../src/contract/auth.js";
import type { UserLinkReply } from "../../../../src/contract/users.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { describeProblem, fieldOf } from "../../ui/problem-text.js";
import { TextField } from "../../ui/text-field.js";
import { RoleSelect } from "./role-select.js";
import { useSudo } from "../../account/sudo.js";

export function InviteForm({ onInvited, onCancel }: { onInvited: (reply: UserLinkReply) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<UserRole>("member");
  const [email, setEmail] = useState("");
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [isBusy, setBusy] = useState(false);
  const errorOf = (field: string): string | undefined => (error?.field === field ? error.message : undefined);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (username.trim() === "") return setError({ field: "username", message: t("admin.users.usernameRequired") });
    setBusy(true);
    setError(undefined);
    try {
      onInvited(
        await withSudo(() => client.inviteUser({
          username: username.trim(),
          role,
          ...(displayName.trim() === "" ? {} : { displayName: displayName.trim() }),
          ...(email.trim() === "" ? {} : { email: email.trim() }),
        })),
      );
    } catch (reason) {
      setBusy(false);
      const field = fieldOf(reason);
      setError({ ...(field === "username" || field === "displayName" || field === "email" ? { field } : {}), message: describeProblem(reason, t) });
    }
  };

  return (
    <form className="form template-form-card" noValidate onSubmit={(event) => void submit(event)} data-testid="invite-user-form">
      <FormAlert message={error?.field === undefined ? error?.message : undefined} testId="invite-user-error" />
      <TextField label={t("admin.users.username")} hint={t("admin.users.usernameHint")} value={username} maxLength={64} autoComplete="off" spellCheck={false} autoFocus error={errorOf("username")} data-testid="invite-username" onChange={(event) => setUsername(event.target.value)} />
      <TextField label={t("admin.users.displayName")} labelNote={t("setup.optional")} value={displayName} maxLength={100} autoComplete="off" error={errorOf("displayName")} data-testid="invite-display-name" onChange={(event) => setDisplayName(event.target.value)} />
      <RoleSelect value={role} onChange={setRole} testId="invite-role" />
      <TextField
        label={t("admin.users.email")}
        labelNote={t("setup.optional")}
        hint={t("admin.users.emailHint")}
        type="email"
        value={email}
        maxLength={254}
        autoComplete="off"
        error={errorOf("email")}
        data-testid="invite-email"
        onChange={(event) => setEmail(event.target.value)}
      />
      <div className="form__actions">
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="send-invite">
          {t("admin.users.invite")}
        </Button>
      </div>
    </form>
  );
}
