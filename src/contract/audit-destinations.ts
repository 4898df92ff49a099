// Reply shapes for the SIEM destinations' delivery state (administrators).
import { Type, type Static } from "typebox";

const Time = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);

export const AuditDestination = Type.Object(
  {
    name: Type.String({ description: "The destination's name in the configuration (WATCHWORD_SIEM_<NAME>_URL, lower-cased)." }),
    transport: Type.Union([Type.Literal("webhook"), Type.Literal("syslog-tcp"), Type.Literal("syslog-tls"), Type.Literal("syslog-udp")]),
    target: Type.String({ description: "Scheme, host and port only: a webhook's path and query, which may hold a token, are never shown." }),
    deliveredSeq: Type.Integer({ minimum: 0, description: "The last audit event the receiver has (0: none yet)." }),
    headSeq: Type.Integer({ minimum: 0, description: "The newest audit event." }),
    backlog: Type.Integer({ minimum: 0, description: "Events and checkpoints waiting for this destination." }),
    lagSeconds: Type.Number({ minimum: 0, description: "How long the oldest waiting event has waited (0 when none waits)." }),
    failures: Type.Integer({ minimum: 0, description: "Failed attempts since the last success." }),
    lastError: Type.Union([Type.String(), Type.Null()], { description: "Why the last attempt failed, or null after a success." }),
    lastErrorAt: Time,
    lastSuccessAt: Time,
    deliverer: Type.Union([Type.String(), Type.Null()], { description: "The node (host:pid) delivering to it now, or null when none holds its lease." }),
  },
  { $id: "AuditDestination" },
);
export type AuditDestination = Static<typeof AuditDestination>;

export const AuditDestinationList = Type.Object({ destinations: Type.Array(AuditDestination) }, { $id: "AuditDestinationList" });
export type AuditDestinationList = Static<typeof AuditDestinationList>;
