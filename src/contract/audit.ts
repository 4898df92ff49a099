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
