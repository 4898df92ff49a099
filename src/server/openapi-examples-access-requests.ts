// Examples for /api/docs of the access-request, emergency-access, entry-policy and notification
// operations (see openapi-examples.ts, which spreads them in). Values are made up.
import type { AccessRequest, AccessRequestCount, AccessRequestList, EmergencyCodeReply, EntryPolicyReply, NotificationCount, NotificationList } from "../contract/access-requests.js";
import type { OperationExample } from "./openapi-examples.js";

const REQUEST_ID = "2f4a6c8e-0b1d-4e3f-9a5b-7c9d1e3f5a7b";
const ENTRY_ID = "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e";
const GRANT_ID = "4c6e8a0b-2d4f-4a6b-8c0d-2e4f6a8b0c2d";
const bob = { id: "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d", username: "bob", displayName: "Bob Durand" };
const alice = { id: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", username: "alice", displayName: "Alice Martin" };

const pending: AccessRequest = {
  id: REQUEST_ID,
  requester: bob,
  target: { kind: "entry", id: ENTRY_ID, name: "AWS root" },
  permission: "use",
  durationSeconds: 3600,
  reason: "Rotate the root access keys, ticket OPS-1234",
  status: "pending",
  emergency: false,
  approvalsRequired: 2,
  approvals: 0,
  createdAt: "2026-12-01T09:00:00.000Z",
  decidedAt: null,
  reviewedAt: null,
  decisions: [],
  grant: null,
  canDecide: true,
};
const approved: AccessRequest = {
  ...pending,
  status: "approved",
  approvalsRequired: 1,
  approvals: 1,
  decidedAt: "2026-12-01T09:05:00.000Z",
  decisions: [{ approver: alice, decision: "approve", comment: "Go ahead", durationSeconds: 1800, decidedAt: "2026-12-01T09:05:00.000Z" }],
  grant: { id: GRANT_ID, expiresAt: "2026-12-01T09:35:00.000Z" },
  canDecide: false,
};
const denied: AccessRequest = { ...pending, status: "denied", decidedAt: "2026-12-01T09:05:00.000Z", decisions: [{ ...approved.decisions[0]!, decision: "deny", comment: "Use the staging account", durationSeconds: null }], canDecide: false };
const emergency: AccessRequest = { ...pending, status: "review_pending", emergency: true, approvalsRequired: 1, durationSeconds: 300, reason: "Production outage, the on-call approver is unreachable" };
const policy: EntryPolicyReply = { approvalsRequired: 2, emergencyAccess: true, stepUpRequired: false, stepUpFromFolder: false, canUse: false, canRecover: false, canManage: true, canUseInEmergency: true, canRequest: true };

export const ACCESS_REQUEST_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "POST /api/v1/access-requests": { request: { entryId: ENTRY_ID, permission: "use", durationSeconds: 3600, reason: pending.reason }, reply: pending },
  "GET /api/v1/access-requests": { reply: { requests: [pending] } satisfies AccessRequestList },
  "GET /api/v1/access-requests/count": { reply: { toApprove: 3, toReview: 1 } satisfies AccessRequestCount },
  "GET /api/v1/access-requests/{id}": { reply: pending },
  "POST /api/v1/access-requests/{id}/approve": { request: { comment: "Go ahead", durationSeconds: 1800 }, reply: approved },
  "POST /api/v1/access-requests/{id}/deny": { request: { comment: "Use the staging account" }, reply: denied },
  "POST /api/v1/access-requests/{id}/review": {
    request: { comment: "Confirmed with the on-call engineer" },
    reply: { ...emergency, status: "reviewed", reviewedAt: "2026-12-01T10:00:00.000Z", canDecide: false } satisfies AccessRequest,
  },
  "POST /api/v1/access-requests/{id}/cancel": { request: {}, reply: { ...pending, status: "cancelled", decidedAt: "2026-12-01T09:02:00.000Z", canDecide: false } satisfies AccessRequest },
  "POST /api/v1/entries/{id}/emergency-code": {
    request: { reason: emergency.reason },
    reply: { code: "492039", type: "totp", digits: 6, period: 30, validFrom: 1795420800, validUntil: 1795420830, accessRequestId: REQUEST_ID } satisfies EmergencyCodeReply,
  },
  "GET /api/v1/entries/{id}/policy": { reply: policy },
  "PUT /api/v1/entries/{id}/policy": { request: { approvalsRequired: 2, emergencyAccess: true }, reply: policy },
  "GET /api/v1/notifications": { reply: { notifications: [{ kind: "request_approved", at: "2026-12-01T09:05:00.000Z", unread: true, request: approved }], unread: 1 } satisfies NotificationList },
  "GET /api/v1/notifications/count": { reply: { unread: 1, unreadDecisions: 1 } satisfies NotificationCount },
  "POST /api/v1/notifications/read": { request: { until: "2026-12-01T09:10:00.000Z" } },
};
