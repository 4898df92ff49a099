// How a code is shown: digits in short groups that are easy to read aloud and type, "123 456".
// Steam Guard's five letters and digits stay as they are.
import type { OtpType } from "../../../src/contract/entries.js";

/** Group sizes by code length: 6 → 3 3, 7 → 4 3, 8 → 4 4, 9 → 3 3 3, 10 → 3 3 4. */
const GROUPS: Readonly<Record<number, readonly number[]>> = {
  6: [3, 3],
  7: [4, 3],
  8: [4, 4],
  9: [3, 3, 3],
  10: [3, 3, 4],
};

export function groupCode(code: string, type: OtpType): string[] {
  const sizes = type === "steam" ? undefined : GROUPS[code.length];
  if (sizes === undefined) return code.length > 10 && type !== "steam" ? (code.match(/.{1,4}/g) ?? [code]) : [code];
  const groups: string[] = [];
  let start = 0;
  for (const size of sizes) {
    groups.push(code.slice(start, start + size));
    start += size;
  }
  return groups;
}

export const formatCode = (code: string, type: OtpType): string => groupCode(code, type).join(" ");
