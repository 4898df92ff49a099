// The first administrator's form. Checks run in the browser first; what the server still refuses
// is shown next to the field it names, or above the form when it names none.
import { useRef, useState, type FormEvent, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { SignInReply } from "../../../src/contract/auth.js";
import { USERNAME_INPUT } from "../account/username-input.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { InfoIcon } from "../ui/icons.js";
import { describeProblem, fieldOf } from "../ui/problem-text.js";
import { TextField } from "../ui/text-field.js";
import {
  MAX_DISPLAY_NAME_LENGTH,
  SETUP_FIELDS,
  normaliseUsername,
  validateSetup,
  type SetupField,
  type SetupProblem,
  type SetupValues,
} from "./validate-setup.js";

interface SetupFormProps {
  readonly token: string;
  readonly onSetUp: (reply: SignInReply) => void;
  /** The link stopped working while the form was open (used elsewhere, or expired). */
  readonly onLinkUnusable: (error: ApiError) => void;
}

const EMPTY: SetupValues = { username: "", displayName: "", password: "", confirmPassword: "" };
const isSetupField = (field: string | undefined): field is SetupField => SETUP_FIELDS.includes(field as SetupField);

export function SetupForm({ token, onSetUp, onLinkUnusable }: SetupFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<SetupValues>(EMPTY);
  const [hasTriedSubmit, setTriedSubmit] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<SetupField, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const refs: Record<SetupField, RefObject<HTMLInputElement | null>> = {
    username: useRef<HTMLInputElement>(null),
    displayName: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    confirmPassword: useRef<HTMLInputElement>(null),
  };

  const say = (problem: SetupProblem): string =>
    "length" in problem ? t(`errors.${problem.key}`, { length: problem.length }) : t(`errors.${problem.key}`);

  // Browser checks show once the person has tried to submit, and then follow their typing.
  const problems = validateSetup(values);
  const errorOf = (field: SetupField): string | undefined => {
    const problem = problems[field];
    if (hasTriedSubmit && problem !== undefined) return say(problem);
    return serverErrors[field];
  };

  const change = (field: SetupField) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    setServerErrors((current) => ({ ...current, [field]: undefined }));
  };
  // What each field's input takes from the form: its name, value, error and focus handle.
  const fieldProps = (field: SetupField) => ({ ref: refs[field], name: field, value: values[field], onChange: change(field), error: errorOf(field) });

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setTriedSubmit(true);
    const firstInvalid = SETUP_FIELDS.find((field) => problems[field] !== undefined);
    if (firstInvalid !== undefined) {
      setFormError(t("errors.checkFields"));
      refs[firstInvalid].current?.focus();
      return;
    }
    setBusy(true);
    setFormError(undefined);
    setServerErrors({});
    const displayName = values.displayName.trim();
    try {
      const reply = await client.completeSetup({
        token,
        username: normaliseUsername(values.username),
        password: values.password,
        ...(displayName === "" ? {} : { displayName }),
      });
      onSetUp(reply);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && (error.code === "conflict" || error.code === "not_found")) {
        onLinkUnusable(error);
        return;
      }
      const field = fieldOf(error);
      if (isSetupField(field)) {
        setServerErrors({ [field]: describeProblem(error, t) });
        setFormError(t("errors.checkFields"));
        refs[field].current?.focus();
      } else {
        setFormError(describeProblem(error, t));
      }
    }
  };

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="setup-form">
      <FormAlert message={formError} testId="form-error" />
      <TextField {...fieldProps("username")} {...USERNAME_INPUT} label={t("setup.username")} maxLength={64} hint={t("setup.usernameHint")} />
      <TextField
        {...fieldProps("displayName")}
        label={t("setup.displayName")}
        labelNote={t("setup.optional")}
        autoComplete="name"
        maxLength={MAX_DISPLAY_NAME_LENGTH}
        hint={t("setup.displayNameHint")}
      />
      <TextField {...fieldProps("password")} label={t("setup.password")} type="password" autoComplete="new-password" required hint={t("setup.passwordRules")} />
      <TextField {...fieldProps("confirmPassword")} label={t("setup.confirmPassword")} type="password" autoComplete="new-password" required />
      <p className="form__note">
        <InfoIcon className="form__note-icon" />
        <span>{t("setup.onceNotice")}</span>
      </p>
      <Button type="submit" variant="primary" isWide isBusy={isBusy}>
        {t("setup.submit")}
      </Button>
    </form>
  );
}
