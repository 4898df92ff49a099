// Switches the interface language; the choice is remembered on this browser.
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { switchLanguage } from "../i18n/i18n.js";
import { LANGUAGES, isLanguage } from "../i18n/language.js";
import { ChevronDownIcon, GlobeIcon } from "./icons.js";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const current = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : "en";
  return (
    <div className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t("shell.language")}
      </label>
      <GlobeIcon className="language-switch__icon" />
      <select
        id={id}
        className="language-switch__select"
        value={current}
        data-testid="language-switch"
        onChange={(event) => {
          if (isLanguage(event.target.value)) void switchLanguage(event.target.value);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(`shell.languages.${language}`)}
          </option>
        ))}
      </select>
      <ChevronDownIcon className="language-switch__chevron" width={14} height={14} />
    </div>
  );
}
