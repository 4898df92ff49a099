// The audit log's rows and the head of its hash chain. Appends happen inside a transaction that
// first locks the head, so events from several nodes form one chain.
import { CompiledQuery, sql, type Kysely } from "kysely";
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

export function createAuditEventStore(db: Kysely<Database>, dialect: DialectCapabilities): AuditEventStore {
  return {
    async appendAuditEvents(events) {
      if (events.length === 0) return;
      // PostgreSQL: FOR UPDATE makes concurrent appenders on other nodes wait for this one.
      // SQLite: the transaction began IMMEDIATE, so it already holds the only write lock.
      const lock = dialect.name === "postgres" ? sql` for update` : sql``;
      const head = (await sql<{ seq: number; hash: string }>`select seq, hash from audit_head where id = 1${lock}`.execute(db)).rows[0] ?? { seq: 0, hash: GENESIS_HASH };
      let previous = { seq: Number(head.seq), hash: head.hash };
      const rows = events.map((event) => {
        const chained: ChainedAuditEvent = { ...event, seq: previous.seq + 1, prevHash: previous.hash };
        const hash = hashAuditEvent(chained);
        previous = { seq: chained.seq, hash };
        return [
          chained.seq,
          chained.id,
          chained.at,
          chained.actorType,
          chained.actorId,
          chained.actorName,
          chained.action,
          chained.outcome,
          chained.entryId,
          chained.entryName,
          chained.reason,
          chained.ip,
          chained.userAgent,
          chained.channel,
          chained.details,
          chained.prevHash,
          hash,
        ];
      });
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        await db.executeQuery(CompiledQuery.raw(insertStatement(dialect, chunk.length), chunk.flat()));
      }
      await db.updateTable("audit_head").set({ seq: previous.seq, hash: previous.hash }).where("id", "=", 1).execute();
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
