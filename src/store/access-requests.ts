// Access requests and their approvals, as stored, and the one atomic step from the last approval
// to the grant. Two approvers on two nodes at the same moment still give exactly one grant: each
// decision first takes the request's row with a conditional UPDATE … WHERE status = … (a row lock
// in PostgreSQL, the write lock SQLite's BEGIN IMMEDIATE already holds), so decisions on one
// request run one after the other and each sees the ones before; grants.access_request_id is
// unique besides. Who may decide is core/policy.ts's question; this file records the answer.
import type { Kysely, Selectable } from "kysely";
import type { AccessRequestId, EntryId, FolderId, GrantId, UserId } from "../core/ids.js";
import type { AccessRequestFacts, EntryFacts, FolderFacts, TokenPermission } from "../core/policy-facts.js";
import { columnsOfTarget, targetOfColumns } from "./entry-or-folder-columns.js";
import { rowOfGrant, type GrantRecord } from "./grants.js";
import type { Database } from "./schema.js";
import type { AccessDecisionKind, AccessRequestDecisionsTable, AccessRequestStatus, AccessRequestsTable } from "./schema-people-policy.js";

export type AccessRequestTarget = { readonly kind: "entry"; readonly id: EntryId } | { readonly kind: "folder"; readonly id: FolderId };

export interface AccessDecisionRecord {
  readonly approverId: UserId;
  readonly decision: AccessDecisionKind;
  readonly comment: string | null;
  readonly durationMs: number | null;
  readonly decidedAt: number;
}

export interface AccessRequestRecord {
  readonly id: AccessRequestId;
  readonly requesterId: UserId;
  readonly target: AccessRequestTarget;
  readonly permission: TokenPermission;
  readonly durationMs: number;
  readonly reason: string;
  readonly status: AccessRequestStatus;
  readonly emergency: boolean;
  readonly approvalsRequired: number;
  readonly approvals: number;
  readonly createdAt: number;
  readonly decidedAt: number | null;
  readonly reviewedAt: number | null;
  readonly reviewedBy: UserId | null;
  readonly decisions: readonly AccessDecisionRecord[];
}

export type NewAccessRequest = Pick<AccessRequestRecord, "id" | "requesterId" | "target" | "permission" | "durationMs" | "reason" | "emergency" | "approvalsRequired" | "createdAt">;

export interface Decider {
  readonly requestId: AccessRequestId;
  readonly approverId: UserId;
  readonly comment: string | null;
  readonly now: number;
}

/** Why a decision was not recorded (nothing changed). */
export type DecisionRefusal = { readonly kind: "not_found" } | { readonly kind: "own_request" } | { readonly kind: "already_decided" } | { readonly kind: "closed"; readonly status: AccessRequestStatus };

export type ApprovalOutcome =
  | { readonly kind: "recorded"; readonly approvals: number; readonly approvalsRequired: number }
  | { readonly kind: "granted"; readonly grant: GrantRecord }
  | DecisionRefusal;

export interface AccessRequestStore {
  /** An emergency request starts as review_pending (its code was handed out), any other as pending. */
  insertRequest(request: NewAccessRequest): Promise<void>;
  findRequest(id: AccessRequestId): Promise<AccessRequestRecord | undefined>;
  /** Newest first. */
  listRequests(filter: { readonly requesterId?: UserId; readonly statuses?: readonly AccessRequestStatus[]; readonly limit?: number }): Promise<AccessRequestRecord[]>;
  /**
   * Records an approval; the last one needed closes the request and creates the grant (expiring
   * after the shortest duration any approver chose, or the one asked for). Inside store.transaction() only.
   */
  approveRequest(decider: Decider & { readonly durationMs: number | null; readonly grantId: GrantId }): Promise<ApprovalOutcome>;
  /** One denial closes the request. Inside store.transaction() only. */
  denyRequest(decider: Decider): Promise<{ readonly kind: "denied" } | DecisionRefusal>;
  /** An emergency use, reviewed afterwards by someone other than the requester. Inside store.transaction() only. */
  reviewEmergencyUse(decider: Decider): Promise<{ readonly kind: "reviewed" } | DecisionRefusal>;
  /** The requester withdraws a pending request; false when it is not theirs or no longer pending. */
  cancelRequest(id: AccessRequestId, requesterId: UserId, now: number): Promise<boolean>;
}

/** What core/policy.ts needs to know of a request; `on` comes from the access-policies load. */
export const accessRequestFactsOf = (request: AccessRequestRecord, on: EntryFacts | FolderFacts): AccessRequestFacts => ({
  kind: "access_request",
  id: request.id,
  requesterId: request.requesterId,
  isOpen: request.status === "pending" || request.status === "review_pending",
  approverIds: request.decisions.map((d) => d.approverId),
  on,
});

const toDecision = (row: Selectable<AccessRequestDecisionsTable>): AccessDecisionRecord => ({
  approverId: row.approver_id as UserId,
  decision: row.decision,
  comment: row.comment,
  durationMs: row.duration_ms,
  decidedAt: row.decided_at,
});

const toRecord = (row: Selectable<AccessRequestsTable>, decisions: readonly AccessDecisionRecord[]): AccessRequestRecord => ({
  id: row.id as AccessRequestId,
  requesterId: row.requester_id as UserId,
  target: targetOfColumns(row),
  permission: row.permission,
  durationMs: Number(row.duration_ms),
  reason: row.reason,
  status: row.status,
  emergency: Number(row.emergency) === 1,
  approvalsRequired: Number(row.approvals_required),
  approvals: Number(row.approvals),
  createdAt: row.created_at,
  decidedAt: row.decided_at,
  reviewedAt: row.reviewed_at,
  reviewedBy: row.reviewed_by as UserId | null,
  decisions,
});

export function createAccessRequestStore(db: Kysely<Database>): AccessRequestStore {
  function requireTransaction(operation: string): void {
    // A programming error, not a person's: the steps below are only atomic inside one transaction.
    if (!db.isTransaction) throw new Error(`accessRequests.${operation} must run inside store.transaction()`);
  }

  /** Takes the request's row if it is in `status` and not the decider's own; undefined otherwise. */
  const lockOpenRequest = (decider: Decider, status: AccessRequestStatus) =>
    db
      .updateTable("access_requests")
      .set({ updated_at: decider.now })
      .where("id", "=", decider.requestId)
      .where("status", "=", status)
      .where("requester_id", "<>", decider.approverId)
      .returningAll()
      .executeTakeFirst();

  async function explainRefusal(decider: Decider): Promise<DecisionRefusal> {
    const row = await db.selectFrom("access_requests").select(["status", "requester_id"]).where("id", "=", decider.requestId).executeTakeFirst();
    if (row === undefined) return { kind: "not_found" };
    if (row.requester_id === decider.approverId) return { kind: "own_request" };
    return { kind: "closed", status: row.status };
  }

  /** Records the decision unless this approver already decided; false then. */
  async function recordDecision(decider: Decider, decision: AccessDecisionKind, durationMs: number | null): Promise<boolean> {
    const earlier = await db.selectFrom("access_request_decisions").select("decision").where("request_id", "=", decider.requestId).where("approver_id", "=", decider.approverId).executeTakeFirst();
    if (earlier !== undefined) return false;
    await db
      .insertInto("access_request_decisions")
      .values({ request_id: decider.requestId, approver_id: decider.approverId, decision, comment: decider.comment, duration_ms: durationMs, decided_at: decider.now })
      .execute();
    return true;
  }

  const decisionsOf = async (ids: readonly string[]): Promise<Map<string, AccessDecisionRecord[]>> => {
    const byRequest = new Map<string, AccessDecisionRecord[]>();
    if (ids.length === 0) return byRequest;
    const rows = await db.selectFrom("access_request_decisions").selectAll().where("request_id", "in", ids).orderBy("decided_at").orderBy("approver_id").execute();
    for (const row of rows) byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), toDecision(row)]);
    return byRequest;
  };

  return {
    async insertRequest(request) {
      await db
        .insertInto("access_requests")
        .values({
          id: request.id,
          requester_id: request.requesterId,
          ...columnsOfTarget(request.target),
          permission: request.permission,
          duration_ms: request.durationMs,
          reason: request.reason,
          status: request.emergency ? "review_pending" : "pending",
          emergency: request.emergency ? 1 : 0,
          approvals_required: request.approvalsRequired,
          approvals: 0,
          created_at: request.createdAt,
          updated_at: request.createdAt,
          decided_at: null,
          reviewed_at: null,
          reviewed_by: null,
        })
        .execute();
    },
    async findRequest(id) {
      const row = await db.selectFrom("access_requests").selectAll().where("id", "=", id).executeTakeFirst();
      if (row === undefined) return undefined;
      return toRecord(row, (await decisionsOf([row.id])).get(row.id) ?? []);
    },
    async listRequests(filter) {
      let query = db.selectFrom("access_requests").selectAll().orderBy("created_at", "desc").orderBy("id").limit(Math.max(1, Math.min(1000, filter.limit ?? 200)));
      if (filter.requesterId !== undefined) query = query.where("requester_id", "=", filter.requesterId);
      if (filter.statuses !== undefined) query = filter.statuses.length === 0 ? query.where("id", "is", null) : query.where("status", "in", filter.statuses);
      const rows = await query.execute();
      const decisions = await decisionsOf(rows.map((r) => r.id));
      return rows.map((row) => toRecord(row, decisions.get(row.id) ?? []));
    },
    async approveRequest(decider) {
      requireTransaction("approveRequest");
      const request = await lockOpenRequest(decider, "pending");
      if (request === undefined) return explainRefusal(decider);
      if (!(await recordDecision(decider, "approve", decider.durationMs))) return { kind: "already_decided" };
      const counted = await db
        .updateTable("access_requests")
        .set((eb) => ({ approvals: eb("approvals", "+", 1) }))
        .where("id", "=", decider.requestId)
        .returning(["approvals", "approvals_required"])
        .executeTakeFirstOrThrow();
      const approvals = Number(counted.approvals);
      const approvalsRequired = Number(counted.approvals_required);
      if (approvals < approvalsRequired) return { kind: "recorded", approvals, approvalsRequired };

      await db.updateTable("access_requests").set({ status: "approved", decided_at: decider.now }).where("id", "=", decider.requestId).execute();
      const chosen = (await decisionsOf([decider.requestId])).get(decider.requestId)?.flatMap((d) => (d.durationMs === null ? [] : [d.durationMs])) ?? [];
      const record = toRecord(request, []);
      const grant: GrantRecord = {
        id: decider.grantId,
        principal: { kind: "user", id: record.requesterId },
        scope: record.target,
        permission: record.permission,
        expiresAt: decider.now + Math.min(record.durationMs, ...chosen),
        revokedAt: null,
        accessRequestId: record.id,
        createdBy: decider.approverId,
        createdAt: decider.now,
        revokedBy: null,
      };
      await db.insertInto("grants").values(rowOfGrant(grant)).execute();
      return { kind: "granted", grant };
    },
    async denyRequest(decider) {
      requireTransaction("denyRequest");
      if ((await lockOpenRequest(decider, "pending")) === undefined) return explainRefusal(decider);
      if (!(await recordDecision(decider, "deny", null))) return { kind: "already_decided" };
      await db.updateTable("access_requests").set({ status: "denied", decided_at: decider.now }).where("id", "=", decider.requestId).execute();
      return { kind: "denied" };
    },
    async reviewEmergencyUse(decider) {
      requireTransaction("reviewEmergencyUse");
      if ((await lockOpenRequest(decider, "review_pending")) === undefined) return explainRefusal(decider);
      if (!(await recordDecision(decider, "review", null))) return { kind: "already_decided" };
      await db
        .updateTable("access_requests")
        .set({ status: "reviewed", reviewed_at: decider.now, reviewed_by: decider.approverId })
        .where("id", "=", decider.requestId)
        .execute();
      return { kind: "reviewed" };
    },
    async cancelRequest(id, requesterId, now) {
      const result = await db
        .updateTable("access_requests")
        .set({ status: "cancelled", decided_at: now, updated_at: now })
        .where("id", "=", id)
        .where("requester_id", "=", requesterId)
        .where("status", "=", "pending")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
