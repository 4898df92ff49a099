// Recovery codes as people paste them from a target service's page: one per line, or separated
// by spaces or commas when the service prints them in a row. Blank lines and numbering dropped.

/** "1. abcd-efgh" → "abcd-efgh"; a code with spaces inside stays whole when lines are used. */
export function parseRecoveryCodes(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^\d{1,3}[.)]\s+/, ""))
    .filter((line) => line !== "");
  // A single line holding several codes (comma or run of spaces between them).
  if (lines.length === 1 && /[,;]|\s{2,}/.test(lines[0] ?? "")) {
    return (lines[0] ?? "").split(/[,;]\s*|\s{2,}/).map((code) => code.trim()).filter((code) => code !== "");
  }
  return lines;
}
