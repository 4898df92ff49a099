// Checkpoints of the audit chain kept outside the database: one JSON object a line, appended and
// fsync'd, in a file of mode 0600 in the data directory. Whoever rewrites the database cannot
// rewrite these too without also holding this machine's disk; `watchword audit verify` checks
// the chain against them. Holds no secret: a link reveals nothing of the key or the events.
import { createReadStream } from "node:fs";
import path from "node:path";
import { LINK_LENGTH } from "../core/audit-chain.js";
import { invalidInput, problem, unavailable } from "../core/errors.js";
import { openSyncedLineFile } from "./synced-line-file.js";

export const AUDIT_CHECKPOINT_FILE_NAME = "audit-checkpoints.jsonl";

/** A point of the chain as one node saw it: every node's checkpoints are points of the one chain. */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly link: string;
  /** Milliseconds since the Unix epoch when it was written. */
  readonly at: number;
  /** Where keyed links begin (migration 0007), so that moving it in the database is seen. */
  readonly keyedFrom: number;
  /** The audit key's fingerprint (crypto/audit-key.ts). */
  readonly keyId: string;
}

export interface AuditCheckpointWriter {
  readonly file: string;
  append(checkpoint: AuditCheckpoint): Promise<void>;
  close(): Promise<void>;
}

const MAX_LINE_LENGTH = 1024;

const reasonOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : "unknown error";

export const checkpointFileIn = (dataDir: string): string => path.join(dataDir, AUDIT_CHECKPOINT_FILE_NAME);

/** Opens the file for appending on first use (O_APPEND: lines from one process never interleave). */
export function createAuditCheckpointWriter(file: string): AuditCheckpointWriter {
  const lines = openSyncedLineFile(file, (error) => unavailable(problem("audit_checkpoint_not_written", { file, reason: reasonOf(error) })));
  return {
    file,
    append: (checkpoint) => lines.append(JSON.stringify({ seq: checkpoint.seq, link: checkpoint.link, at: checkpoint.at, keyedFrom: checkpoint.keyedFrom, keyId: checkpoint.keyId })),
    close: () => lines.close(),
  };
}

function parseCheckpoint(text: string, file: string, lineNumber: number): AuditCheckpoint {
  const invalid = () => invalidInput(problem("audit_checkpoint_line_invalid", { file, line: lineNumber }));
  if (text.length > MAX_LINE_LENGTH) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof value !== "object" || value === null) throw invalid();
  const { seq, link, at, keyedFrom, keyId } = value as Record<string, unknown>;
  const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!isCount(seq) || seq < 1 || !isCount(at) || !isCount(keyedFrom) || keyedFrom < 1) throw invalid();
  if (typeof link !== "string" || link.length !== LINK_LENGTH || !/^[0-9a-f]+$/.test(link)) throw invalid();
  if (typeof keyId !== "string" || !/^[0-9a-f]{16}$/.test(keyId)) throw invalid();
  return { seq, link, at, keyedFrom, keyId };
}

/**
 * Every checkpoint in the file, by seq; a missing file holds none. Blank lines are skipped, anything
 * else malformed is refused by its line number (never its text). A line is refused as soon as it
 * grows past MAX_LINE_LENGTH, so a hostile file of one endless line is never held in memory.
 */
export async function readAuditCheckpoints(file: string): Promise<AuditCheckpoint[]> {
  const checkpoints: AuditCheckpoint[] = [];
  const lineOf = new Map<AuditCheckpoint, number>();
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  let lineNumber = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  const finishLine = (tail: Buffer) => {
    lineNumber += 1;
    const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingLength = 0;
    if (bytes.length > MAX_LINE_LENGTH) throw invalidInput(problem("audit_checkpoint_line_invalid", { file, line: lineNumber }));
    const text = bytes.toString("utf8").replace(/\r$/, "");
    if (text.trim() === "") return;
    const checkpoint = parseCheckpoint(text, file, lineNumber);
    checkpoints.push(checkpoint);
    lineOf.set(checkpoint, lineNumber);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(0x0a, start); end !== -1; end = chunk.indexOf(0x0a, start)) {
        finishLine(chunk.subarray(start, end));
        start = end + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingLength += chunk.length - start;
        if (pendingLength > MAX_LINE_LENGTH) throw invalidInput(problem("audit_checkpoint_line_invalid", { file, line: lineNumber + 1 }));
      }
    }
    // A last line without its line feed (a write cut short) is judged like any other.
    if (pendingLength > 0) finishLine(Buffer.alloc(0));
  } catch (error) {
    if (reasonOf(error) === "ENOENT") return [];
    if (error instanceof Error && error.name === "WatchwordError") throw error;
    throw invalidInput(problem("audit_checkpoint_file_unreadable", { file, reason: reasonOf(error) }));
  } finally {
    stream.destroy();
  }
  // Out of order is harmless (sorted here). The same seq twice with two links is kept: after an
  // older copy of the database was put back and written on, that is the evidence verification reports.
  checkpoints.sort((a, b) => a.seq - b.seq || lineOf.get(a)! - lineOf.get(b)!);
  return checkpoints;
}
