// The audit export's three forms, one event at a time so that a page can be written as it is read:
// CSV (RFC 4180: CRLF line ends, a cell quoted when it holds a quote, comma or line break, quotes
// doubled), one JSON array, and JSON Lines (one event per line). A CSV cell that a spreadsheet would
// run as a formula (it starts with = + - @, a tab or a carriage return) gets a leading ', as OWASP's
// "CSV injection" advises: names, reasons and user agents are written by whoever acted.
import { AUDIT_CSV_COLUMNS, type AuditEventView } from "../contract/audit.js";

export type AuditExportFormat = "csv" | "json" | "jsonl";

export interface ExportFormat {
  readonly contentType: string;
  readonly extension: string;
  readonly start: string;
  /** One event; `isFirst` for the separator of the JSON array. */
  event(view: AuditEventView, isFirst: boolean): string;
  readonly end: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: neutralised against formulas, then quoted where RFC 4180 needs it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The event's cells in AUDIT_CSV_COLUMNS order. */
export function csvCells(view: AuditEventView): (string | number | null)[] {
  const byColumn: Record<(typeof AUDIT_CSV_COLUMNS)[number], string | number | null> = {
    seq: view.seq,
    id: view.id,
    at: view.at,
    actor_type: view.actor.type,
    actor_id: view.actor.id,
    actor_name: view.actor.name,
    action: view.action,
    outcome: view.outcome,
    target_type: view.target?.type ?? null,
    target_id: view.target?.id ?? null,
    target_name: view.target?.name ?? null,
    entry_id: view.entry?.id ?? null,
    entry_name: view.entry?.name ?? null,
    reason: view.reason,
    ip: view.ip,
    user_agent: view.userAgent,
    channel: view.channel,
    details: JSON.stringify(view.details),
  };
  return AUDIT_CSV_COLUMNS.map((column) => byColumn[column]);
}

const FORMATS: Readonly<Record<AuditExportFormat, ExportFormat>> = {
  csv: {
    contentType: "text/csv; charset=utf-8; header=present",
    extension: "csv",
    start: `${AUDIT_CSV_COLUMNS.join(",")}\r\n`,
    event: (view) => `${csvCells(view).map(csvCell).join(",")}\r\n`,
    end: "",
  },
  json: {
    contentType: "application/json; charset=utf-8",
    extension: "json",
    start: "[",
    event: (view, isFirst) => `${isFirst ? "\n" : ",\n"}${JSON.stringify(view)}`,
    end: "\n]\n",
  },
  jsonl: {
    contentType: "application/jsonl; charset=utf-8",
    extension: "jsonl",
    start: "",
    event: (view) => `${JSON.stringify(view)}\n`,
    end: "",
  },
};

export const exportFormat = (format: AuditExportFormat): ExportFormat => FORMATS[format];
