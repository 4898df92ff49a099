// The form behind an invitation or password-reset link: a new password typed twice (and, for an
// invitation, the display name). The browser checks what it can with the setup form's rules; what
// the server still refuses is shown next to the field it names.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SignInReply } from "../../../src/contract/auth.js";
import type { LinkStatusReply } from "../../../src/contract/users.js";
import { ApiError } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem, fieldOf } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import { MAX_DISPLAY_NAME_LENGTH, validateSetup, type SetupProblem } from "../setup/validate-setup.js";

export type LinkPurpose = "invite" | "reset";

type LinkField = "displayName" | "password" | "confirmPassword";
const LINK_FIELDS: readonly LinkField[] = ["displayName", "password", "confirmPassword"];
const isLinkField = (field: string | undefined): field is LinkField => LINK_FIELDS.includes(field as LinkField);
/** The request field the server names → the form field it is about. */
const formFieldOf = (field: string | undefined): string | undefined => (field === "newPassword" ? "password" : field);

interface LinkPasswordFormProps {
  readonly purpose: LinkPurpose;
  readonly status: LinkStatusReply;
  /** Sends the form; resolves with the session the reply carries. */
  readonly submit: (values: { password: string; displayName?: string }) => Promise<SignInReply>;
  readonly onDone: (reply: SignInReply) => void;
  /** The link stopped working while the form was open (used elsewhere, or expired). */
  readonly onLinkUnusable: (error: ApiError) => void;
}

export function LinkPasswordForm({ purpose, status, submit, onDone, onLinkUnusable }: LinkPasswordFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState({ displayName: status.displayName, password: "", confirmPassword: "" });
  const [hasTriedSubmit, setTriedSubmit] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<LinkField, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const refs = { displayName: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null), confirmPassword: useRef<HTMLInputElement>(null) };
  const fields: readonly LinkField[] = purpose === "invite" ? LINK_FIELDS : ["password", "confirmPassword"];

  const problems = validateSetup({ username: status.username, ...values });
  const say = (problem: SetupProblem): string => ("length" in problem ? t(`errors.${problem.key}`, { length: problem.length }) : t(`errors.${problem.key}`));
  const errorOf = (field: LinkField): string | undefined => {
    const problem = problems[field];
    return hasTriedSubmit && problem !== undefined ? say(problem) : serverErrors[field];
  };
  const fieldProps = (field: LinkField) => ({
    ref: refs[field],
    name: field,
    value: values[field],
    error: errorOf(field),
    onChange: (event: { target: { value: string } }) => {
      setValues((current) => ({ ...current, [field]: event.target.value }));
      setServerErrors((current) => ({ ...current, [field]: undefined }));
    },
  });

  const send = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setTriedSubmit(true);
    const firstInvalid = fields.find((field) => problems[field] !== undefined);
    if (firstInvalid !== undefined) {
      setFormError(t("errors.checkFields"));
      refs[firstInvalid].current?.focus();
      return;
    }
    setBusy(true);
    setFormError(undefined);
    const displayName = values.displayName.trim();
    try {
      onDone(await submit({ password: values.password, ...(purpose === "invite" && displayName !== "" && displayName !== status.displayName ? { displayName } : {}) }));
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && (error.code === "conflict" || error.code === "not_found")) {
        onLinkUnusable(error);
        return;
      }
      const field = formFieldOf(fieldOf(error));
      if (isLinkField(field)) {
        setServerErrors({ [field]: describeProblem(error, t) });
        setFormError(t("errors.checkFields"));
        refs[field].current?.focus();
      } else {
        setFormError(describeProblem(error, t));
      }
    }
  };

  return (
    <form className="form" noValidate onSubmit={(event) => void send(event)} data-testid="link-form">
      <FormAlert message={formError} testId="form-error" />
      {purpose === "invite" ? (
        <TextField {...fieldProps("displayName")} label={t("setup.displayName")} autoComplete="name" maxLength={MAX_DISPLAY_NAME_LENGTH} hint={t("setup.displayNameHint")} />
      ) : null}
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={status.username} readOnly hidden />
      <TextField {...fieldProps("password")} label={t("account.links.newPassword")} type="password" autoComplete="new-password" required hint={t("setup.passwordRules")} />
      <TextField {...fieldProps("confirmPassword")} label={t("setup.confirmPassword")} type="password" autoComplete="new-password" required />
      <Button type="submit" variant="primary" isWide isBusy={isBusy}>
        {t(`account.links.${purpose}.submit`)}
      </Button>
    </form>
  );
}
