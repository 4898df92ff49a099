// The form behind an invitation or password-reset link: a new password typed twice (and, for an
// invitation, the display name). The browser checks what it can with the setup form's rules; what
// the server still refuses is shown next to the field it names.
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SignInReply } from "../../../src/contract/auth.js";
import type { LinkStatusReply } from "../../../src/contract/users.js";
import { ApiError } from "../ui/api-client.js";
import { navigate } from "../ui/router.js";
import { SECOND_STEP_PARAM } from "./second-step-form.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { TextField } from "../ui/text-field.js";
import { MAX_DISPLAY_NAME_LENGTH, validateSetup } from "../setup/validate-setup.js";
import { useCheckedForm } from "./checked-form.js";

export type LinkPurpose = "invite" | "reset";

type LinkField = "displayName" | "password" | "confirmPassword";
const FIELDS_OF: Readonly<Record<LinkPurpose, readonly LinkField[]>> = { invite: ["displayName", "password", "confirmPassword"], reset: ["password", "confirmPassword"] };

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
  const fields = FIELDS_OF[purpose];
  const form = useCheckedForm<LinkField>({ displayName: status.displayName, password: "", confirmPassword: "" }, (values) => validateSetup({ username: status.username, ...values }));

  const send = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (!form.start(fields)) return;
    const { password } = form.values;
    const displayName = form.values.displayName.trim();
    try {
      onDone(await submit({ password, ...(purpose === "invite" && displayName !== "" && displayName !== status.displayName ? { displayName } : {}) }));
    } catch (error) {
      // The password is set; a user with a second factor answers it on the sign-in page (the challenge is in a cookie).
      if (error instanceof ApiError && error.key === "second_factor_required") {
        navigate(`/sign-in?${SECOND_STEP_PARAM}=${encodeURIComponent(String(error.params.methods ?? "totp"))}`, { replace: true });
        return;
      }
      if (error instanceof ApiError && (error.code === "conflict" || error.code === "not_found")) {
        onLinkUnusable(error);
        return;
      }
      form.refuse(error, (field) => (field === "newPassword" ? "password" : fields.find((name) => name === field)));
    }
  };

  return (
    <form className="form" noValidate onSubmit={(event) => void send(event)} data-testid="link-form">
      <FormAlert message={form.formError} testId="form-error" />
      {purpose === "invite" ? (
        <TextField {...form.fieldProps("displayName")} label={t("setup.displayName")} autoComplete="name" maxLength={MAX_DISPLAY_NAME_LENGTH} hint={t("setup.displayNameHint")} />
      ) : null}
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={status.username} readOnly hidden />
      <TextField {...form.fieldProps("password")} label={t("account.links.newPassword")} type="password" autoComplete="new-password" required hint={t("setup.passwordRules")} />
      <TextField {...form.fieldProps("confirmPassword")} label={t("setup.confirmPassword")} type="password" autoComplete="new-password" required />
      <Button type="submit" variant="primary" isWide isBusy={form.isBusy}>
        {t(`account.links.${purpose}.submit`)}
      </Button>
    </form>
  );
}
