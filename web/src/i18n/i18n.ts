// Sets up i18next with the English and French catalogues, remembers the chosen language and
// keeps <html lang> in step with it.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import fr from "./fr.json";
import { chooseLanguage, type Language } from "./language.js";

const STORAGE_KEY = "watchword.language";

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (private mode, policy); the browser's language is then the answer.
    return null;
  }
}

export function startI18n(): typeof i18next {
  const language = chooseLanguage(readStoredLanguage(), navigator.languages ?? [navigator.language]);
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, fr: { translation: fr } },
    lng: language,
    fallbackLng: "en",
    supportedLngs: ["en", "fr"],
    initAsync: false,
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  i18next.on("languageChanged", (next) => {
    document.documentElement.lang = next;
  });
  return i18next;
}

export async function switchLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered across visits, but the switch still applies now.
  }
  await i18next.changeLanguage(language);
}
