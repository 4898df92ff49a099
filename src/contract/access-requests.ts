// Request and reply shapes for access requests (ask, approve, deny, cancel, review), emergency
// access (break glass), entry access policies and the in-app notifications they give rise to.
import { Type, type Static } from "typebox";
import { CodeReply } from "./codes.js";

const Id = Type.String({ format: "uuid" });
const Timestamp = Type.String({ format: "date-time" });

/** Bounds of a use window: from five minutes to thirty days. */
export const MIN_DURATION_SECONDS = 300;
export const MAX_DURATION_SECONDS = 30 * 24 * 3600;
const DurationSeconds = Type.Integer({ minimum: MIN_DURATION_SECONDS, maximum: MAX_DURATION_SECONDS, description: "Seconds, from 300 (5 minutes) to 2592000 (30 days)." });
const Reason = Type.String({ minLength: 3, maxLength: 500, description: "Why: shown to approvers and kept in the audit log." });
const Comment = Type.String({ maxLength: 500, description: "Shown to the requester and kept in the audit log." });

export const RequestPermission = Type.Union([Type.Literal("use"), Type.Literal("recover")], { description: "use: get codes; recover: reveal a recovery code." });
export type RequestPermission = Static<typeof RequestPermission>;

export const AccessRequestStatus = Type.Union([
  Type.Literal("pending"),
  Type.Literal("approved"),
  Type.Literal("denied"),
  Type.Literal("cancelled"),
  Type.Literal("review_pending"),
  Type.Literal("reviewed"),
]);
export type AccessRequestStatus = Static<typeof AccessRequestStatus>;

export const CreateAccessRequest = Type.Object(
  {
    entryId: Type.Optional(Id),
    folderId: Type.Optional(Id),
    permission: Type.Optional(RequestPermission),
    durationSeconds: DurationSeconds,
    reason: Reason,
  },
  { additionalProperties: false, description: "Exactly one of entryId or folderId. permission defaults to use." },
);
export type CreateAccessRequest = Static<typeof CreateAccessRequest>;

export const ApproveAccessRequest = Type.Object(
  { comment: Type.Optional(Comment), durationSeconds: Type.Optional({ ...DurationSeconds, description: "Shorten the use window (never lengthen it)." }) },
  { additionalProperties: false },
);
export type ApproveAccessRequest = Static<typeof ApproveAccessRequest>;

export const DecideAccessRequest = Type.Object({ comment: Type.Optional(Comment) }, { additionalProperties: false });
export type DecideAccessRequest = Static<typeof DecideAccessRequest>;

export const EmergencyCodeRequest = Type.Object({ reason: Reason }, { additionalProperties: false });
export type EmergencyCodeRequest = Static<typeof EmergencyCodeRequest>;

const Person = Type.Object({ id: Id, username: Type.String(), displayName: Type.String() });

export const AccessDecision = Type.Object({
  approver: Person,
  decision: Type.Union([Type.Literal("approve"), Type.Literal("deny"), Type.Literal("review")]),
  comment: Type.Union([Type.String(), Type.Null()]),
  durationSeconds: Type.Union([Type.Integer(), Type.Null()]),
  decidedAt: Timestamp,
});

export const AccessRequest = Type.Object(
  {
    id: Id,
    requester: Person,
    target: Type.Object({ kind: Type.Union([Type.Literal("entry"), Type.Literal("folder")]), id: Id, name: Type.String() }),
    permission: RequestPermission,
    durationSeconds: Type.Integer(),
    reason: Type.String(),
    status: AccessRequestStatus,
    emergency: Type.Boolean({ description: "A break-glass use: the code was handed out at once, and the use waits for a review." }),
    approvalsRequired: Type.Integer(),
    approvals: Type.Integer(),
    createdAt: Timestamp,
    decidedAt: Type.Union([Timestamp, Type.Null()]),
    reviewedAt: Type.Union([Timestamp, Type.Null()]),
    decisions: Type.Array(AccessDecision),
    grant: Type.Union([Type.Object({ id: Id, expiresAt: Timestamp }), Type.Null()], { description: "The grant an approval created; null until then." }),
    canDecide: Type.Boolean({ description: "The caller may approve, deny or review it now." }),
  },
  { $id: "AccessRequest" },
);
export type AccessRequest = Static<typeof AccessRequest>;

export const AccessRequestList = Type.Object({ requests: Type.Array(AccessRequest) }, { $id: "AccessRequestList" });
export type AccessRequestList = Static<typeof AccessRequestList>;

export const AccessRequestView = Type.Union([Type.Literal("mine"), Type.Literal("to-approve"), Type.Literal("to-review")]);
export type AccessRequestView = Static<typeof AccessRequestView>;
export const AccessRequestListQuery = Type.Object({ view: Type.Optional(AccessRequestView) }, { additionalProperties: false });
export type AccessRequestListQuery = Static<typeof AccessRequestListQuery>;

export const AccessRequestCount = Type.Object(
  {
    toApprove: Type.Integer({ description: "Pending requests the caller may approve or deny." }),
    toReview: Type.Integer({ description: "Emergency uses waiting for the caller's review." }),
  },
  { $id: "AccessRequestCount" },
);
export type AccessRequestCount = Static<typeof AccessRequestCount>;

export const EmergencyCodeReply = Type.Object(
  { ...CodeReply.properties, accessRequestId: Id },
  { $id: "EmergencyCodeReply", description: "The code, and the emergency use recorded for review." },
);
export type EmergencyCodeReply = Static<typeof EmergencyCodeReply>;

export const EntryPolicyRequest = Type.Object(
  {
    approvalsRequired: Type.Integer({ minimum: 0, maximum: 10, description: "0: no approval needed; N: every use window needs N distinct approvers other than the requester." }),
    emergencyAccess: Type.Boolean({ description: "Break glass: the code at once against a reason, reviewed afterwards." }),
    stepUpRequired: Type.Optional(
      Type.Boolean({
        description:
          "A fresh second factor before each code (POST /api/v1/entries/{id}/step-up), good for WATCHWORD_STEP_UP_MINUTES (default 5) per session; service-account tokens get no code of such an entry. Omitted: unchanged.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type EntryPolicyRequest = Static<typeof EntryPolicyRequest>;

export const EntryPolicyReply = Type.Object(
  {
    ...EntryPolicyRequest.properties,
    stepUpRequired: Type.Boolean({ description: "The entry's own policy asks for a fresh second factor before each code." }),
    stepUpFromFolder: Type.Boolean({ description: "Its folder asks for one before each code of its entries (PUT /api/v1/folders/{id}/step-up)." }),
    canUse: Type.Boolean({ description: "The caller may get codes now." }),
    canRecover: Type.Boolean(),
    canManage: Type.Boolean({ description: "The caller may change this policy." }),
    canUseInEmergency: Type.Boolean({ description: "The caller may break the glass." }),
    canRequest: Type.Boolean({ description: "The caller may ask for access." }),
  },
  { $id: "EntryPolicyReply" },
);
export type EntryPolicyReply = Static<typeof EntryPolicyReply>;

export const NotificationKind = Type.Union([Type.Literal("request_pending"), Type.Literal("emergency_use"), Type.Literal("request_approved"), Type.Literal("request_denied")]);
export type NotificationKind = Static<typeof NotificationKind>;

export const Notification = Type.Object({
  kind: NotificationKind,
  at: Timestamp,
  unread: Type.Boolean(),
  request: AccessRequest,
});
export type Notification = Static<typeof Notification>;

export const NotificationList = Type.Object({ notifications: Type.Array(Notification), unread: Type.Integer() }, { $id: "NotificationList" });
export type NotificationList = Static<typeof NotificationList>;

export const NotificationCount = Type.Object(
  {
    unread: Type.Integer(),
    unreadDecisions: Type.Integer({ description: "Of those, approvals and denials of the caller's own requests (the rest are the requests and emergency uses that /access-requests/count counts)." }),
  },
  { $id: "NotificationCount" },
);
export type NotificationCount = Static<typeof NotificationCount>;

export const MarkNotificationsRead = Type.Object(
  { until: Type.Optional({ ...Timestamp, description: "Everything up to this instant is read (default: now)." }) },
  { additionalProperties: false },
);
export type MarkNotificationsRead = Static<typeof MarkNotificationsRead>;
