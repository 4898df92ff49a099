// The audit log's chain: each event's link covers the link before it and every field of the event,
// so an edited, deleted, inserted or reordered event breaks the chain. Links are HMAC-SHA256 under
// the audit key (crypto/audit-key.ts) from the vault's `keyedFrom` point on; older events, written
// before migration 0007, keep their plain SHA-256 links. This module defines the canonical form and
// checks pages of links; it never holds a key (the keyed function is handed in).
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);
/** Hex characters in a link. */
export const LINK_LENGTH = 64;

export type AuditOutcome = "success" | "failure" | "denied";

/** An audit event as it is chained: everything but its own link. */
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
  /**
   * What the event is about, of any kind (migration 0008): "entry", "folder", "user", "group",
   * "grant", "service_account", "api_token", "template", "import", "access_request", "session",
   * "settings". Absent (null) on events written before it; see canonicalAuditEvent.
   */
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  readonly targetName?: string | null;
  /** The folder the event's entry was in when it happened (or the folder itself), for filtering by folder. */
  readonly folderId?: string | null;
  /** The link of the event before it (GENESIS_HASH for the first). */
  readonly prevHash: string;
}

/** A function from a canonical line to its link (64 hex characters). */
export type LinkFunction = (line: string | Uint8Array) => string;

/** Whether the event has any of the columns of migration 0008, so is chained in the longer form. */
export const hasTargetColumns = (event: Pick<ChainedAuditEvent, "targetType" | "targetId" | "targetName" | "folderId">): boolean =>
  (event.targetType ?? null) !== null || (event.targetId ?? null) !== null || (event.targetName ?? null) !== null || (event.folderId ?? null) !== null;

/**
 * The canonical form of an event, the bytes its link covers: a JSON array (ECMA-404 as written by
 * JSON.stringify, no spaces, UTF-8) of the fields in this fixed order, the previous link last.
 * JSON text never contains a raw line feed, which is what lets pages of lines be joined by one.
 * The store builds the same line in SQL to verify fast (store/audit-events.ts); this function is
 * the authority whenever the two disagree.
 *
 * Two forms, told apart by their length: an event whose target and folder columns (migration
 * 0008) are all null has the 16 elements it always had, so chains written before 0008 still
 * verify; any other has 20, the four new fields (targetType, targetId, targetName, folderId)
 * inserted after details, so the previous link stays last (findBrokenLink reads it from the end).
 * Setting or clearing a target column of a stored event therefore changes its line and breaks its link.
 */
export function canonicalAuditEvent(event: ChainedAuditEvent): string {
  const fields = [
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
  ];
  const targets = hasTargetColumns(event) ? [event.targetType ?? null, event.targetId ?? null, event.targetName ?? null, event.folderId ?? null] : [];
  return JSON.stringify([...fields, ...targets, event.prevHash]);
}

/** The link of events written before migration 0007: SHA-256 of the canonical line, no key. */
export const legacyLink: LinkFunction = (line) => createHash("sha256").update(line).digest("hex");

/** The link of the vault's first event stands on GENESIS_HASH; a checkpoint or archive can stand in for it. */
export interface ChainPoint {
  readonly seq: number;
  readonly link: string;
}

/**
 * Consecutive events as the store reads them for verification: their canonical lines joined by
 * "\n", and their stored links concatenated (64 hex characters each), in seq order.
 */
export interface ChainPage {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly count: number;
  readonly lines: string;
  readonly links: string;
}

/** Lines and links to check: a page, or a worker's share of one holding the lines' bytes. */
export type LinkRun = Pick<ChainPage, "count" | "links"> & { readonly lines: string | Uint8Array };

const LINE_FEED = 0x0a;
/** The previous link's place at a line's end: `,"<64 hex>"]`. */
const PREVIOUS_LINK_TAIL = LINK_LENGTH + 2;

/**
 * The index of the first event of the page (from `startIndex`) whose line does not end with the
 * previous link or does not hash to its own stored link, or -1 (before `endIndex`: a worker checks
 * its share of a page, services/audit-verify.ts). Works on the page's bytes with no
 * allocation per event but the link itself: this loop is the verification rate.
 */
export function findBrokenLink(page: LinkRun, previous: string, linkOf: LinkFunction, startIndex = 0, endIndex = page.count): number {
  const bytes = typeof page.lines === "string" ? Buffer.from(page.lines, "utf8") : Buffer.from(page.lines.buffer, page.lines.byteOffset, page.lines.byteLength);
  // links[64·i, 64·(i+1)) is event i−1's link (the previous one first), for the tail comparison.
  const linkBytes = Buffer.from(previous + page.links, "latin1");
  const links = previous + page.links;
  let start = 0;
  for (let i = 0; i < endIndex; i++) {
    let end = bytes.indexOf(LINE_FEED, start);
    if (end === -1) end = bytes.length;
    if (i >= startIndex) {
      const tail = end - PREVIOUS_LINK_TAIL;
      if (tail < start || bytes.compare(linkBytes, LINK_LENGTH * i, LINK_LENGTH * (i + 1), tail, end - 2) !== 0) return i;
      if (!links.startsWith(linkOf(bytes.subarray(start, end)), LINK_LENGTH * (i + 1))) return i;
    }
    start = end + 1;
  }
  return -1;
}

/** Why one event breaks the chain, judged from its stored fields (the authoritative canonical form). */
export type LinkJudgement = "intact" | "unlinked" | "unkeyed" | "changed";

export function judgeEvent(event: ChainedAuditEvent & { readonly hash: string }, previous: string, linkOf: LinkFunction, isKeyed: boolean): LinkJudgement {
  if (event.prevHash !== previous) return "unlinked";
  const line = canonicalAuditEvent(event);
  if (linkOf(line) === event.hash) return "intact";
  // A keyed place holding a plain SHA-256 link: rewritten by someone who could not compute the key.
  if (isKeyed && legacyLink(line) === event.hash) return "unkeyed";
  return "changed";
}
