// What the SIEM stream carries, and its two wire forms: a webhook's JSON body and syslog messages
// (RFC 5424) with octet-counting framing (RFC 6587 §3.4.1). Pure: no network, no clock. Every
// record carries an id and the audit seq, so a receiver drops duplicates (delivery is at least once).
import type { ChainedAuditEvent } from "./audit-chain.js";

export interface SiemEventRecord {
  readonly type: "audit_event";
  readonly id: string;
  readonly seq: number;
  /** RFC 3339, UTC. */
  readonly at: string;
  readonly actor: { readonly type: string; readonly id: string | null; readonly name: string };
  readonly action: string;
  readonly outcome: string;
  readonly entry: { readonly id: string; readonly name: string | null } | null;
  readonly reason: string | null;
  readonly ip: string;
  readonly userAgent: string;
  readonly channel: string;
  readonly details: unknown;
  /** The event's link in the audit chain (HMAC-SHA256 under the audit key): reveals nothing of the key. */
  readonly link: string;
}

export interface SiemCheckpointRecord {
  readonly type: "audit_checkpoint";
  /** Stable for one checkpoint: a repeated delivery carries the same id. */
  readonly id: string;
  readonly seq: number;
  readonly at: string;
  readonly link: string;
  readonly keyedFrom: number;
  readonly keyId: string;
}

export type SiemRecord = SiemEventRecord | SiemCheckpointRecord;

const parseDetails = (details: string): unknown => {
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
};

export function siemEventRecord(event: ChainedAuditEvent & { readonly hash: string }): SiemEventRecord {
  return {
    type: "audit_event",
    id: event.id,
    seq: event.seq,
    at: new Date(event.at).toISOString(),
    actor: { type: event.actorType, id: event.actorId, name: event.actorName },
    action: event.action,
    outcome: event.outcome,
    entry: event.entryId === null ? null : { id: event.entryId, name: event.entryName },
    reason: event.reason,
    ip: event.ip,
    userAgent: event.userAgent,
    channel: event.channel,
    details: parseDetails(event.details),
    link: event.hash,
  };
}

export function siemCheckpointRecord(checkpoint: { seq: number; link: string; at: number; keyedFrom: number; keyId: string }): SiemCheckpointRecord {
  return {
    type: "audit_checkpoint",
    id: `checkpoint-${checkpoint.seq}-${checkpoint.at}`,
    seq: checkpoint.seq,
    at: new Date(checkpoint.at).toISOString(),
    link: checkpoint.link,
    keyedFrom: checkpoint.keyedFrom,
    keyId: checkpoint.keyId,
  };
}

/** A webhook's body: one JSON object with the batch's records in seq order. */
export const webhookBody = (records: readonly SiemRecord[]): string => JSON.stringify({ source: "watchword", records });

// RFC 5424 §6.2.1: facility 13 is "log audit". Severity 6 informational, 4 warning for refusals and failures.
const FACILITY_LOG_AUDIT = 13;
const severityOf = (record: SiemRecord): number => (record.type === "audit_event" && record.outcome !== "success" ? 4 : 6);
// RFC 5424 §7.2.2: an SD-ID of our own carries a private enterprise number; 32473 is the one RFC 5612 reserves for documentation.
const SD_ID = "watchword@32473";
const BOM = "\uFEFF";

/** RFC 5424 §6.3.3: '"', '\' and ']' are escaped in a PARAM-VALUE. */
const escapeParam = (value: string): string => value.replace(/["\\\]]/g, (c) => `\\${c}`);

/** RFC 5424 §6.2.4: HOSTNAME is 1–255 printable US-ASCII characters, or the nil value. */
export const syslogHostname = (name: string): string => (/^[\x21-\x7e]{1,255}$/.test(name) ? name : "-");

function structuredData(record: SiemRecord, isTruncated: boolean): string {
  const params: [string, string][] = [
    ["id", record.id],
    ["seq", String(record.seq)],
    ["type", record.type],
  ];
  if (record.type === "audit_event") params.push(["action", record.action], ["outcome", record.outcome]);
  if (isTruncated) params.push(["truncated", "true"]);
  return `[${SD_ID} ${params.map(([name, value]) => `${name}="${escapeParam(value)}"`).join(" ")}]`;
}

/** Cuts UTF-8 text to at most `bytes`, never inside a character. */
function truncateUtf8(text: string, bytes: number): string {
  const buffer = Buffer.from(text, "utf8");
  if (buffer.length <= bytes) return text;
  let end = Math.max(0, bytes);
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end -= 1;
  return buffer.subarray(0, end).toString("utf8");
}

/**
 * One RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME watchword - MSGID [SD] BOM JSON`. With
 * `maxBytes` (syslog over UDP, RFC 5426 §3.2) a longer message has its JSON cut to fit and says so
 * in its structured data; the id and seq, in the structured data, always survive.
 */
export function syslogMessage(record: SiemRecord, hostname: string, maxBytes?: number): string {
  const pri = FACILITY_LOG_AUDIT * 8 + severityOf(record);
  const msgId = record.type === "audit_event" ? "audit" : "checkpoint";
  const header = (isTruncated: boolean) => `<${pri}>1 ${record.at} ${syslogHostname(hostname)} watchword - ${msgId} ${structuredData(record, isTruncated)} ${BOM}`;
  const body = JSON.stringify(record);
  const whole = header(false) + body;
  if (maxBytes === undefined || Buffer.byteLength(whole, "utf8") <= maxBytes) return whole;
  const head = header(true);
  return head + truncateUtf8(body, maxBytes - Buffer.byteLength(head, "utf8"));
}

/** RFC 6587 §3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, MSG-LEN in octets. */
export const octetCountedFrame = (message: string): Buffer => {
  const bytes = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${bytes.length} `, "ascii"), bytes]);
};
