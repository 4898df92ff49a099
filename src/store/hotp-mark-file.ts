// HOTP high-water marks kept outside the database: one JSON object a line, appended and fsync'd,
// in a file of mode 0600 in the data directory. A mark says that no code of that entry's seed
// was handed out at or past that counter; a restore advances each counter to at least its mark,
// so a database put back from a backup never hands a code out twice. Holds no secret.
import { createReadStream } from "node:fs";
import path from "node:path";
import { invalidInput, problem, unavailable } from "../core/errors.js";
import { openSyncedLineFile } from "./synced-line-file.js";

export const HOTP_MARK_FILE_NAME = "hotp-marks.jsonl";
export const hotpMarkFileIn = (dataDir: string): string => path.join(dataDir, HOTP_MARK_FILE_NAME);

export interface HotpMark {
  readonly entryId: string;
  /** The seed's seed_updated_at: a mark of a seed since overwritten says nothing of the new one. */
  readonly seedUpdatedAt: number | null;
  readonly mark: number;
}

export interface HotpMarkWriter {
  append(mark: HotpMark): Promise<void>;
  close(): Promise<void>;
}

const reasonOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : "unknown error";

/** Appends marks with O_APPEND, one write and one fsync at a time, so lines from several processes never interleave. */
export function createHotpMarkWriter(file: string): HotpMarkWriter {
  const lines = openSyncedLineFile(file, (error) => unavailable(problem("hotp_mark_not_written", { file, reason: reasonOf(error) })));
  return {
    append: (mark) => lines.append(JSON.stringify({ entry: mark.entryId, seed: mark.seedUpdatedAt, mark: mark.mark })),
    close: () => lines.close(),
  };
}

const MAX_LINE = 256;

/**
 * The highest mark of each (entry, seed) in the file; a missing file holds none. A last line cut
 * short (a crash mid-write) is skipped: its mark was never relied on, since no code waits for a
 * write that did not finish. Any other malformed line is refused by its number.
 */
export async function readHotpMarks(file: string): Promise<Map<string, HotpMark>> {
  const marks = new Map<string, HotpMark>();
  let text = "";
  try {
    for await (const chunk of createReadStream(file, { encoding: "utf8" }) as AsyncIterable<string>) text += chunk;
  } catch (error) {
    if (reasonOf(error) === "ENOENT") return marks;
    throw invalidInput(problem("restore_file_unreadable", { file, reason: reasonOf(error) }), "hotp-marks");
  }
  const lines = text.split("\n");
  const isCutShort = !text.endsWith("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const last = index === lines.length - 1;
    const invalid = () => invalidInput(problem("hotp_mark_line_invalid", { file, line: index + 1 }), "hotp-marks");
    let value: unknown;
    try {
      if (line.length > MAX_LINE) throw invalid();
      value = JSON.parse(line);
    } catch {
      if (last && isCutShort) return;
      throw invalid();
    }
    const { entry, seed, mark } = (value ?? {}) as Record<string, unknown>;
    if (typeof entry !== "string" || entry.length > 64 || !(seed === null || Number.isSafeInteger(seed)) || typeof mark !== "number" || !Number.isSafeInteger(mark) || mark < 0) throw invalid();
    const key = markKey(entry, seed as number | null);
    if ((marks.get(key)?.mark ?? -1) < mark) marks.set(key, { entryId: entry, seedUpdatedAt: seed as number | null, mark });
  });
  return marks;
}

export const markKey = (entryId: string, seedUpdatedAt: number | null): string => `${entryId}/${seedUpdatedAt ?? ""}`;
