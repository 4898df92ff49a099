// The account page's password change: the current password, then the new one twice. The new one
// is checked by the setup form's rules first; the server has the last word. Other sessions of
// the person end (the server does it); this one stays, and the form says so before and after.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { InfoIcon } from "../ui/icons.js";
import { describeProblem, fieldOf } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { validateSetup, type SetupProblem } from "../setup/validate-setup.js";

type PasswordField = "currentPassword" | "newPassword" | "confirmPassword";
const FIELDS: readonly PasswordField[] = ["currentPassword", "newPassword", "confirmPassword"];
const EMPTY: Record<PasswordField, string> = { currentPassword: "", newPassword: "", confirmPassword: "" };

export function ChangePasswordForm({ username }: { username: string }) {
  const { t } = useTranslation();
  const [values, setValues] = useState(EMPTY);
  const [hasTriedSubmit, setTriedSubmit] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<PasswordField, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [isChanged, setChanged] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const refs = { currentPassword: useRef<HTMLInputElement>(null), newPassword: useRef<HTMLInputElement>(null), confirmPassword: useRef<HTMLInputElement>(null) };

  const checked = validateSetup({ username, displayName: "", password: values.newPassword, confirmPassword: values.confirmPassword });
  const problems: Partial<Record<PasswordField, SetupProblem>> = {
    ...(values.currentPassword === "" ? { currentPassword: { key: "passwordRequired" } } : {}),
    ...(checked.password === undefined ? {} : { newPassword: checked.password }),
    ...(checked.confirmPassword === undefined ? {} : { confirmPassword: checked.confirmPassword }),
  };
  const say = (problem: SetupProblem): string => ("length" in problem ? t(`errors.${problem.key}`, { length: problem.length }) : t(`errors.${problem.key}`));
  const errorOf = (field: PasswordField): string | undefined => {
    const problem = problems[field];
    return hasTriedSubmit && problem !== undefined ? say(problem) : serverErrors[field];
  };
  const fieldProps = (field: PasswordField) => ({
    ref: refs[field],
    name: field,
    type: "password",
    required: true,
    value: values[field],
    error: errorOf(field),
    onChange: (event: { target: { value: string } }) => {
      setValues((current) => ({ ...current, [field]: event.target.value }));
      setServerErrors((current) => ({ ...current, [field]: undefined }));
    },
  });

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setTriedSubmit(true);
    setChanged(false);
    const firstInvalid = FIELDS.find((field) => problems[field] !== undefined);
    if (firstInvalid !== undefined) {
      setFormError(t("errors.checkFields"));
      refs[firstInvalid].current?.focus();
      return;
    }
    setBusy(true);
    setFormError(undefined);
    setServerErrors({});
    try {
      await client.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      setValues(EMPTY);
      setTriedSubmit(false);
      setChanged(true);
    } catch (error) {
      const target = FIELDS.find((name) => name === fieldOf(error));
      if (target === undefined) {
        setFormError(describeProblem(error, t));
      } else {
        setServerErrors({ [target]: describeProblem(error, t) });
        setFormError(t("errors.checkFields"));
        refs[target].current?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="password-form">
      <FormAlert message={formError} testId="password-error" />
      <FormAlert message={isChanged ? t("account.password.changed") : undefined} tone="info" testId="password-changed" />
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <TextField {...fieldProps("currentPassword")} label={t("account.password.current")} autoComplete="current-password" />
      <TextField {...fieldProps("newPassword")} label={t("account.links.newPassword")} autoComplete="new-password" hint={t("setup.passwordRules")} />
      <TextField {...fieldProps("confirmPassword")} label={t("setup.confirmPassword")} autoComplete="new-password" />
      <p className="form__note">
        <InfoIcon className="form__note-icon" />
        <span>{t("account.password.otherSessions")}</span>
      </p>
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy}>
          {t("account.password.submit")}
        </Button>
      </div>
    </form>
  );
}
