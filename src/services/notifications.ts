// In-app notifications, derived from the access requests rather than stored: the requester is
// told of an approval or denial, approvers of a request waiting for them and of an emergency use
// waiting for review. Only how far each user has read is stored (store/notification-marks.ts).
import type { Clock } from "../core/clock.js";
import type { Store } from "../store/store.js";
import type { Actor } from "./actor.js";
import type { AccessRequestService, AccessRequestView } from "./access-requests.js";

export type NotificationKind = "request_pending" | "emergency_use" | "request_approved" | "request_denied";

export interface NotificationView {
  readonly kind: NotificationKind;
  readonly at: number;
  readonly isUnread: boolean;
  readonly request: AccessRequestView;
}

export interface NotificationService {
  /** Newest first. */
  list(actor: Actor): Promise<{ notifications: NotificationView[]; unread: number }>;
  unreadCount(actor: Actor): Promise<{ unread: number; unreadDecisions: number }>;
  /** Everything up to `until` (default now, never later than now) counts as read. */
  markRead(actor: Actor, until?: number): Promise<void>;
}

const LIMIT = 100;

export function createNotificationService(deps: { store: Pick<Store, "notificationMarks">; requests: Pick<AccessRequestService, "list">; clock: Clock }): NotificationService {
  const { store, requests, clock } = deps;

  async function list(actor: Actor): Promise<{ notifications: NotificationView[]; unread: number }> {
    const [mine, toApprove, toReview, readUntil] = await Promise.all([
      requests.list(actor, "mine"),
      requests.list(actor, "to-approve"),
      requests.list(actor, "to-review"),
      store.notificationMarks.readUntil(actor.userId),
    ]);
    const items: Omit<NotificationView, "isUnread">[] = [
      ...mine.flatMap((request) =>
        !request.record.emergency && request.record.decidedAt !== null && (request.record.status === "approved" || request.record.status === "denied")
          ? [{ kind: request.record.status === "approved" ? ("request_approved" as const) : ("request_denied" as const), at: request.record.decidedAt, request }]
          : [],
      ),
      ...toApprove.map((request) => ({ kind: "request_pending" as const, at: request.record.createdAt, request })),
      ...toReview.map((request) => ({ kind: "emergency_use" as const, at: request.record.createdAt, request })),
    ];
    const notifications = items
      .sort((a, b) => b.at - a.at)
      .slice(0, LIMIT)
      .map((item) => ({ ...item, isUnread: item.at > readUntil }));
    return { notifications, unread: notifications.filter((n) => n.isUnread).length };
  }

  return {
    list,
    async unreadCount(actor) {
      const { notifications, unread } = await list(actor);
      return { unread, unreadDecisions: notifications.filter((n) => n.isUnread && (n.kind === "request_approved" || n.kind === "request_denied")).length };
    },
    async markRead(actor, until) {
      const now = clock.now();
      await store.notificationMarks.markReadUntil(actor.userId, Math.min(until ?? now, now));
    },
  };
}
