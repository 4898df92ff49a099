// Request and reply shapes for an entry's alerts: who is told of which events (a code handed out,
// a recovery code revealed, the seed overwritten, a request made, emergency access used) by
// e-mail, signed webhook, Slack or Teams. An address is shown by scheme and host only; a webhook's
// signing secret is in the reply that creates it and nowhere else.
import { Type, type Static } from "typebox";

const Id = Type.String({ format: "uuid" });
const Timestamp = Type.String({ format: "date-time" });

export const AlertEventKind = Type.Union(
  [Type.Literal("code_issued"), Type.Literal("recovery_code_revealed"), Type.Literal("seed_overwritten"), Type.Literal("access_requested"), Type.Literal("emergency_used")],
  { description: "code_issued: a code handed out; recovery_code_revealed; seed_overwritten; access_requested: an access request made; emergency_used: a code through emergency access." },
);
export type AlertEventKind = Static<typeof AlertEventKind>;

export const AlertChannel = Type.Union([Type.Literal("email"), Type.Literal("webhook"), Type.Literal("slack"), Type.Literal("teams")], {
  description: "email: to the person's address; webhook: a JSON POST signed with HMAC-SHA256; slack and teams: their incoming-webhook message formats.",
});
export type AlertChannel = Static<typeof AlertChannel>;

export const AlertSubscription = Type.Object(
  {
    id: Id,
    user: Type.Object({ id: Id, name: Type.String(), hasEmail: Type.Boolean() }),
    scope: Type.Object({ kind: Type.Union([Type.Literal("entry"), Type.Literal("folder")]), id: Id }),
    events: Type.Array(AlertEventKind),
    channel: AlertChannel,
    target: Type.Union([Type.String(), Type.Null()], { description: "Scheme and host of the address (the rest may be a credential); null for e-mail." }),
    isMine: Type.Boolean(),
    createdAt: Timestamp,
    delivery: Type.Object(
      {
        waiting: Type.Integer({ minimum: 0 }),
        delivered: Type.Integer({ minimum: 0 }),
        failed: Type.Integer({ minimum: 0 }),
        lastError: Type.Union([Type.String(), Type.Null()], { description: "Why the latest undelivered alert failed, in English, without the address." }),
      },
      { description: "Alerts of this subscription: waiting (to be sent or retried), delivered, given up." },
    ),
  },
  { $id: "AlertSubscription" },
);
export type AlertSubscription = Static<typeof AlertSubscription>;

export const AlertList = Type.Object(
  {
    subscriptions: Type.Array(AlertSubscription, { description: "The caller's own; everyone's for the entry's managers. Oldest first." }),
    canManageWatchers: Type.Boolean({ description: "May add and remove other people's alerts." }),
  },
  { $id: "AlertList" },
);
export type AlertList = Static<typeof AlertList>;

export const CreateAlertRequest = Type.Object(
  {
    userId: Type.Optional(Type.String({ maxLength: 64, description: "Alert someone else (a watcher who may see the entry): the entry's managers only. Default: the caller." })),
    events: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 10, description: "Event kinds (see AlertSubscription.events)." }),
    channel: AlertChannel,
    target: Type.Optional(Type.String({ maxLength: 4096, description: "The address to POST to: https:// (Slack, Teams) or http(s):// (webhook). Not for e-mail." })),
  },
  { additionalProperties: false },
);
export type CreateAlertRequest = Static<typeof CreateAlertRequest>;

export const CreatedAlert = Type.Object(
  {
    subscription: AlertSubscription,
    signingSecret: Type.Union([Type.String(), Type.Null()], {
      description:
        'A webhook\'s signing secret, shown this once. Each POST carries "Watchword-Timestamp: <unix seconds>", "Watchword-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">" (as SIEM webhooks) and "Watchword-Event-Id".',
    }),
  },
  { $id: "CreatedAlert" },
);
export type CreatedAlert = Static<typeof CreatedAlert>;

export const AlertParams = Type.Object({ id: Id, alertId: Id });
