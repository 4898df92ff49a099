// Durations as people type them on the command line: a whole number and one unit — 90s, 30m,
// 8h, 7d, 2w. Written here rather than taken from `ms` or similar: those also accept fractions,
// words and bare numbers ("1.5h", "8 hours", "8" as milliseconds), and a grant's length should
// not depend on guessing which of those a person meant.
import { invalidInput, problem } from "../core/errors.js";
import { printable } from "./text-output.js";

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^([1-9][0-9]{0,6})([smhdw])$/;

/** Seconds in "8h"; throws cli_duration_invalid, naming the flag's field, for anything else. */
export function parseDuration(raw: string, field: string): number {
  const match = DURATION.exec(raw.trim().toLowerCase());
  if (match === null) throw invalidInput(problem("cli_duration_invalid", { value: printable(raw.slice(0, 40)) }), field);
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}
