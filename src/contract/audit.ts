// Request and reply shapes for the audit log.
import { Type, type Static } from "typebox";

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
