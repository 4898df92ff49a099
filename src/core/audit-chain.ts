// The audit log's hash chain: each event's hash covers the previous event's hash and every field
// of the event, so an edited, deleted, inserted or reordered event breaks the chain.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type AuditOutcome = "success" | "failure" | "denied";

/** An audit event as it is chained: everything but its own hash. */
export interface ChainedAuditEvent {
  readonly seq: number;
  readonly id: string;
  readonly at: number;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly actorName: string;
  readonly action: string;
  readonly outcome: AuditOutcome;
  readonly entryId: string | null;
  readonly entryName: string | null;
  readonly reason: string | null;
  readonly ip: string;
  readonly userAgent: string;
  readonly channel: string;
  /** Serialised JSON of the event's details. */
  readonly details: string;
  readonly prevHash: string;
}

/** The fields in a fixed order, so the same event always hashes the same on every node. */
function canonical(event: ChainedAuditEvent): string {
  return JSON.stringify([
    event.seq,
    event.id,
    event.at,
    event.actorType,
    event.actorId,
    event.actorName,
    event.action,
    event.outcome,
    event.entryId,
    event.entryName,
    event.reason,
    event.ip,
    event.userAgent,
    event.channel,
    event.details,
    event.prevHash,
  ]);
}

export const hashAuditEvent = (event: ChainedAuditEvent): string => createHash("sha256").update(canonical(event)).digest("hex");

export type ChainVerdict = { readonly ok: true; readonly count: number; readonly headHash: string } | { readonly ok: false; readonly seq: number; readonly problem: string };

/** Checks events in seq order starting after (startSeq, startHash); names the first bad event. */
export function verifyAuditChain(
  events: Iterable<ChainedAuditEvent & { readonly hash: string }>,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainVerdict {
  let previous = start;
  let count = 0;
  for (const event of events) {
    if (event.seq !== previous.seq + 1) {
      return { ok: false, seq: event.seq, problem: `Event ${event.seq} follows event ${previous.seq}: an event is missing or out of order.` };
    }
    if (event.prevHash !== previous.hash) {
      return { ok: false, seq: event.seq, problem: `Event ${event.seq} does not link to the event before it.` };
    }
    if (hashAuditEvent(event) !== event.hash) {
      return { ok: false, seq: event.seq, problem: `Event ${event.seq} was changed after it was written.` };
    }
    previous = { seq: event.seq, hash: event.hash };
    count += 1;
  }
  return { ok: true, count, headHash: previous.hash };
}
