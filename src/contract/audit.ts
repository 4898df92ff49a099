// Request and reply shapes for the audit log.
import { Type, type Static } from "typebox";
import { Problem } from "./problem.js";

export const VerifyAuditRequest = Type.Object({}, { additionalProperties: false });
export type VerifyAuditRequest = Static<typeof VerifyAuditRequest>;

export const AuditVerificationReply = Type.Object(
  {
    intact: Type.Boolean({ description: "True when every link, the head and every checkpoint of this node agree." }),
    eventsChecked: Type.Integer({ minimum: 0 }),
    keyedFrom: Type.Integer({ minimum: 1, description: "The first event with a keyed (HMAC-SHA256) link; earlier events carry the plain SHA-256 links written before keyed chains." }),
    headSeq: Type.Integer({ minimum: 0, description: "The newest event the chain's head names." }),
    checkpointsChecked: Type.Integer({ minimum: 0, description: "Checkpoints in this node's checkpoint file that were compared." }),
    brokenAt: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: "The first event at fault, or null when the chain is intact." }),
    finding: Type.Object(
      { key: Type.String(), params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])) },
      { description: "What was found, as a problem key and its parameters (audit_chain_intact, or the break)." },
    ),
    message: Type.String({ description: "The finding in English." }),
  },
  { $id: "AuditVerificationReply" },
);
export type AuditVerificationReply = Static<typeof AuditVerificationReply>;

// ---- Reading the log: events, the query and its pages (GET /api/v1/audit/events and export) ----

const Timestamp = Type.String({ format: "date-time", description: "ISO-8601 in UTC, e.g. 2026-12-01T15:04:05.123Z." });

export const AuditOutcomeValue = Type.Union([Type.Literal("success"), Type.Literal("failure"), Type.Literal("denied")], {
  description: "success; failure (it went wrong: a wrong password, a damaged secret); denied (policy refused it).",
});
export const AuditChannel = Type.Union([Type.Literal("ui"), Type.Literal("api"), Type.Literal("cli")], {
  description: "Where the request came from: ui (the web app), api (a script or API token), cli (the watchword command).",
});
export const AuditActorType = Type.Union([Type.Literal("user"), Type.Literal("service_account"), Type.Literal("local"), Type.Literal("anonymous")], {
  description:
    "user: a signed-in person; service_account: a script's API token; local: an operator at the server's machine (id null, name the operating-system account); anonymous: nobody known yet (a failed sign-in under a name that is not a user's; the name typed is never stored).",
});

export const AuditEventView = Type.Object(
  {
    id: Type.String({ description: "The event's own random id (UUID), for references from outside (SIEM de-duplication)." }),
    seq: Type.Integer({ minimum: 1, description: "Its place in the chain: one sequence, no gaps unless events were archived." }),
    at: Timestamp,
    actor: Type.Object({
      type: AuditActorType,
      id: Type.Union([Type.String(), Type.Null()]),
      name: Type.String({ description: "The name when it acted (a later rename does not change it)." }),
    }),
    action: Type.String({ description: "What was done, e.g. code.issued, user.invited, entry.updated." }),
    outcome: AuditOutcomeValue,
    target: Type.Union([Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], {
      description: "What it was done to (an entry, a user, a folder…), or null.",
    }),
    entry: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], { description: "The entry concerned, with its name at the time, or null." }),
    folderId: Type.Union([Type.String(), Type.Null()], { description: "The folder concerned when the event was written (the entry's folder, or the folder itself), or null." }),
    approvedBy: Type.Union(
      [
        Type.Object({
          requestId: Type.Union([Type.String(), Type.Null()]),
          approvers: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
        }),
        Type.Null(),
      ],
      { description: "On whose approval the action rested: the access request whose grant allowed it, and who approved it; null when no request was involved." },
    ),
    reason: Type.Union([Type.String(), Type.Null()], { description: "The reason given (emergency access) or why it was refused or failed." }),
    ip: Type.String(),
    userAgent: Type.String(),
    channel: AuditChannel,
    details: Type.Record(Type.String(), Type.Unknown(), { description: "Facts particular to the action (never a secret)." }),
  },
  { $id: "AuditEvent" },
);
export type AuditEventView = Static<typeof AuditEventView>;

/** The largest page; also the default. */
export const AUDIT_PAGE_MAX = 200;
export const AUDIT_PAGE_DEFAULT = 50;

const auditFilterProperties = {
  actor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: "Who acted: an actor id (UUID) or an exact name as recorded (a username, a service account's name, an operator's account)." }),
  ),
  entry: Type.Optional(Type.String({ format: "uuid", description: "Events about this entry (its id)." })),
  folder: Type.Optional(Type.String({ format: "uuid", description: "Events about this folder or an entry that was in it at the time (its id)." })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z][a-z0-9_.]*$", description: "An exact action, e.g. code.issued." })),
  outcome: Type.Optional(AuditOutcomeValue),
  channel: Type.Optional(AuditChannel),
  since: Type.Optional(Type.String({ format: "date-time", description: "Events at or after this time (ISO-8601 with a time zone)." })),
  until: Type.Optional(Type.String({ format: "date-time", description: "Events before this time (ISO-8601 with a time zone)." })),
};

export const AuditEventQuery = Type.Object(
  {
    ...auditFilterProperties,
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "nextCursor of the page before: the next (older) page. Opaque." })),
    limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$", description: `Events per page, 1 to ${AUDIT_PAGE_MAX} (default ${AUDIT_PAGE_DEFAULT}).` })),
  },
  { additionalProperties: false, description: "Every filter given must hold (and). Newest first." },
);
export type AuditEventQuery = Static<typeof AuditEventQuery>;

/** An entry's recent use (GET /api/v1/entries/:id/audit-events): the same paging, the entry fixed by the path. */
export const EntryAuditEventQuery = Type.Object(
  {
    action: auditFilterProperties.action,
    outcome: auditFilterProperties.outcome,
    since: auditFilterProperties.since,
    until: auditFilterProperties.until,
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$" })),
  },
  { additionalProperties: false },
);
export type EntryAuditEventQuery = Static<typeof EntryAuditEventQuery>;

export const AuditEventPage = Type.Object(
  {
    events: Type.Array(AuditEventView, { description: "Newest first." }),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: "Pass as cursor for the next (older) page; null when this was the last." }),
  },
  { $id: "AuditEventPage" },
);
export type AuditEventPage = Static<typeof AuditEventPage>;

export const AuditExportFormat = Type.Union([Type.Literal("csv"), Type.Literal("json"), Type.Literal("jsonl")], {
  description: "csv (RFC 4180, a header line; cells that a spreadsheet would run as a formula start with '), json (one array) or jsonl (one event per line).",
});

export const AuditExportQuery = Type.Object(
  { ...auditFilterProperties, format: Type.Optional(AuditExportFormat) },
  { additionalProperties: false, description: "The same filters as the event list; every matching event, newest first, streamed." },
);
export type AuditExportQuery = Static<typeof AuditExportQuery>;

/** The columns of the CSV export, in order; nested values are flattened (actor.type → actor_type). */
export const AUDIT_CSV_COLUMNS = [
  "seq", "id", "at", "actor_type", "actor_id", "actor_name", "action", "outcome", "target_type", "target_id", "target_name",
  "entry_id", "entry_name", "reason", "ip", "user_agent", "channel", "details",
] as const;

/** The media type of the streamed verification (Accept: application/x-ndjson): one JSON object a line. */
export const AUDIT_VERIFY_STREAM_TYPE = "application/x-ndjson";

export const AuditVerificationProgress = Type.Object(
  {
    checked: Type.Integer({ minimum: 0, description: "Events whose links were checked so far." }),
    total: Type.Integer({ minimum: 0, description: "Events to check in all." }),
  },
  { additionalProperties: false, description: "How far verification has got: the first line (checked 0), then one after each page of events." },
);
export type AuditVerificationProgress = Static<typeof AuditVerificationProgress>;

/**
 * One line of the streamed reply: progress lines, then exactly one last line — the verdict (the
 * JSON reply's shape, told by its `intact`) or, should verification fail once the stream has begun,
 * a problem (application/problem+json's shape, told by its `status` and `key`).
 */
export const AuditVerificationLine = Type.Union(
  [
    AuditVerificationProgress,
    Type.Object(AuditVerificationReply.properties, { description: "The last line: the verdict." }),
    Type.Object(Problem.properties, { description: "The last line, when verification failed once the stream had begun." }),
  ],
  { description: "One line of application/x-ndjson: progress, then the verdict or a problem." },
);
export type AuditVerificationLine = AuditVerificationProgress | AuditVerificationReply | Problem;
