// Retention of the audit log: `watchword audit archive --before <ISO|30d> --to FILE` writes the
// events older than that to a JSON Lines file (one stored event a line, its link included) ending
// with a checkpoint line, fsyncs it, and only then deletes those events in one transaction that
// records where the live chain now begins and writes an `audit.archived` event. Killed at any
// point, nothing is lost: before the file is whole and synced nothing is deleted, and a rerun
// replaces a file whose events are all still in the database. `watchword audit verify --archive
// FILE` checks such a file against its own checkpoint and the live chain's start.
import { constants, existsSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { GENESIS_HASH, hasTargetColumns, judgeEvent, legacyLink, LINK_LENGTH, type ChainPoint, type LinkFunction, type LinkJudgement } from "../core/audit-chain.js";
import { conflict, invalidInput, isWatchwordError, problem, type ProblemText } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import type { AuditCheckpoint } from "../store/audit-checkpoint-file.js";
import type { StoredAuditEvent } from "../store/audit-events.js";
import type { Store } from "../store/store.js";
import type { AuditActor, AuditLog } from "./audit-log.js";

export const AUDIT_ARCHIVED_ACTION = "audit.archived";

/** The archive's last line. */
export interface AuditArchiveCheckpoint {
  readonly seq: number;
  readonly link: string;
  /** When the archive was written (ms since the epoch). */
  readonly at: number;
  readonly firstSeq: number;
  readonly count: number;
  readonly keyedFrom: number;
  readonly keyId: string;
}

export interface AuditArchiveResult {
  /** Events written to the file and deleted; 0 when none was old enough. */
  readonly count: number;
  readonly firstSeq: number;
  readonly throughSeq: number;
  readonly file: string;
}

interface AuditKeyLike {
  readonly keyId: string;
  readonly link: LinkFunction;
}

const PAGE = 5000;
const FILE_MODE = 0o600;
/** An event line is a stored event's fields; a line longer than this is not one. */
const MAX_LINE_BYTES = 1024 * 1024;

const JUDGED: Readonly<Record<Exclude<LinkJudgement, "intact">, "audit_chain_event_unlinked" | "audit_chain_event_unkeyed" | "audit_chain_event_changed">> = {
  unlinked: "audit_chain_event_unlinked",
  unkeyed: "audit_chain_event_unkeyed",
  changed: "audit_chain_event_changed",
};

/** `30d`, `12h` or an ISO 8601 time: the moment before which events are archived. */
export function parseArchiveBefore(text: string, now: number, field: string): number {
  const age = /^(\d{1,6})([dh])$/.exec(text.trim());
  if (age !== null) return now - Number(age[1]) * (age[2] === "d" ? 86_400_000 : 3_600_000);
  const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (!Number.isFinite(at)) throw invalidInput(problem("audit_archive_before_invalid"), field);
  return at;
}

const eventLine = (event: StoredAuditEvent): string =>
  JSON.stringify({
    seq: event.seq,
    id: event.id,
    at: event.at,
    actorType: event.actorType,
    actorId: event.actorId,
    actorName: event.actorName,
    action: event.action,
    outcome: event.outcome,
    entryId: event.entryId,
    entryName: event.entryName,
    reason: event.reason,
    ip: event.ip,
    userAgent: event.userAgent,
    channel: event.channel,
    details: event.details,
    // Migration 0008's columns, on the events that carry them (the longer canonical form).
    ...(hasTargetColumns(event) ? { targetType: event.targetType ?? null, targetId: event.targetId ?? null, targetName: event.targetName ?? null, folderId: event.folderId ?? null } : {}),
    prevHash: event.prevHash,
    hash: event.hash,
  });

const isLink = (value: unknown): value is string => typeof value === "string" && value.length === LINK_LENGTH && /^[0-9a-f]+$/.test(value);
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isText = (value: unknown): value is string => typeof value === "string";
const isTextOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";

function parseEventLine(value: Record<string, unknown>): StoredAuditEvent | undefined {
  const v = value;
  if (!isCount(v.seq) || v.seq < 1 || !isText(v.id) || !isCount(v.at) || !isText(v.actorType) || !isTextOrNull(v.actorId) || !isText(v.actorName)) return undefined;
  if (!isText(v.action) || (v.outcome !== "success" && v.outcome !== "failure" && v.outcome !== "denied") || !isTextOrNull(v.entryId) || !isTextOrNull(v.entryName)) return undefined;
  if (!isTextOrNull(v.reason) || !isText(v.ip) || !isText(v.userAgent) || !isText(v.channel) || !isText(v.details) || !isLink(v.prevHash) || !isLink(v.hash)) return undefined;
  const isAbsentOrText = (field: unknown) => field === undefined || isTextOrNull(field);
  if (!isAbsentOrText(v.targetType) || !isAbsentOrText(v.targetId) || !isAbsentOrText(v.targetName) || !isAbsentOrText(v.folderId)) return undefined;
  return v as unknown as StoredAuditEvent;
}

function parseCheckpointLine(value: Record<string, unknown>): AuditArchiveCheckpoint | undefined {
  const c = value.checkpoint;
  if (typeof c !== "object" || c === null) return undefined;
  const { seq, link, at, firstSeq, count, keyedFrom, keyId } = c as Record<string, unknown>;
  if (!isCount(seq) || !isLink(link) || !isCount(at) || !isCount(firstSeq) || !isCount(count) || !isCount(keyedFrom) || keyedFrom < 1) return undefined;
  if (typeof keyId !== "string" || !/^[0-9a-f]{16}$/.test(keyId)) return undefined;
  return { seq, link, at, firstSeq, count, keyedFrom, keyId };
}

type ArchiveLine = { readonly kind: "event"; readonly event: StoredAuditEvent } | { readonly kind: "checkpoint"; readonly checkpoint: AuditArchiveCheckpoint };

/** The archive's lines one by one; a malformed one (or one after the checkpoint) is refused by its number, never its text. */
async function* readArchiveLines(file: string): AsyncGenerator<ArchiveLine> {
  const invalid = (line: number) => invalidInput(problem("audit_archive_line_invalid", { file, line }));
  let stream;
  try {
    const handle = await open(file, constants.O_RDONLY);
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw invalidInput(problem("audit_archive_unreadable", { file, reason: "EISDIR" }));
    }
    // The stream owns the FileHandle itself: given only its number, the handle could be collected
    // (and its descriptor closed) while the stream still reads from it (EBADF, seen on a 600-event archive).
    stream = handle.createReadStream({ autoClose: true, highWaterMark: 256 * 1024 });
  } catch (error) {
    if (error instanceof Error && error.name === "WatchwordError") throw error;
    throw invalidInput(problem("audit_archive_unreadable", { file, reason: reasonOf(error) }));
  }
  let lineNumber = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let hasCheckpoint = false;
  const parse = (bytes: Buffer): ArchiveLine | undefined => {
    lineNumber += 1;
    if (bytes.length > MAX_LINE_BYTES) throw invalid(lineNumber);
    const text = bytes.toString("utf8");
    if (text.trim() === "") return undefined;
    if (hasCheckpoint) throw invalid(lineNumber);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalid(lineNumber);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(lineNumber);
    const record = value as Record<string, unknown>;
    if ("checkpoint" in record) {
      const checkpoint = parseCheckpointLine(record);
      if (checkpoint === undefined) throw invalid(lineNumber);
      hasCheckpoint = true;
      return { kind: "checkpoint", checkpoint };
    }
    const event = parseEventLine(record);
    if (event === undefined) throw invalid(lineNumber);
    return { kind: "event", event };
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
        const part = chunk.subarray(start, end);
        const line = parse(pending.length === 0 ? part : Buffer.concat([...pending, part]));
        pending = [];
        pendingLength = 0;
        start = end + 1;
        if (line !== undefined) yield line;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingLength += chunk.length - start;
        if (pendingLength > MAX_LINE_BYTES) throw invalid(lineNumber + 1);
      }
    }
    if (pendingLength > 0) {
      const line = parse(Buffer.concat(pending));
      if (line !== undefined) yield line;
    }
  } finally {
    stream.destroy();
  }
}

const reasonOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : "unknown error";

/** Only the checkpoint line of an archive, or undefined when the file holds none (or is not an archive). */
async function archiveCheckpointOf(file: string): Promise<AuditArchiveCheckpoint | undefined> {
  try {
    for await (const line of readArchiveLines(file)) if (line.kind === "checkpoint") return line.checkpoint;
  } catch {
    return undefined;
  }
  return undefined;
}

async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(directory, constants.O_RDONLY);
  await handle.sync().finally(() => handle.close());
}

export interface AuditArchiver {
  readonly store: Pick<Store, "auditEvents" | "transaction" | "outbox">;
  /**
   * The SIEM destinations configured (services/siem-delivery.ts): events a destination has not
   * received yet are never archived, so that its stream never skips one.
   */
  readonly siemDestinations?: readonly string[];
  readonly auditLog: AuditLog;
  readonly auditKey: AuditKeyLike;
  /** The checkpoint file of the data directory: the archive's checkpoint is appended there too. */
  readonly checkpoints?: { append(checkpoint: AuditCheckpoint): Promise<void> };
  readonly now: () => number;
}

/** The newest seq every configured SIEM destination has received (Infinity with none configured). */
async function undeliveredFrom(store: Pick<Store, "outbox">, destinations: readonly string[]): Promise<number> {
  let through = Number.POSITIVE_INFINITY;
  for (const name of destinations) {
    const destination = await store.outbox.findOutboxDestination(name);
    // A destination configured but never started has received nothing: its stream begins where it is told to, later.
    if (destination !== undefined) through = Math.min(through, destination.deliveredSeq);
  }
  return through;
}

export async function archiveAuditLog(deps: AuditArchiver, options: { readonly before: number; readonly file: string; readonly actor: AuditActor }): Promise<AuditArchiveResult> {
  const { store, auditKey } = deps;
  const file = path.resolve(options.file);
  const state = await store.auditEvents.readAuditChainState();
  const start = state.archived;
  const through = Math.min(await store.auditEvents.lastAuditSeqBefore(options.before), state.head.seq, await undeliveredFrom(store, deps.siemDestinations ?? []));
  if (through <= start.seq) return { count: 0, firstSeq: start.seq + 1, throughSeq: start.seq, file };
  if (existsSync(file)) {
    // A rerun after a kill: the file's events are all still here (its checkpoint is past the live start), so it may be replaced.
    const existing = await archiveCheckpointOf(file);
    if (existing === undefined || existing.seq <= start.seq) throw conflict(problem("audit_archive_file_exists", { file }), "to");
  }

  const partial = `${file}.partial`;
  const handle = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, FILE_MODE).catch((error: unknown) => {
    throw invalidInput(problem("audit_archive_unwritable", { file, reason: reasonOf(error) }), "to");
  });
  let previous: ChainPoint = start;
  let count = 0;
  try {
    // Every event is checked as it is written: a broken chain is never archived (and its evidence deleted).
    while (previous.seq < through) {
      const events = await store.auditEvents.listAuditEvents({ afterSeq: previous.seq, limit: Math.min(PAGE, through - previous.seq) });
      if (events.length === 0 || events[0]!.seq !== previous.seq + 1) throw conflict(problem("audit_archive_chain_broken", { seq: previous.seq + 1 }));
      let text = "";
      for (const event of events) {
        if (event.seq !== previous.seq + 1) throw conflict(problem("audit_archive_chain_broken", { seq: previous.seq + 1 }));
        const isKeyed = event.seq >= state.keyedFrom;
        if (judgeEvent(event, previous.link, isKeyed ? auditKey.link : legacyLink, isKeyed) !== "intact") throw conflict(problem("audit_archive_chain_broken", { seq: event.seq }));
        text += `${eventLine(event)}\n`;
        previous = { seq: event.seq, link: event.hash };
        count += 1;
      }
      await handle.write(text);
    }
    const checkpoint: AuditArchiveCheckpoint = { seq: previous.seq, link: previous.link, at: deps.now(), firstSeq: start.seq + 1, count, keyedFrom: state.keyedFrom, keyId: auditKey.keyId };
    await handle.write(`${JSON.stringify({ checkpoint })}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error instanceof Error && error.name === "WatchwordError" ? error : invalidInput(problem("audit_archive_unwritable", { file, reason: reasonOf(error) }), "to");
  }
  await handle.close();
  await rename(partial, file);
  await syncDirectory(path.dirname(file));
  // The point the live chain will begin at, outside the database too, before anything is deleted.
  await deps.checkpoints?.append({ seq: previous.seq, link: previous.link, at: deps.now(), keyedFrom: state.keyedFrom, keyId: auditKey.keyId });

  const archived = previous;
  await deps.auditLog.commit(options.actor, {
    work: async (tx) => {
      const deleted = await tx.auditEvents.archiveAuditEvents(start.seq, archived);
      if (deleted !== undefined) return deleted;
      // Another archive ran meanwhile: this file's events may be gone already; nothing is deleted twice.
      const now = await tx.auditEvents.readAuditChainState();
      throw conflict(problem("audit_archive_moved", { seq: now.archived.seq }));
    },
    events: (deleted) => [
      {
        action: AUDIT_ARCHIVED_ACTION,
        details: { firstSeq: start.seq + 1, throughSeq: archived.seq, throughLink: archived.link, count: deleted, file: path.basename(file) },
      },
    ],
  });
  return { count, firstSeq: start.seq + 1, throughSeq: archived.seq, file };
}

export interface AuditArchiveVerification {
  readonly isIntact: boolean;
  readonly eventsChecked: number;
  readonly firstSeq: number;
  readonly throughSeq: number;
  readonly brokenAt: number | null;
  readonly finding: ProblemText;
  readonly message: string;
}

/**
 * Checks an archive file: every event's link and its order, the checkpoint line against the last
 * event, and the live chain's start (where it begins after this archive) against the checkpoint.
 */
export async function verifyAuditArchive(deps: { readonly store: Pick<Store, "auditEvents">; readonly auditKey: AuditKeyLike }, file: string): Promise<AuditArchiveVerification> {
  try {
    return await verifyArchiveLines(deps, file);
  } catch (error) {
    // A line that is not an event is damage found, like a broken link (exit 1), not a usage error.
    if (isWatchwordError(error) && error.problemText?.key === "audit_archive_line_invalid") {
      return { isIntact: false, eventsChecked: 0, firstSeq: 0, throughSeq: 0, brokenAt: 0, finding: error.problemText, message: renderProblem(error.problemText) };
    }
    throw error;
  }
}

async function verifyArchiveLines(deps: { readonly store: Pick<Store, "auditEvents">; readonly auditKey: AuditKeyLike }, file: string): Promise<AuditArchiveVerification> {
  let checked = 0;
  let firstSeq = 0;
  let previous: ChainPoint | undefined;
  let checkpoint: AuditArchiveCheckpoint | undefined;
  const verdict = (finding: ProblemText, brokenAt: number | null): AuditArchiveVerification => ({
    isIntact: brokenAt === null,
    eventsChecked: checked,
    firstSeq,
    throughSeq: previous?.seq ?? 0,
    brokenAt,
    finding,
    message: renderProblem(finding),
  });
  // The checkpoint is the last line and says where keyed links begin: a first pass finds it, the
  // second judges the events as they stream by (an archive is never held in memory).
  for await (const line of readArchiveLines(file)) if (line.kind === "checkpoint") checkpoint = line.checkpoint;
  if (checkpoint === undefined) return verdict(problem("audit_archive_checkpoint_missing", { file }), 0);
  if (checkpoint.keyId !== deps.auditKey.keyId) return verdict(problem("audit_chain_checkpoint_other_key", { file, keyId: checkpoint.keyId }), 0);
  for await (const line of readArchiveLines(file)) {
    if (line.kind !== "event") continue;
    const event = line.event;
    if (previous === undefined) {
      firstSeq = event.seq;
      if (event.seq !== checkpoint.firstSeq) return verdict(problem("audit_chain_event_missing", { seq: checkpoint.firstSeq }), checkpoint.firstSeq);
      // The first archive starts at the genesis; a later one stands on its predecessor's checkpoint.
      previous = { seq: event.seq - 1, link: event.seq === 1 ? GENESIS_HASH : event.prevHash };
    }
    if (event.seq !== previous.seq + 1) return verdict(problem("audit_chain_event_missing", { seq: previous.seq + 1 }), previous.seq + 1);
    const isKeyed = event.seq >= checkpoint.keyedFrom;
    const judgement = judgeEvent(event, previous.link, isKeyed ? deps.auditKey.link : legacyLink, isKeyed);
    if (judgement !== "intact") return verdict(problem(JUDGED[judgement], { seq: event.seq }), event.seq);
    previous = { seq: event.seq, link: event.hash };
    checked += 1;
  }
  if (previous === undefined || previous.seq !== checkpoint.seq || previous.link !== checkpoint.link || checked !== checkpoint.count) {
    return verdict(problem("audit_archive_checkpoint_differs", { file, seq: checkpoint.seq }), checkpoint.seq);
  }
  const state = await deps.store.auditEvents.readAuditChainState();
  if (state.archived.seq === checkpoint.seq) {
    // The live chain begins where this archive ends: its recorded start and its first event must stand on this link.
    const [next] = await deps.store.auditEvents.listAuditEvents({ afterSeq: checkpoint.seq, limit: 1 });
    if (state.archived.link !== checkpoint.link || (next !== undefined && (next.seq !== checkpoint.seq + 1 || next.prevHash !== checkpoint.link))) {
      return verdict(problem("audit_archive_live_start_differs", { file, seq: checkpoint.seq + 1 }), checkpoint.seq + 1);
    }
  } else if (state.archived.seq < checkpoint.seq) {
    // Not applied yet (the archive was stopped before deleting): the live chain still holds its last event.
    const [last] = await deps.store.auditEvents.listAuditEvents({ afterSeq: checkpoint.seq - 1, limit: 1 });
    if (last !== undefined && last.seq === checkpoint.seq && last.hash !== checkpoint.link) {
      return verdict(problem("audit_archive_live_start_differs", { file, seq: checkpoint.seq }), checkpoint.seq);
    }
  }
  return verdict(problem("audit_archive_intact", { count: checked, first: firstSeq, last: checkpoint.seq, file }), null);
}
