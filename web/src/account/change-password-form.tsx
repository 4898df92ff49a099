// The account page's password change: the current password, then the new one twice. The new one
// is checked by the setup form's rules first; the server has the last word. Other sessions of
// the person end (the server does it); this one stays, and the form says so before and after.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { InfoIcon } from "../ui/icons.js";
import { TextField } from "../ui/text-field.js";
import { validateSetup } from "../setup/validate-setup.js";
import { useCheckedForm, type FieldProblems } from "./checked-form.js";
import { useSudo } from "./sudo.js";

type PasswordField = "currentPassword" | "newPassword" | "confirmPassword";
const FIELDS: readonly PasswordField[] = ["currentPassword", "newPassword", "confirmPassword"];
const EMPTY: Readonly<Record<PasswordField, string>> = { currentPassword: "", newPassword: "", confirmPassword: "" };

function checkPasswords(username: string, values: Readonly<Record<PasswordField, string>>): FieldProblems<PasswordField> {
  const { password, confirmPassword } = validateSetup({ username, displayName: "", password: values.newPassword, confirmPassword: values.confirmPassword });
  return { currentPassword: values.currentPassword === "" ? { key: "passwordRequired" } : undefined, newPassword: password, confirmPassword };
}

export function ChangePasswordForm({ username }: { username: string }) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const form = useCheckedForm<PasswordField>(EMPTY, (values) => checkPasswords(username, values));
  const [isChanged, setChanged] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setChanged(false);
    if (!form.start(FIELDS)) return;
    try {
      await withSudo(() => client.changePassword({ currentPassword: form.values.currentPassword, newPassword: form.values.newPassword }));
      form.finish(EMPTY);
      setChanged(true);
    } catch (error) {
      form.refuse(error, (field) => FIELDS.find((name) => name === field));
    }
  };
  const passwordProps = (field: PasswordField) => ({ ...form.fieldProps(field), type: "password", required: true });

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="password-form">
      <FormAlert message={form.formError} testId="password-error" />
      <FormAlert message={isChanged ? t("account.password.changed") : undefined} tone="info" testId="password-changed" />
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <TextField {...passwordProps("currentPassword")} label={t("account.password.current")} autoComplete="current-password" />
      <TextField {...passwordProps("newPassword")} label={t("account.links.newPassword")} autoComplete="new-password" hint={t("setup.passwordRules")} />
      <TextField {...passwordProps("confirmPassword")} label={t("setup.confirmPassword")} autoComplete="new-password" />
      <p className="form__note">
        <InfoIcon className="form__note-icon" />
        <span>{t("account.password.otherSessions")}</span>
      </p>
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={form.isBusy}>
          {t("account.password.submit")}
        </Button>
      </div>
    </form>
  );
}
