// The account page's profile: display name and language. The language is saved on the server
// (so it follows the person to other browsers) and applied here at once.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Language, User } from "../../../src/contract/users.js";
import { switchLanguage } from "../i18n/i18n.js";
import { chooseLanguage, isLanguage, LANGUAGES } from "../i18n/language.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem, fieldOf } from "../ui/problem-text.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { MAX_DISPLAY_NAME_LENGTH } from "../setup/validate-setup.js";

/** The select's value for "no choice: the browser's language". */
const BROWSER = "browser";

interface ProfileFormProps {
  readonly displayName: string;
  readonly language: Language | null;
  readonly onSaved: (user: User) => void;
}

export function ProfileForm({ displayName: savedName, language: savedLanguage, onSaved }: ProfileFormProps) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(savedName);
  const [language, setLanguage] = useState<string>(savedLanguage ?? BROWSER);
  const [errors, setErrors] = useState<{ displayName?: string; language?: string }>({});
  const [formError, setFormError] = useState<string>();
  // A flag rather than the sentence, so it is said in the language just chosen.
  const [isSaved, setSaved] = useState(false);
  const [isBusy, setBusy] = useState(false);

  const localError = (): string | undefined => {
    const name = displayName.trim();
    if (name === "") return t("problems.display_name_required");
    return [...name].length > MAX_DISPLAY_NAME_LENGTH ? t("errors.displayNameTooLong") : undefined;
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    setSaved(false);
    const nameError = localError();
    if (nameError !== undefined) {
      setErrors({ displayName: nameError });
      setFormError(t("errors.checkFields"));
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(undefined);
    try {
      const chosen = isLanguage(language) ? language : null;
      const user = await client.updateAccount({ displayName: displayName.trim(), language: chosen });
      await switchLanguage(chosen ?? chooseLanguage(null, navigator.languages ?? [navigator.language]));
      onSaved(user);
      setDisplayName(user.displayName);
      setSaved(true);
    } catch (error) {
      const field = fieldOf(error);
      if (field === "displayName" || field === "language") {
        setErrors({ [field]: describeProblem(error, t) });
        setFormError(t("errors.checkFields"));
      } else {
        setFormError(describeProblem(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="profile-form">
      <FormAlert message={formError} testId="profile-error" />
      <FormAlert message={isSaved ? t("account.profile.saved") : undefined} tone="info" testId="profile-saved" />
      <TextField
        label={t("setup.displayName")}
        name="displayName"
        autoComplete="name"
        maxLength={MAX_DISPLAY_NAME_LENGTH}
        hint={t("setup.displayNameHint")}
        value={displayName}
        error={errors.displayName}
        onChange={(event) => {
          setDisplayName(event.target.value);
          setErrors((current) => ({ ...current, displayName: undefined }));
        }}
      />
      <SelectField
        label={t("account.profile.language")}
        name="language"
        hint={t("account.profile.languageHint")}
        value={language}
        error={errors.language}
        onChange={(event) => setLanguage(event.target.value)}
      >
        <option value={BROWSER}>{t("account.profile.browserLanguage")}</option>
        {LANGUAGES.map((option) => (
          <option key={option} value={option} lang={option}>
            {t(`shell.languages.${option}`)}
          </option>
        ))}
      </SelectField>
      <div className="form__actions">
        <Button type="submit" variant="primary" isBusy={isBusy}>
          {t("account.profile.save")}
        </Button>
      </div>
    </form>
  );
}
