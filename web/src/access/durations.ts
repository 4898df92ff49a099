// The use windows the request form offers, in seconds (the server takes 5 minutes to 30 days).
export const DURATION_CHOICES: readonly number[] = [900, 3600, 4 * 3600, 8 * 3600, 86_400, 7 * 86_400, 30 * 86_400];

/** A duration in the largest whole unit that fits, as i18n parameters: 3600 → { unit: "hours", count: 1 }. */
export function durationParts(seconds: number): { unit: "days" | "hours" | "minutes"; count: number } {
  if (seconds % 86_400 === 0) return { unit: "days", count: seconds / 86_400 };
  if (seconds % 3600 === 0) return { unit: "hours", count: seconds / 3600 };
  return { unit: "minutes", count: Math.round(seconds / 60) };
}
