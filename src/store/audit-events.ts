// The audit log's rows and the head of its chain. Appends happen inside a transaction that first
// locks the head, so events from several nodes form one chain. Links are computed by the function
// the vault hands in once its keyring is open (the audit key never reaches the store itself).
import { CompiledQuery, type Kysely } from "kysely";
import { canonicalAuditEvent, GENESIS_HASH, type AuditOutcome, type ChainedAuditEvent, type ChainPage, type ChainPoint, type LinkFunction } from "../core/audit-chain.js";
import { internal, problem } from "../core/errors.js";
import type { DialectCapabilities } from "./dialect.js";
import type { AuditEventsTable, Database } from "./schema.js";

/** Where the store's links come from; set once by the vault (Store.linkAuditChainWith). */
export interface AuditLinkSlot {
  link: LinkFunction | undefined;
}

/** The chain's head after an append, as a checkpoint records it. */
export interface AuditHead extends ChainPoint {
  readonly keyedFrom: number;
}

/** What verification needs to know before reading: the head row, where keyed links begin, and the rows' range. */
export interface AuditChainState {
  readonly head: ChainPoint;
  readonly keyedFrom: number;
  /** The smallest and largest seq stored (0 when there are none). */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The last event archived away (`watchword audit archive`) and its link; seq 0 and the genesis link while none is. */
  readonly archived: ChainPoint;
}

/** An event before it is chained: the store assigns seq, prevHash and hash. */
export type NewAuditEvent = Omit<ChainedAuditEvent, "seq" | "prevHash">;

export type StoredAuditEvent = ChainedAuditEvent & { readonly hash: string };

export interface AuditEventStore {
  /** Chains and inserts events in order; call inside a transaction. Resolves with the new head (undefined for no events). */
  appendAuditEvents(events: readonly NewAuditEvent[]): Promise<AuditHead | undefined>;
  listAuditEvents(options: { afterSeq?: number; entryId?: string; limit: number }): Promise<StoredAuditEvent[]>;
  readAuditChainState(): Promise<AuditChainState>;
  /** The events with afterSeq < seq ≤ throughSeq as one page of canonical lines and links (see core/audit-chain.ts). */
  readAuditChainPage(afterSeq: number, throughSeq: number): Promise<ChainPage>;
  /** The smallest stored seq above afterSeq, or undefined: where a gap ends. */
  nextAuditSeq(afterSeq: number): Promise<number | undefined>;
  /** The newest stored event with this action, or undefined. */
  lastAuditEventOf(action: string): Promise<StoredAuditEvent | undefined>;
  /** Every stored event with this action, by seq (few: e.g. the restores, `audit.restored`). */
  listAuditEventsOf(action: string): Promise<StoredAuditEvent[]>;
  /** The newest stored seq of an event written before `at` (ms), or 0. */
  lastAuditSeqBefore(at: number): Promise<number>;
  /**
   * Deletes the events through `through.seq` and records `through` as where the live chain
   * begins, if the chain still begins after `fromSeq` (where this archive started); call inside a
   * transaction. Resolves with the count deleted, or undefined when another archive moved the
   * start meanwhile (nothing changed).
   */
  archiveAuditEvents(fromSeq: number, through: ChainPoint): Promise<number | undefined>;
}

const CANONICAL_COLUMNS = ["seq", "id", "at", "actor_type", "actor_id", "actor_name", "action", "outcome", "entry_id", "entry_name", "reason", "ip", "user_agent", "channel", "details", "prev_hash"];
/** Migration 0008's columns: in the canonical line (after details, before prev_hash) only when one of them is set. */
const TARGET_COLUMNS = ["target_type", "target_id", "target_name", "folder_id"];
const TARGETED_CANONICAL_COLUMNS = [...CANONICAL_COLUMNS.slice(0, -1), ...TARGET_COLUMNS, "prev_hash"];

/**
 * The canonical line of core/audit-chain.ts built by the database, so that verifying reads one
 * string per page instead of sixteen values per event (profiled: reading columns one by one into
 * JavaScript was slower than the HMAC). SQLite's json_array writes exactly JSON.stringify's form;
 * PostgreSQL's json_build_array puts spaces after commas, so there the array is joined by hand from
 * to_json of each value. A line that differs anyway only costs a re-check in JavaScript.
 */
function canonicalLineSql(dialect: DialectCapabilities): string {
  const line = (columns: readonly string[]) =>
    dialect.name === "sqlite" ? `json_array(${columns.join(", ")})` : `'[' || ${columns.map((column) => `coalesce(to_json(${column})::text, 'null')`).join(" || ',' || ")} || ']'`;
  // The two forms of core/audit-chain.ts: 16 elements while every 0008 column is null, else 20.
  const untargeted = TARGET_COLUMNS.map((column) => `${column} is null`).join(" and ");
  return `(case when ${untargeted} then ${line(CANONICAL_COLUMNS)} else ${line(TARGETED_CANONICAL_COLUMNS)} end)`;
}

/**
 * One row per page. SQLite: seq is the rowid, so the range is scanned in seq order and the
 * aggregate keeps it; an ORDER BY inside group_concat sorts again and halved the rate (profiled).
 * PostgreSQL guarantees no order without one. Verification re-checks any doubt from the rows
 * themselves (services/audit-verify.ts), so an order gone wrong could cost time, never a false verdict.
 */
function pageStatement(dialect: DialectCapabilities): string {
  const [after, through] = [dialect.placeholder(1), dialect.placeholder(2)];
  const aggregated =
    dialect.name === "sqlite"
      ? `group_concat(${canonicalLineSql(dialect)}, char(10)) as lines, group_concat(hash, '') as links`
      : `string_agg(${canonicalLineSql(dialect)}, E'\\n' order by seq) as lines, string_agg(hash, '' order by seq) as links`;
  return `select count(*) as count, min(seq) as first_seq, max(seq) as last_seq, ${aggregated} from audit_events where seq > ${after} and seq <= ${through}`;
}


/** A stored row as the chain names its fields, without its links (also what audit-query.ts reads). */
export function auditEventOfRow(r: Omit<AuditEventsTable, "prev_hash" | "hash">): Omit<ChainedAuditEvent, "prevHash"> {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: Number(r.at),
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
    targetType: r.target_type,
    targetId: r.target_id,
    targetName: r.target_name,
    folderId: r.folder_id,
  };
}

const INSERT_CHUNK = 400;
const COLUMNS = ["seq", "id", "at", "actor_type", "actor_id", "actor_name", "action", "outcome", "entry_id", "entry_name", "reason", "ip", "user_agent", "channel", "details", "target_type", "target_id", "target_name", "folder_id", "prev_hash", "hash"] as const;

/**
 * The multi-row INSERT written directly rather than through Kysely's builder, whose row parsing
 * and compiling of a 21-column insert stood out in the profile of a 1,000-code batch.
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

export function createAuditEventStore(db: Kysely<Database>, dialect: DialectCapabilities, links: AuditLinkSlot): AuditEventStore {
  const insertText = insertStatements(dialect);
  const pageText = pageStatement(dialect);
  // PostgreSQL: FOR UPDATE makes concurrent appenders on other nodes wait for this one.
  // SQLite: the transaction began IMMEDIATE, so it already holds the only write lock.
  const selectHead = CompiledQuery.raw(`select seq, hash, keyed_from from audit_head where id = 1${dialect.name === "postgres" ? " for update" : ""}`);
  type HeadRow = { seq: number | string; hash: string; keyed_from: number | string };
  const readHead = async (): Promise<AuditHead> => {
    const row = (await db.executeQuery<HeadRow>(selectHead)).rows[0];
    return row === undefined ? { seq: 0, link: GENESIS_HASH, keyedFrom: 1 } : { seq: Number(row.seq), link: row.hash, keyedFrom: Number(row.keyed_from) };
  };
  const updateHead = (seq: number, hash: string) => CompiledQuery.raw(`update "audit_head" set "seq" = ${dialect.placeholder(1)}, "hash" = ${dialect.placeholder(2)} where "id" = 1`, [seq, hash]);
  const listEvents: AuditEventStore["listAuditEvents"] = async ({ afterSeq = 0, entryId, limit }) => {
    let query = db.selectFrom("audit_events").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(limit);
    if (entryId !== undefined) query = query.where("entry_id", "=", entryId);
    const rows = await query.execute();
    return rows.map((r) => ({ ...auditEventOfRow(r), prevHash: r.prev_hash, hash: r.hash }));
  };
  return {
    async appendAuditEvents(events) {
      const link = links.link;
      if (link === undefined) throw internal(problem("audit_key_missing"));
      if (events.length === 0) return undefined;
      const head = await readHead();
      let seq = head.seq;
      let prevHash = head.link;
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
          targetType: event.targetType ?? null,
          targetId: event.targetId ?? null,
          targetName: event.targetName ?? null,
          folderId: event.folderId ?? null,
          prevHash,
        };
        const hash = link(canonicalAuditEvent(chained));
        parameters.push(
          seq, event.id, event.at, event.actorType, event.actorId, event.actorName, event.action, event.outcome, event.entryId,
          event.entryName, event.reason, event.ip, event.userAgent, event.channel, event.details,
          chained.targetType, chained.targetId, chained.targetName, chained.folderId, prevHash, hash,
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
      return { seq, link: prevHash, keyedFrom: head.keyedFrom };
    },
    listAuditEvents: listEvents,
    async readAuditChainState() {
      const head = await db.selectFrom("audit_head").select(["seq", "hash", "keyed_from", "archived_through_seq", "archived_link"]).where("id", "=", 1).executeTakeFirst();
      const range = await db
        .selectFrom("audit_events")
        .select((eb) => [eb.fn.min("seq").as("first"), eb.fn.max("seq").as("last")])
        .executeTakeFirstOrThrow();
      return {
        head: { seq: Number(head?.seq ?? 0), link: head?.hash ?? GENESIS_HASH },
        keyedFrom: Number(head?.keyed_from ?? 1),
        firstSeq: Number(range.first ?? 0),
        lastSeq: Number(range.last ?? 0),
        archived: { seq: Number(head?.archived_through_seq ?? 0), link: head?.archived_link ?? GENESIS_HASH },
      };
    },
    async readAuditChainPage(afterSeq, throughSeq) {
      type PageRow = { count: number | string; first_seq: number | string | null; last_seq: number | string | null; lines: string | null; links: string | null };
      const row = (await db.executeQuery<PageRow>(CompiledQuery.raw(pageText, [afterSeq, throughSeq]))).rows[0];
      return {
        count: Number(row?.count ?? 0),
        firstSeq: Number(row?.first_seq ?? 0),
        lastSeq: Number(row?.last_seq ?? 0),
        lines: row?.lines ?? "",
        links: row?.links ?? "",
      };
    },
    async lastAuditEventOf(action) {
      const row = await db.selectFrom("audit_events").select("seq").where("action", "=", action).orderBy("seq", "desc").limit(1).executeTakeFirst();
      if (row === undefined) return undefined;
      const [event] = await listEvents({ afterSeq: Number(row.seq) - 1, limit: 1 });
      return event;
    },
    async listAuditEventsOf(action) {
      const rows = await db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq").execute();
      return rows.map((r) => ({ ...auditEventOfRow(r), prevHash: r.prev_hash, hash: r.hash }));
    },
    async lastAuditSeqBefore(at) {
      const row = await db.selectFrom("audit_events").select((eb) => eb.fn.max("seq").as("seq")).where("at", "<", at).executeTakeFirst();
      return Number(row?.seq ?? 0);
    },
    async archiveAuditEvents(fromSeq, through) {
      // The head first, and only while it says where this archive began: on PostgreSQL a second
      // node's update waits for the first's commit, then finds the start moved and changes no row,
      // so two archives of the same events never both commit (reading the start first did not
      // lock it: both read the old start, and both deleted and committed).
      const moved = await db
        .updateTable("audit_head")
        .set({ archived_through_seq: through.seq, archived_link: through.link })
        .where("id", "=", 1)
        .where("archived_through_seq", "=", fromSeq)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return undefined;
      const deleted = await db.deleteFrom("audit_events").where("seq", "<=", through.seq).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    },
    async nextAuditSeq(afterSeq) {
      const row = await db.selectFrom("audit_events").select("seq").where("seq", ">", afterSeq).orderBy("seq").limit(1).executeTakeFirst();
      return row === undefined ? undefined : Number(row.seq);
    },
  };
}
