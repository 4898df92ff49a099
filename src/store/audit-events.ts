// The audit log's rows and the head of its hash chain. Appends happen inside a transaction that
// first locks the head, so events from several nodes form one chain.
import { CompiledQuery, type Kysely } from "kysely";
import { GENESIS_HASH, hashAuditEvent, type AuditOutcome, type ChainedAuditEvent } from "../core/audit-chain.js";
import type { DialectCapabilities } from "./dialect.js";
import type { Database } from "./schema.js";

/** An event before it is chained: the store assigns seq, prevHash and hash. */
export type NewAuditEvent = Omit<ChainedAuditEvent, "seq" | "prevHash">;

export type StoredAuditEvent = ChainedAuditEvent & { readonly hash: string };

export interface AuditEventStore {
  /** Chains and inserts events in order; call inside a transaction. */
  appendAuditEvents(events: readonly NewAuditEvent[]): Promise<void>;
  listAuditEvents(options: { afterSeq?: number; entryId?: string; limit: number }): Promise<StoredAuditEvent[]>;
}

const INSERT_CHUNK = 400;
const COLUMNS = ["seq", "id", "at", "actor_type", "actor_id", "actor_name", "action", "outcome", "entry_id", "entry_name", "reason", "ip", "user_agent", "channel", "details", "prev_hash", "hash"] as const;

/**
 * The multi-row INSERT written directly rather than through Kysely's builder, whose row parsing
 * and compiling of a 17-column insert stood out in the profile of a 1,000-code batch.
 */
function insertStatement(dialect: DialectCapabilities, rows: number): string {
  let n = 0;
  const tuples = Array.from({ length: rows }, () => `(${COLUMNS.map(() => dialect.placeholder((n += 1))).join(", ")})`);
  return `insert into audit_events (${COLUMNS.join(", ")}) values ${tuples.join(", ")}`;
}

/** The statement text for each batch size, built once: a batch of codes needs it every few milliseconds. */
function insertStatements(dialect: DialectCapabilities): (rows: number) => string {
  const texts = new Map<number, string>();
  return (rows) => {
    let text = texts.get(rows);
    if (text === undefined) texts.set(rows, (text = insertStatement(dialect, rows)));
    return text;
  };
}

export function createAuditEventStore(db: Kysely<Database>, dialect: DialectCapabilities): AuditEventStore {
  const insertText = insertStatements(dialect);
  // PostgreSQL: FOR UPDATE makes concurrent appenders on other nodes wait for this one.
  // SQLite: the transaction began IMMEDIATE, so it already holds the only write lock.
  const selectHead = CompiledQuery.raw(`select seq, hash from audit_head where id = 1${dialect.name === "postgres" ? " for update" : ""}`);
  const updateHead = (seq: number, hash: string) => CompiledQuery.raw(`update "audit_head" set "seq" = ${dialect.placeholder(1)}, "hash" = ${dialect.placeholder(2)} where "id" = 1`, [seq, hash]);
  return {
    async appendAuditEvents(events) {
      if (events.length === 0) return;
      const head = (await db.executeQuery<{ seq: number; hash: string }>(selectHead)).rows[0] ?? { seq: 0, hash: GENESIS_HASH };
      let seq = Number(head.seq);
      let prevHash = head.hash;
      // One flat parameter list per INSERT, filled in place: this runs for every code handed out.
      let parameters: unknown[] = [];
      let rowsInChunk = 0;
      for (const event of events) {
        seq += 1;
        const chained: ChainedAuditEvent = {
          seq,
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
          prevHash,
        };
        const hash = hashAuditEvent(chained);
        parameters.push(
          seq, event.id, event.at, event.actorType, event.actorId, event.actorName, event.action, event.outcome, event.entryId,
          event.entryName, event.reason, event.ip, event.userAgent, event.channel, event.details, prevHash, hash,
        );
        prevHash = hash;
        rowsInChunk += 1;
        if (rowsInChunk === INSERT_CHUNK) {
          await db.executeQuery(CompiledQuery.raw(insertText(rowsInChunk), parameters));
          parameters = [];
          rowsInChunk = 0;
        }
      }
      if (rowsInChunk > 0) await db.executeQuery(CompiledQuery.raw(insertText(rowsInChunk), parameters));
      await db.executeQuery(updateHead(seq, prevHash));
    },
    async listAuditEvents({ afterSeq = 0, entryId, limit }) {
      let query = db.selectFrom("audit_events").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(limit);
      if (entryId !== undefined) query = query.where("entry_id", "=", entryId);
      const rows = await query.execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        id: r.id,
        at: r.at,
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        outcome: r.outcome as AuditOutcome,
        entryId: r.entry_id,
        entryName: r.entry_name,
        reason: r.reason,
        ip: r.ip,
        userAgent: r.user_agent,
        channel: r.channel,
        details: r.details,
        prevHash: r.prev_hash,
        hash: r.hash,
      }));
    },
  };
}
