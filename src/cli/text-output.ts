// Text for people: aligned tables, and names made safe to print. Names come from imported files
// and other users, so a control character in one must not reach the terminal (escape-sequence
// injection): it is shown as "?".

// C0 and C1 control characters, DEL, and the bidirectional overrides that can reorder a line.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export const printable = (text: string): string => text.replace(UNPRINTABLE, "?");

export interface Column {
  readonly header: string;
  /** Longer cells are cut with "…"; identifiers leave it unset so they stay whole. */
  readonly maxWidth?: number;
}

const widthOf = (text: string): number => [...text].length;

function fit(text: string, maxWidth: number | undefined): string {
  const safe = printable(text);
  if (maxWidth === undefined || widthOf(safe) <= maxWidth) return safe;
  return `${[...safe].slice(0, maxWidth - 1).join("")}…`;
}

/** Columns separated by two spaces, headers in capitals, no trailing spaces. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const cells = [columns.map((c) => c.header.toUpperCase()), ...rows.map((row) => columns.map((c, i) => fit(row[i] ?? "", c.maxWidth)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => widthOf(row[i] ?? ""))));
  return cells.map((row) =>
    row
      .map((cell, i) => cell + " ".repeat((widths[i] ?? 0) - widthOf(cell)))
      .join("  ")
      .trimEnd(),
  );
}

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

const OTP_TYPE_LABELS: Readonly<Record<string, string>> = { totp: "TOTP", hotp: "HOTP", steam: "Steam" };

export const otpTypeLabel = (type: string): string => OTP_TYPE_LABELS[type] ?? type;

/** "6 / 30 s" for time-based codes, "6" for HOTP (which has no period). */
export const otpShape = (type: string, digits: number, period: number | null): string =>
  type === "hotp" || period === null ? String(digits) : `${digits} / ${period} s`;

/** "ACME / alice@example.com", either half alone, or "". */
export const issuerAndAccount = (issuer: string | null, account: string | null): string =>
  [issuer, account].filter((part): part is string => part !== null && part !== "").join(" / ");
