// Reading the audit log: filtered pages, newest first, by keyset on seq (`seq < cursor order by
// seq desc limit n`), so a page costs the same at the start of the log as ten million events in,
// and events appended meanwhile (always above every seq already read) neither repeat nor leave a gap.
// Exports walk the same pages (eachAuditEventPage): the log is never held in memory.
//
// A time range becomes a range of seq first, from two look-ups on the `at` index (seqWindow below),
// and the exact `at` condition is kept too: the other filters then read their own (column, seq)
// index backwards instead of every event of the period (migration 0009).
import type { Kysely } from "kysely";
import type { AuditOutcome } from "../core/audit-chain.js";
import { auditEventOfRow } from "./audit-events.js";
import type { Database } from "./schema.js";

/** Every condition given must hold. Times are epoch milliseconds. */
export interface AuditEventFilter {
  readonly actorId?: string;
  /** The actor's name as recorded (actor_name). */
  readonly actorName?: string;
  readonly entryId?: string;
  /** Events about this folder, or an entry that was in it when the event was written. */
  readonly folderId?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly channel?: string;
  /** at ≥ sinceMs. */
  readonly sinceMs?: number;
  /** at < untilMs. */
  readonly untilMs?: number;
}

/** One event as stored, without its links. */
export interface AuditEventRow {
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
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly targetName: string | null;
  readonly folderId: string | null;
  readonly reason: string | null;
  readonly ip: string;
  readonly userAgent: string;
  readonly channel: string;
  /** Serialised JSON object. */
  readonly details: string;
}

export interface AuditQueryStore {
  /** Events matching `filter` with seq < beforeSeq (all when undefined), newest first, at most `limit`. */
  readAuditEventsPage(filter: AuditEventFilter, beforeSeq: number | undefined, limit: number): Promise<AuditEventRow[]>;
}

/**
 * How much earlier than an event chained before it an event's `at` may be. `at` is read from the
 * clock before the chain's head is locked, so two nodes (or a clock stepped back) can chain a
 * slightly older time after a newer one; the seq window is widened by this much on each side.
 */
export const AT_DISORDER_MS = 10 * 60_000;

/**
 * The seq range that holds every event with sinceMs ≤ at < untilMs, given AT_DISORDER_MS: above the
 * latest-timed event before since − margin, below the earliest-timed one from until + margin. Each
 * bound is one step into the `at` index.
 */
async function seqWindow(db: Kysely<Database>, filter: AuditEventFilter): Promise<{ low?: number; high?: number }> {
  const window: { low?: number; high?: number } = {};
  if (filter.sinceMs !== undefined) {
    const row = await db.selectFrom("audit_events").select("seq").where("at", "<", filter.sinceMs - AT_DISORDER_MS).orderBy("at", "desc").limit(1).executeTakeFirst();
    if (row !== undefined) window.low = Number(row.seq) + 1;
  }
  if (filter.untilMs !== undefined) {
    const row = await db.selectFrom("audit_events").select("seq").where("at", ">=", filter.untilMs + AT_DISORDER_MS).orderBy("at").limit(1).executeTakeFirst();
    if (row !== undefined) window.high = Number(row.seq) - 1;
  }
  return window;
}

export function createAuditQueryStore(db: Kysely<Database>): AuditQueryStore {
  return {
    async readAuditEventsPage(filter, beforeSeq, limit) {
      const window = await seqWindow(db, filter);
      let query = db
        .selectFrom("audit_events")
        .select(["seq", "id", "at", "actor_type", "actor_id", "actor_name", "action", "outcome", "entry_id", "entry_name", "target_type", "target_id", "target_name", "folder_id", "reason", "ip", "user_agent", "channel", "details"])
        .orderBy("seq", "desc")
        .limit(limit);
      if (beforeSeq !== undefined) query = query.where("seq", "<", beforeSeq);
      if (window.low !== undefined) query = query.where("seq", ">=", window.low);
      if (window.high !== undefined) query = query.where("seq", "<=", window.high);
      if (filter.sinceMs !== undefined) query = query.where("at", ">=", filter.sinceMs);
      if (filter.untilMs !== undefined) query = query.where("at", "<", filter.untilMs);
      if (filter.actorId !== undefined) query = query.where("actor_id", "=", filter.actorId);
      if (filter.actorName !== undefined) query = query.where("actor_name", "=", filter.actorName);
      if (filter.entryId !== undefined) query = query.where("entry_id", "=", filter.entryId);
      if (filter.action !== undefined) query = query.where("action", "=", filter.action);
      if (filter.outcome !== undefined) query = query.where("outcome", "=", filter.outcome);
      if (filter.channel !== undefined) query = query.where("channel", "=", filter.channel);
      if (filter.folderId !== undefined) query = query.where("folder_id", "=", filter.folderId);
      const rows = await query.execute();
      return rows.map((r) => auditEventOfRow(r) as AuditEventRow);
    },
  };
}


/**
 * Every matching event, newest first, one page at a time (keyset on seq): what an export reads,
 * so that a log of any size streams through a bounded amount of memory.
 */
export async function* eachAuditEventPage(store: AuditQueryStore, filter: AuditEventFilter, pageSize: number): AsyncGenerator<AuditEventRow[]> {
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await store.readAuditEventsPage(filter, beforeSeq, pageSize);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    beforeSeq = page[page.length - 1]!.seq;
  }
}
