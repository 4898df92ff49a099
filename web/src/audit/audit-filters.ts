// The audit viewer's filters as they live in the address (/audit?action=code.issued&entry=…), so
// a filtered view can be reloaded, bookmarked and shared. A value the server would refuse (a
// malformed id, an unknown outcome, a time that is not one) is dropped when read, not sent.
import type { AuditEventQuery } from "../../../src/contract/audit.js";

export type AuditOutcome = "success" | "failure" | "denied";
export type AuditChannel = "ui" | "api" | "cli";
export type AuditExportFormat = "csv" | "json" | "jsonl";

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ["success", "failure", "denied"];
export const AUDIT_CHANNELS: readonly AuditChannel[] = ["ui", "api", "cli"];
export const AUDIT_EXPORT_FORMATS: readonly AuditExportFormat[] = ["csv", "json", "jsonl"];

export interface AuditFilters {
  readonly actor?: string;
  readonly entry?: string;
  readonly folder?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly channel?: AuditChannel;
  /** ISO-8601 in UTC: events at or after. */
  readonly since?: string;
  /** ISO-8601 in UTC: events before. */
  readonly until?: string;
}

/** The order the address and the export link name them in. */
export const FILTER_NAMES = ["actor", "entry", "folder", "action", "outcome", "channel", "since", "until"] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTION = /^[a-z][a-z0-9_.]*$/;

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

/** A time the server takes (ISO-8601 with a zone), normalised to UTC; undefined otherwise. */
export function isoTimeOf(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function valid(name: FilterName, raw: string): string | undefined {
  const value = raw.trim();
  if (value === "") return undefined;
  switch (name) {
    case "actor":
      return value.length <= 200 ? value : undefined;
    case "entry":
    case "folder":
      return UUID.test(value) ? value.toLowerCase() : undefined;
    case "action":
      return value.length <= 64 && ACTION.test(value) ? value : undefined;
    case "outcome":
      return isOneOf(AUDIT_OUTCOMES, value) ? value : undefined;
    case "channel":
      return isOneOf(AUDIT_CHANNELS, value) ? value : undefined;
    case "since":
    case "until":
      return isoTimeOf(value);
  }
}

/** The filters an address names; anything unknown or malformed is left out. */
export function parseAuditFilters(search: URLSearchParams): AuditFilters {
  const filters: Record<string, string> = {};
  for (const name of FILTER_NAMES) {
    const raw = search.get(name);
    const value = raw === null ? undefined : valid(name, raw);
    if (value !== undefined) filters[name] = value;
  }
  return filters as AuditFilters;
}

/** Drops empty and malformed values, as reading them back from the address would. */
export function cleanAuditFilters(filters: Readonly<Partial<Record<FilterName, string | undefined>>>): AuditFilters {
  const search = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value !== undefined) search.set(name, value);
  }
  return parseAuditFilters(search);
}

function searchParamsOf(filters: AuditFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value !== undefined && value !== "") search.set(name, value);
  }
  return search;
}

/** "?action=code.issued&outcome=denied", or "" without filters. */
export function auditSearchOf(filters: AuditFilters): string {
  const text = searchParamsOf(filters).toString();
  return text === "" ? "" : `?${text}`;
}

/** The viewer's address for these filters. */
export const auditPathOf = (filters: AuditFilters): string => `/audit${auditSearchOf(filters)}`;

/** The list request for one page: the filters, and the cursor of the page before. */
export function auditQueryOf(filters: AuditFilters, cursor: string | undefined, limit: number): AuditEventQuery {
  return { ...filters, ...(cursor === undefined ? {} : { cursor }), limit: String(limit) };
}

/** The export link: every event the filters match, in one format, streamed by the server. */
export function auditExportHrefOf(filters: AuditFilters, format: AuditExportFormat): string {
  const search = searchParamsOf(filters);
  search.set("format", format);
  return `/api/v1/audit/export?${search.toString()}`;
}

export const activeFilterCount = (filters: AuditFilters): number => FILTER_NAMES.filter((name) => filters[name] !== undefined).length;

const pad = (value: number): string => String(value).padStart(2, "0");

/** An ISO time as a datetime-local field shows it: the reader's own clock, to the minute. */
export function localInputOf(iso: string | undefined): string {
  if (iso === undefined) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** What a datetime-local field holds ("2026-12-01T14:05", the reader's clock) as an ISO time in UTC. */
export function isoOfLocalInput(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number, number, number];
  const date = new Date(year, month - 1, day, hour, minute, second);
  // 2026-02-31 rolls over to March: not a time the reader meant.
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return undefined;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
