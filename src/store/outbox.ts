// The outbox's rows (migration 0010): destinations with their deliverer's lease, delivery state
// and cursor, and the messages waiting for them. The lease and cursor are moved only by
// compare-and-set updates, so two nodes on one PostgreSQL never both move a cursor, and a
// deliverer that lost its lease (paused past its expiry) cannot move one back.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface NewOutboxMessage {
  readonly destination: string;
  readonly kind: string;
  /** Where in the audit stream it belongs: a checkpoint's seq, an alert's event seq; null for none. */
  readonly seq: number | null;
  /** The audit event it came from, so a receiver can drop duplicates. */
  readonly eventId: string | null;
  /** JSON; never a secret. */
  readonly payload: string;
}

export interface OutboxMessage extends NewOutboxMessage {
  readonly id: number;
  readonly createdAt: number;
  readonly attempts: number;
}

export interface OutboxDestinationState {
  readonly name: string;
  readonly kind: string;
  /** SIEM: the last audit seq the receiver has (0: none yet). */
  readonly deliveredSeq: number;
  readonly leaseHolder: string | null;
  readonly leaseUntil: number;
  /** Failed attempts since the last success. */
  readonly failures: number;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly lastSuccessAt: number | null;
  readonly createdAt: number;
}

export interface OutboxDelivery {
  readonly name: string;
  readonly holder: string;
  /** The cursor as the deliverer read it; the update happens only if it is still there. */
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Messages the receiver now has: removed. */
  readonly messageIds: readonly number[];
  readonly at: number;
}

export interface OutboxStore {
  /** Adds the destination when it is new, its cursor at `startSeq`; an existing one keeps its state. */
  ensureOutboxDestination(name: string, kind: string, startSeq: number, now: number): Promise<void>;
  /** Adds messages; inside the audit batch's transaction they commit (or not) with its events. */
  enqueueOutboxMessages(messages: readonly NewOutboxMessage[], now: number): Promise<void>;
  /** Takes the lease when it is free or expired, or renews it; true when `holder` now holds it until `until`. */
  acquireOutboxLease(name: string, holder: string, now: number, until: number): Promise<boolean>;
  /** Gives the lease up (on shutdown), so another node takes over at once. */
  releaseOutboxLease(name: string, holder: string): Promise<void>;
  findOutboxDestination(name: string): Promise<OutboxDestinationState | undefined>;
  listOutboxDestinations(): Promise<OutboxDestinationState[]>;
  /**
   * Messages due (next_attempt_at ≤ now) for a destination, in (seq, id) order: with `throughSeq`
   * only those placed at or before it in the audit stream (a checkpoint after its event).
   */
  listOutboxMessages(destination: string, options: { readonly limit: number; readonly now: number; readonly throughSeq?: number }): Promise<OutboxMessage[]>;
  countOutboxMessages(destination: string): Promise<number>;
  /** Moves the cursor and removes delivered messages in one transaction, only while `holder` holds the lease and the cursor is unmoved; false otherwise. */
  recordOutboxDelivery(delivery: OutboxDelivery): Promise<boolean>;
  /** Notes a failed attempt (a sentence without any secret) while `holder` holds the lease. */
  recordOutboxFailure(failure: { readonly name: string; readonly holder: string; readonly error: string; readonly at: number }): Promise<void>;
  /** One message failed on its own (alerts): tried again from `nextAttemptAt`. */
  deferOutboxMessage(id: number, error: string, nextAttemptAt: number): Promise<void>;
  /** When the first audit event after `seq` was written (how far behind a destination is), or undefined. */
  auditEventTimeAfter(seq: number): Promise<number | undefined>;
  /** The newest audit seq (0 when none). */
  auditHeadSeq(): Promise<number>;
}

type DestinationRow = Database["outbox_destinations"];

const stateOf = (row: DestinationRow): OutboxDestinationState => ({
  name: row.name,
  kind: row.kind,
  deliveredSeq: Number(row.delivered_seq),
  leaseHolder: row.lease_holder,
  leaseUntil: Number(row.lease_until),
  failures: Number(row.failures),
  lastError: row.last_error,
  lastErrorAt: row.last_error_at === null ? null : Number(row.last_error_at),
  lastSuccessAt: row.last_success_at === null ? null : Number(row.last_success_at),
  createdAt: Number(row.created_at),
});

const MAX_ERROR_LENGTH = 500;

export function createOutboxStore(db: Kysely<Database>): OutboxStore {
  const inTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db) : db.transaction().execute((trx) => work(trx));
  return {
    async ensureOutboxDestination(name, kind, startSeq, now) {
      await db
        .insertInto("outbox_destinations")
        .values({ name, kind, delivered_seq: startSeq, lease_holder: null, lease_until: 0, failures: 0, last_error: null, last_error_at: null, last_success_at: null, created_at: now })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
    },
    async enqueueOutboxMessages(messages, now) {
      if (messages.length === 0) return;
      await db
        .insertInto("outbox_messages")
        .values(
          messages.map((m) => ({
            destination: m.destination,
            kind: m.kind,
            seq: m.seq,
            event_id: m.eventId,
            payload: m.payload,
            created_at: now,
            attempts: 0,
            next_attempt_at: 0,
            last_error: null,
          })),
        )
        .execute();
    },
    async acquireOutboxLease(name, holder, now, until) {
      const result = await db
        .updateTable("outbox_destinations")
        .set({ lease_holder: holder, lease_until: until })
        .where("name", "=", name)
        .where((eb) => eb.or([eb("lease_holder", "=", holder), eb("lease_holder", "is", null), eb("lease_until", "<", now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async releaseOutboxLease(name, holder) {
      await db.updateTable("outbox_destinations").set({ lease_holder: null, lease_until: 0 }).where("name", "=", name).where("lease_holder", "=", holder).execute();
    },
    async findOutboxDestination(name) {
      const row = await db.selectFrom("outbox_destinations").selectAll().where("name", "=", name).executeTakeFirst();
      return row === undefined ? undefined : stateOf(row);
    },
    async listOutboxDestinations() {
      const rows = await db.selectFrom("outbox_destinations").selectAll().orderBy("name").execute();
      return rows.map(stateOf);
    },
    async listOutboxMessages(destination, { limit, now, throughSeq }) {
      let query = db
        .selectFrom("outbox_messages")
        .selectAll()
        .where("destination", "=", destination)
        .where("next_attempt_at", "<=", now)
        .orderBy("seq")
        .orderBy("id")
        .limit(limit);
      if (throughSeq !== undefined) query = query.where((eb) => eb.or([eb("seq", "is", null), eb("seq", "<=", throughSeq)]));
      const rows = await query.execute();
      return rows.map((r) => ({
        id: Number(r.id),
        destination: r.destination,
        kind: r.kind,
        seq: r.seq === null ? null : Number(r.seq),
        eventId: r.event_id,
        payload: r.payload,
        createdAt: Number(r.created_at),
        attempts: Number(r.attempts),
      }));
    },
    async countOutboxMessages(destination) {
      const row = await db
        .selectFrom("outbox_messages")
        .select((eb) => eb.fn.countAll().as("count"))
        .where("destination", "=", destination)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    recordOutboxDelivery({ name, holder, fromSeq, toSeq, messageIds, at }) {
      return inTransaction(async (trx) => {
        const moved = await trx
          .updateTable("outbox_destinations")
          .set({ delivered_seq: toSeq, failures: 0, last_success_at: at })
          .where("name", "=", name)
          .where("lease_holder", "=", holder)
          .where("delivered_seq", "=", fromSeq)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) return false;
        for (let i = 0; i < messageIds.length; i += 500) {
          await trx.deleteFrom("outbox_messages").where("destination", "=", name).where("id", "in", messageIds.slice(i, i + 500)).execute();
        }
        return true;
      });
    },
    async recordOutboxFailure({ name, holder, error, at }) {
      await db
        .updateTable("outbox_destinations")
        .set((eb) => ({ failures: eb("failures", "+", 1), last_error: error.slice(0, MAX_ERROR_LENGTH), last_error_at: at }))
        .where("name", "=", name)
        .where("lease_holder", "=", holder)
        .execute();
    },
    async deferOutboxMessage(id, error, nextAttemptAt) {
      await db
        .updateTable("outbox_messages")
        .set((eb) => ({ attempts: eb("attempts", "+", 1), last_error: error.slice(0, MAX_ERROR_LENGTH), next_attempt_at: nextAttemptAt }))
        .where("id", "=", id)
        .execute();
    },
    async auditEventTimeAfter(seq) {
      const row = await db.selectFrom("audit_events").select("at").where("seq", ">", seq).orderBy("seq").limit(1).executeTakeFirst();
      return row === undefined ? undefined : Number(row.at);
    },
    async auditHeadSeq() {
      const row = await db.selectFrom("audit_head").select("seq").where("id", "=", 1).executeTakeFirst();
      return Number(row?.seq ?? 0);
    },
  };
}
