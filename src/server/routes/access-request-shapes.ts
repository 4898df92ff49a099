// Access request and notification views from the services, in the contract's reply shapes.
import type { AccessRequest, Notification } from "../../contract/access-requests.js";
import type { AccessRequestView } from "../../services/access-requests.js";
import type { NotificationView } from "../../services/notifications.js";

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const seconds = (ms: number): number => Math.floor(ms / 1000);

export function accessRequestOf(view: AccessRequestView): AccessRequest {
  const r = view.record;
  return {
    id: r.id,
    requester: { ...view.requester },
    target: { kind: r.target.kind, id: r.target.id, name: view.targetName },
    permission: r.permission,
    durationSeconds: seconds(r.durationMs),
    reason: r.reason,
    status: r.status,
    emergency: r.emergency,
    approvalsRequired: r.approvalsRequired,
    approvals: r.approvals,
    createdAt: iso(r.createdAt),
    decidedAt: isoOrNull(r.decidedAt),
    reviewedAt: isoOrNull(r.reviewedAt),
    decisions: r.decisions.map((d) => ({
      approver: { ...(view.approvers.get(d.approverId) ?? { id: d.approverId, username: d.approverId, displayName: d.approverId }) },
      decision: d.decision,
      comment: d.comment,
      durationSeconds: d.durationMs === null ? null : seconds(d.durationMs),
      decidedAt: iso(d.decidedAt),
    })),
    grant: view.grant === null || view.grant.expiresAt === null ? null : { id: view.grant.id, expiresAt: iso(view.grant.expiresAt) },
    canDecide: view.canDecide,
  };
}

export const notificationOf = (view: NotificationView): Notification => ({ kind: view.kind, at: iso(view.at), unread: view.isUnread, request: accessRequestOf(view.request) });
