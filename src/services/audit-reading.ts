// Reading the audit log through the API: the query as the contract gives it becomes a store filter
// (or a catalogued 400, before anything is read), pages are cursor-paged newest first, and each
// event is shown as the contract's view. Administrators and auditors read all of it; an entry's
// managers read that entry's events, its recent use (who took codes, when, through what).
import { Readable } from "node:stream";
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, type AuditEventPage, type AuditEventQuery, type AuditEventView, type EntryAuditEventQuery } from "../contract/audit.js";
import { invalidInput, problem } from "../core/errors.js";
import { eachAuditEventPage, type AuditEventFilter, type AuditEventRow, type AuditQueryStore } from "../store/audit-query.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import { exportFormat, type AuditExportFormat } from "./audit-export.js";
import type { AuditLog } from "./audit-log.js";

/** Rows read per database round trip while exporting. */
export const EXPORT_PAGE_SIZE = 1000;
const CHUNK_CHARACTERS = 16 * 1024;

const CURSOR_PREFIX = "seq:";
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const SEQ_PATTERN = /^[1-9][0-9]{0,15}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cursor after an event: opaque to callers (base64url of "seq:N"). */
export const cursorAfter = (seq: number): string => Buffer.from(`${CURSOR_PREFIX}${seq}`, "utf8").toString("base64url");

/** The seq a cursor names; 400 audit_cursor_invalid for anything this server would not have written. */
export function seqOfCursor(cursor: string): number {
  const refuse = () => invalidInput(problem("audit_cursor_invalid"), "cursor");
  if (!CURSOR_PATTERN.test(cursor)) throw refuse();
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith(CURSOR_PREFIX)) throw refuse();
  const digits = text.slice(CURSOR_PREFIX.length);
  const seq = Number(digits);
  // Re-encoding must give the same cursor: no padding, no trailing bits, no second spelling.
  if (!SEQ_PATTERN.test(digits) || !Number.isSafeInteger(seq) || cursorAfter(seq) !== cursor) throw refuse();
  return seq;
}

function timeOf(value: string | undefined, field: "since" | "until"): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidInput(problem("audit_time_invalid", { field }), field);
  return ms;
}

type FilterQuery = Pick<AuditEventQuery, "actor" | "entry" | "folder" | "action" | "outcome" | "channel" | "since" | "until">;

/** The store's filter for the contract's query; throws a catalogued 400 for a time that is not one, or an empty range. */
export function auditFilterOf(query: FilterQuery): AuditEventFilter {
  const sinceMs = timeOf(query.since, "since");
  const untilMs = timeOf(query.until, "until");
  if (sinceMs !== undefined && untilMs !== undefined && sinceMs >= untilMs) throw invalidInput(problem("audit_time_range_empty"), "until");
  const { actor } = query;
  return {
    ...(actor === undefined ? {} : UUID_PATTERN.test(actor) ? { actorId: actor.toLowerCase() } : { actorName: actor }),
    ...(query.entry === undefined ? {} : { entryId: query.entry.toLowerCase() }),
    ...(query.folder === undefined ? {} : { folderId: query.folder.toLowerCase() }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
    ...(query.channel === undefined ? {} : { channel: query.channel }),
    ...(sinceMs === undefined ? {} : { sinceMs }),
    ...(untilMs === undefined ? {} : { untilMs }),
  };
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return AUDIT_PAGE_DEFAULT;
  const limit = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= AUDIT_PAGE_MAX)) throw invalidInput(problem("audit_limit_out_of_range", { max: AUDIT_PAGE_MAX }), "limit");
  return limit;
}

function detailsOf(serialised: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(serialised);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const ACTOR_TYPES = new Set(["user", "service_account", "local", "anonymous"]);
const CHANNELS = new Set(["ui", "api", "cli"]);

/** Who approved the request behind the action, as the event's details record it (services/audit-log.ts approvedBy). */
function approvedByOf(details: Readonly<Record<string, unknown>>): AuditEventView["approvedBy"] {
  const recorded = details["approvedBy"];
  if (typeof recorded !== "object" || recorded === null) return null;
  const { requestId, approvers } = recorded as { requestId?: unknown; approvers?: unknown };
  const named = Array.isArray(approvers)
    ? approvers.flatMap((approver: unknown) => {
        const { id, name } = (approver ?? {}) as { id?: unknown; name?: unknown };
        return typeof id === "string" && typeof name === "string" ? [{ id, name }] : [];
      })
    : [];
  return { requestId: typeof requestId === "string" ? requestId : null, approvers: named };
}

/** An event as the contract shows it: its own target (events before migration 0008 have none: their entry is the target). */
export function auditEventView(row: AuditEventRow): AuditEventView {
  const entry = row.entryId === null ? null : { id: row.entryId, name: row.entryName ?? "" };
  const details = detailsOf(row.details);
  return {
    id: row.id,
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actor: { type: (ACTOR_TYPES.has(row.actorType) ? row.actorType : "local") as AuditEventView["actor"]["type"], id: row.actorId, name: row.actorName },
    action: row.action,
    outcome: row.outcome,
    target: row.targetType !== null ? { type: row.targetType, id: row.targetId, name: row.targetName } : entry === null ? null : { type: "entry", id: entry.id, name: entry.name },
    entry,
    folderId: row.folderId,
    approvedBy: approvedByOf(details),
    reason: row.reason,
    ip: row.ip,
    userAgent: row.userAgent,
    channel: (CHANNELS.has(row.channel) ? row.channel : "api") as AuditEventView["channel"],
    details,
  };
}

export interface AuditExport {
  readonly contentType: string;
  readonly fileName: string;
  /** Pulls pages from the database only as fast as the reader takes them. */
  readonly body: Readable;
}

export interface AuditReading {
  /** A page of the whole log: administrators and auditors (403 audit_read_forbidden). */
  listEvents(actor: Actor, query: AuditEventQuery): Promise<AuditEventPage>;
  /** A page of one entry's events: its managers (404 or 403 as the entry's access says), administrators and auditors. */
  listEntryEvents(actor: Actor, entryId: string, query: EntryAuditEventQuery): Promise<AuditEventPage>;
  /**
   * Every matching event, streamed in `format`: administrators and auditors. Checks everything and
   * commits its audit.exported event (format and filters) before the first byte. Reading pages is
   * not audited: the viewer reads them as it scrolls, and an export is what takes the log away.
   */
  exportEvents(actor: Actor, query: FilterQuery & { format?: AuditExportFormat | undefined }, now: number): Promise<AuditExport>;
}

async function pageOf(store: AuditQueryStore, filter: AuditEventFilter, cursor: string | undefined, rawLimit: string | undefined): Promise<AuditEventPage> {
  const beforeSeq = cursor === undefined ? undefined : seqOfCursor(cursor);
  const limit = limitOf(rawLimit);
  // One more than the page: whether another page follows, without an empty last page.
  const rows = await store.readAuditEventsPage(filter, beforeSeq, limit + 1);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return { events: shown.map(auditEventView), nextCursor: rows.length > limit && last !== undefined ? cursorAfter(last.seq) : null };
}

export function createAuditReading(deps: { store: { readonly auditQuery: AuditQueryStore }; access: AccessService; auditLog: AuditLog }): AuditReading {
  const { store, access, auditLog } = deps;
  return {
    async listEvents(actor, query) {
      access.requireAuditRead(actor);
      return pageOf(store.auditQuery, auditFilterOf(query), query.cursor, query.limit);
    },

    async listEntryEvents(actor, entryId, query) {
      if (!access.mayReadAudit(actor)) await access.requireEntry(actor, entryId, "manage", problem("audit_entry_read_forbidden"));
      return pageOf(store.auditQuery, { ...auditFilterOf(query), entryId: entryId.toLowerCase() }, query.cursor, query.limit);
    },

    async exportEvents(actor, query, now) {
      access.requireAuditRead(actor);
      const filter = auditFilterOf(query);
      const format = exportFormat(query.format ?? "jsonl");
      await auditLog.commit(actor, { events: () => [{ action: "audit.exported", details: { format: query.format ?? "jsonl", filter: { ...filter } } }] });
      const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
      const pages = eachAuditEventPage(store.auditQuery, filter, EXPORT_PAGE_SIZE);
      async function* chunks(): AsyncGenerator<string> {
        yield format.start;
        let isFirst = true;
        // Pieces of about CHUNK_CHARACTERS: small strings die young, where a whole page's text
        // (a megabyte of long events) would be a large object that only a full collection frees.
        let text = "";
        for await (const page of pages) {
          for (const row of page) {
            text += format.event(auditEventView(row), isFirst);
            isFirst = false;
            if (text.length >= CHUNK_CHARACTERS) {
              yield text;
              text = "";
            }
          }
        }
        if (text !== "") yield text;
        yield format.end;
      }
      return {
        contentType: format.contentType,
        fileName: `watchword-audit-${stamp}.${format.extension}`,
        // objectMode off: string chunks become bytes, and the stream waits while the socket is full.
        body: Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 }),
      };
    },
  };
}
