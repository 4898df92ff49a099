// Examples for /api/docs of an entry's alert operations (see openapi-examples.ts, which spreads them in). Values are made up.
import type { AlertList, AlertSubscription, CreatedAlert } from "../contract/alerts.js";
import type { OperationExample } from "./openapi-examples.js";

const ENTRY_ID = "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e";
const FOLDER_ID = "1c9e5d2f-6b8a-4f3c-8d4e-7e2b3c4d5e6f";
const mail: AlertSubscription = {
  id: "3a5c7e9f-1b2d-4f4a-8c6e-0a2c4e6f8a0b",
  user: { id: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", name: "Alice Martin", hasEmail: true },
  scope: { kind: "entry", id: ENTRY_ID },
  events: ["code_issued", "emergency_used"],
  channel: "email",
  target: null,
  isMine: true,
  createdAt: "2026-12-01T09:00:00.000Z",
  delivery: { waiting: 0, delivered: 12, failed: 0, lastError: null },
};
const webhook: AlertSubscription = {
  ...mail,
  id: "6b8d0f2a-4c6e-4a8b-9d1f-3a5c7e9b1d3f",
  events: ["seed_overwritten", "recovery_code_revealed"],
  channel: "webhook",
  target: "https://siem.example.com",
  delivery: { waiting: 1, delivered: 3, failed: 0, lastError: "the receiver answered 503" },
};

export const ALERT_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "GET /api/v1/entries/{id}/alerts": { reply: { subscriptions: [mail, webhook], canManageWatchers: true } satisfies AlertList },
  "POST /api/v1/entries/{id}/alerts": {
    request: { events: ["seed_overwritten", "recovery_code_revealed"], channel: "webhook", target: "https://siem.example.com/hooks/watchword" },
    reply: { subscription: { ...webhook, delivery: { waiting: 0, delivered: 0, failed: 0, lastError: null } }, signingSecret: "whsec_Zm9yIGV4YW1wbGUgb25seSwgbm90IGEgcmVhbCBzZWNyZXQ" } satisfies CreatedAlert,
  },
  "GET /api/v1/folders/{id}/alerts": { reply: { subscriptions: [{ ...mail, scope: { kind: "folder", id: FOLDER_ID } }], canManageWatchers: false } satisfies AlertList },
  "POST /api/v1/folders/{id}/alerts": {
    request: { events: ["access_requested", "emergency_used"], channel: "slack", target: "https://hooks.slack.com/services/T000/B000/XXXXXXXX" },
    reply: {
      subscription: { ...mail, scope: { kind: "folder", id: FOLDER_ID }, events: ["access_requested", "emergency_used"], channel: "slack", target: "https://hooks.slack.com", delivery: { waiting: 0, delivered: 0, failed: 0, lastError: null } },
      signingSecret: null,
    } satisfies CreatedAlert,
  },
};
