// Dates on the entry's page: the moment, and how long ago in words ("3 months ago"), which is how
// a seed's age is judged at a glance.

export interface Age {
  readonly value: number;
  readonly unit: "second" | "minute" | "hour" | "day" | "month" | "year";
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long before `nowMs` the moment `iso` was, in the largest unit that reads naturally; negative, as Intl.RelativeTimeFormat wants the past. */
export function ageOf(iso: string, nowMs: number): Age {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (seconds < MINUTE) return { value: -seconds, unit: "second" };
  if (seconds < HOUR) return { value: -Math.floor(seconds / MINUTE), unit: "minute" };
  if (seconds < DAY) return { value: -Math.floor(seconds / HOUR), unit: "hour" };
  const days = Math.floor(seconds / DAY);
  if (days < 60) return { value: -days, unit: "day" };
  const months = Math.floor(days / 30.44);
  if (months < 24) return { value: -months, unit: "month" };
  return { value: -Math.floor(days / 365.25), unit: "year" };
}

export function formatAge(iso: string, nowMs: number, language: string): string {
  const { value, unit } = ageOf(iso, nowMs);
  return new Intl.RelativeTimeFormat(language, { numeric: "auto" }).format(value, unit);
}

export function formatMoment(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(date);
}
