// Which interface language to use: the one the person chose before, else the browser's first
// language we have a catalogue for, else English. Pure, so it is testable without a browser.

export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

/** `stored` is what localStorage holds; `preferred` is navigator.languages (e.g. ["fr-CA", "en"]). */
export function chooseLanguage(stored: string | null | undefined, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split("-")[0];
    if (isLanguage(primary)) return primary;
  }
  return "en";
}
