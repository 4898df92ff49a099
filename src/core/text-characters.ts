// Which characters text may hold, decided once for every way text comes in (the HTTP API,
// imports, the CLI's local verbs), so that SQLite and PostgreSQL store the same text: never NUL
// (PostgreSQL cannot store it at all) or another C0/C1 control character, except tabs and line
// breaks in text that spans lines; never half of a UTF-16 surrogate pair (not Unicode text).
import { problem, type ProblemText } from "./errors.js";

/** "line": a name, a label, a reason. "lines": notes, a pasted key or link, a file's base64. */
export type TextShape = "line" | "lines";

// The control characters are the point of these patterns. In "u" mode \p{Cs} matches only a
// surrogate that is not half of a pair.
// eslint-disable-next-line no-control-regex
const NOT_IN_A_LINE = /[\u0000-\u001f\u007f-\u009f]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const NOT_IN_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const EVERY_NOT_IN_A_LINE = /[\u0000-\u001f\u007f-\u009f]/gu;
// eslint-disable-next-line no-control-regex
const EVERY_NOT_IN_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/gu;
const EVERY_LONE_SURROGATE = /\p{Cs}/gu;

export const codePointName = (codePoint: number): string => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;

/** The first character `text` may not hold, as a code point, or undefined when it is fine. */
export function findForbiddenCharacter(text: string, shape: TextShape): number | undefined {
  const found = (shape === "line" ? NOT_IN_A_LINE : NOT_IN_LINES).exec(text);
  return found === null ? undefined : found[0].codePointAt(0);
}

/** Why the text of `field` is refused (a catalogued problem), or undefined when it is fine. */
export function describeForbiddenCharacter(field: string, text: string, shape: TextShape): ProblemText | undefined {
  const codePoint = findForbiddenCharacter(text, shape);
  if (codePoint === undefined) return undefined;
  const character = codePointName(codePoint);
  if (codePoint === 0) return problem("text_nul_character", { field, character });
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return problem("text_lone_surrogate", { field, character });
  return problem(shape === "line" ? "text_control_character_line" : "text_control_character_lines", { field, character });
}

/** Text from someone else's file, made storable: forbidden controls dropped, lone surrogates replaced by U+FFFD. */
export function removeForbiddenCharacters(text: string, shape: TextShape): string {
  return text.replace(shape === "line" ? EVERY_NOT_IN_A_LINE : EVERY_NOT_IN_LINES, "").replace(EVERY_LONE_SURROGATE, "\uFFFD");
}
