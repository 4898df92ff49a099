// Access requests: a member asks for use or recover of an entry or folder for a while, with a
// reason; approvers approve (the N-th distinct approval creates a grant that expires by itself,
// store/access-requests.ts) or deny; the requester may cancel while it is pending. Emergency access
// (break glass) hands the code out at once and records the use for an approver's review. Who may
// do what is core/policy.ts's decision, asked through services/access.ts; every step is audited.
import type { Clock } from "../core/clock.js";
import { conflict, forbidden, invalidInput, notFound, problem, type ProblemText } from "../core/errors.js";
import { newAccessRequestId, newGrantId, type AccessRequestId, type EntryId, type FolderId, type UserId } from "../core/ids.js";
import type { Decision, TokenPermission } from "../core/policy.js";
import type { AccessRequestRecord, AccessRequestTarget, DecisionRefusal } from "../store/access-requests.js";
import type { GrantRecord } from "../store/grants.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { AccessRequestStatus } from "../store/schema-people-policy.js";
import { NO_SUCH_ENTRY, type AccessService, type RequestQuestion } from "./access.js";
import type { Actor } from "./actor.js";
import { markDenialAudited, type AuditFacts, type AuditLog } from "./audit-log.js";
import type { CodeService, IssuedCode } from "./codes.js";

export interface Person {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

/** A request as people see it: the record with names, the grant it gave, and whether the caller may decide now. */
export interface AccessRequestView {
  readonly record: AccessRequestRecord;
  readonly requester: Person;
  readonly targetName: string;
  readonly approvers: ReadonlyMap<string, Person>;
  readonly grant: Pick<GrantRecord, "id" | "expiresAt"> | null;
  readonly canDecide: boolean;
}

export type AccessRequestListView = "mine" | "to-approve" | "to-review";

export interface NewRequestInput {
  readonly entryId?: string | undefined;
  readonly folderId?: string | undefined;
  readonly permission?: TokenPermission | undefined;
  readonly durationSeconds: number;
  readonly reason: string;
}

/** What happened, for channels that push it to people (e-mail); in-app notifications read the requests themselves. */
export interface AccessRequestNotice {
  readonly kind: "request_created" | "request_approved" | "request_denied" | "emergency_used";
  readonly request: AccessRequestRecord;
  readonly targetName: string;
}

/**
 * The seam for telling people: the e-mail notifier plugs in here. A notifier must not throw (the
 * decision it tells of is committed already): it logs and drops its own failures.
 */
export interface AccessRequestNotifier {
  notify(notice: AccessRequestNotice): Promise<void>;
}

/**
 * In-app notifications need no push: services/notifications.ts derives them from the stored
 * requests (so an approver added later sees what waits too). This is the notifier when no other
 * channel is configured.
 */
export const inAppNotifier: AccessRequestNotifier = { notify: async () => undefined };

export interface AccessRequestService {
  create(actor: Actor, input: NewRequestInput): Promise<AccessRequestView>;
  list(actor: Actor, view: AccessRequestListView): Promise<AccessRequestView[]>;
  count(actor: Actor): Promise<{ toApprove: number; toReview: number }>;
  /** Resolves once every notification started so far has been handed over or given up (replies never wait for them). */
  notificationsSettled(): Promise<void>;
  get(actor: Actor, id: string): Promise<AccessRequestView>;
  approve(actor: Actor, id: string, input: { comment?: string | undefined; durationSeconds?: number | undefined }): Promise<AccessRequestView>;
  deny(actor: Actor, id: string, input: { comment?: string | undefined }): Promise<AccessRequestView>;
  review(actor: Actor, id: string, input: { comment?: string | undefined }): Promise<AccessRequestView>;
  cancel(actor: Actor, id: string): Promise<AccessRequestView>;
  /** Break glass: the code at once against a reason, the use recorded for review. */
  emergencyCode(actor: Actor, entryId: string, reason: string): Promise<{ code: IssuedCode; requestId: AccessRequestId }>;
}

const NO_SUCH_REQUEST = problem("access_request_not_found");
const OPEN_STATUSES: readonly AccessRequestStatus[] = ["pending", "review_pending"];
/** How many open requests an inbox looks through (newest first). */
const INBOX_LIMIT = 500;
/** How long a break-glass use is recorded as lasting: it is one code, not a window. */
const EMERGENCY_WINDOW_MS = 5 * 60_000;

const isOpen = (record: AccessRequestRecord): boolean => OPEN_STATUSES.includes(record.status);
/** The request as policy is asked about it; `asIfNew`: open and undecided, to ask who may see it. */
export const questionOf = (record: AccessRequestRecord, asIfNew = false): RequestQuestion => ({
  id: record.id,
  requesterId: record.requesterId,
  target: record.target,
  isOpen: asIfNew || isOpen(record),
  approverIds: asIfNew ? [] : record.decisions.map((d) => d.approverId),
});

function refusalOf(refusal: DecisionRefusal): never {
  switch (refusal.kind) {
    case "not_found":
      throw notFound(NO_SUCH_REQUEST);
    case "own_request":
      throw forbidden(problem("access_request_own"));
    case "already_decided":
      throw conflict(problem("access_request_already_decided"));
    case "closed":
      throw conflict(problem("access_request_closed", { status: refusal.status }));
  }
}

export function createAccessRequestService(deps: {
  store: Pick<Store, "accessRequests" | "entries" | "folders" | "users" | "grants">;
  access: Pick<AccessService, "inspect" | "mayRequest" | "decideOnRequest">;
  codes: Pick<CodeService, "issueCode">;
  auditLog: AuditLog;
  clock: Clock;
  notifier?: AccessRequestNotifier;
}): AccessRequestService {
  const { store, access, codes, auditLog, clock } = deps;
  const notifier = deps.notifier ?? inAppNotifier;

  async function personOf(id: UserId, known: Map<string, Person>): Promise<Person> {
    const seen = known.get(id);
    if (seen !== undefined) return seen;
    const user = await store.users.findUserById(id);
    const person = { id, username: user?.username ?? id, displayName: user?.displayName ?? user?.username ?? id };
    known.set(id, person);
    return person;
  }

  async function targetNameOf(target: AccessRequestTarget): Promise<string> {
    const found = target.kind === "entry" ? await store.entries.findEntry(target.id) : await store.folders.findFolder(target.id);
    return found?.name ?? target.id;
  }

  async function grantOf(record: AccessRequestRecord): Promise<AccessRequestView["grant"]> {
    if (record.status !== "approved") return null;
    const grants = await store.grants.listGrants({
      principal: { kind: "user", id: record.requesterId },
      ...(record.target.kind === "entry" ? { entryId: record.target.id } : { folderId: record.target.id }),
      includeRevoked: true,
    });
    const grant = grants.find((g) => g.accessRequestId === record.id);
    return grant === undefined ? null : { id: grant.id, expiresAt: grant.expiresAt };
  }

  async function viewOf(actor: Actor, record: AccessRequestRecord, decision?: Decision, people = new Map<string, Person>()): Promise<AccessRequestView> {
    const canDecide = (decision ?? (await access.decideOnRequest(actor, questionOf(record))))?.allowed === true;
    const approvers = new Map<string, Person>();
    for (const d of record.decisions) approvers.set(d.approverId, await personOf(d.approverId, people));
    return { record, requester: await personOf(record.requesterId, people), targetName: await targetNameOf(record.target), approvers, grant: await grantOf(record), canDecide };
  }

  /** The request, if the actor may see it: their own, or one they are (or were) an approver of. */
  async function loadVisible(actor: Actor, id: string): Promise<AccessRequestRecord> {
    const record = /^[0-9a-f-]{36}$/i.test(id) ? await store.accessRequests.findRequest(id as AccessRequestId) : undefined;
    if (record === undefined) throw notFound(NO_SUCH_REQUEST);
    if (record.requesterId === actor.userId) return record;
    // Closed or already decided by them: would they be an approver of it, were it open and new?
    const eligible = await access.decideOnRequest(actor, questionOf(record, true));
    if (eligible?.allowed !== true) throw notFound(NO_SUCH_REQUEST);
    return record;
  }

  /** Refuses a decision policy denies, audited as denied: 403 for one's own request, 409 when it is over. */
  async function requireDecision(actor: Actor, record: AccessRequestRecord, action: string): Promise<void> {
    const decision = await access.decideOnRequest(actor, questionOf(record));
    if (decision === undefined) throw notFound(NO_SUCH_REQUEST);
    if (decision.allowed) return;
    const refusal: ProblemText =
      decision.reason === "own_request"
        ? problem("access_request_own")
        : decision.reason === "already_approved"
          ? problem("access_request_already_decided")
          : decision.reason === "request_closed"
            ? problem("access_request_closed", { status: record.status })
            : NO_SUCH_REQUEST;
    const isDenial = decision.reason === "own_request" || decision.reason === "not_approver" || decision.reason === "role_forbids";
    if (isDenial) {
      const facts = await eventFacts(record, action, { denial: decision.reason });
      await auditLog.commit(actor, { events: () => [{ ...facts, outcome: "denied", reason: decision.reason }] });
    }
    // Audited here, with the request's target: the server's denial hook writes no second event.
    const audited = <E extends object>(error: E): E => (isDenial ? markDenialAudited(error) : error);
    if (decision.reason === "own_request") throw audited(forbidden(refusal));
    if (refusal === NO_SUCH_REQUEST) throw audited(notFound(refusal));
    throw conflict(refusal);
  }

  async function eventFacts(record: AccessRequestRecord, action: string, details: Record<string, unknown> = {}): Promise<AuditFacts> {
    const entry = record.target.kind === "entry" ? await store.entries.findEntry(record.target.id) : undefined;
    const name = entry?.name ?? (await targetNameOf(record.target));
    const target = record.target.kind === "entry" ? { entry: { id: record.target.id, name, folderId: entry?.folderId ?? null } } : { folderId: record.target.id };
    return { action, ...target, target: { type: "access_request", id: record.id, name }, details: { requestId: record.id, ...(record.target.kind === "folder" ? { folderId: record.target.id, folderName: name } : {}), ...details } };
  }

  /** Notifications started and not yet finished, so that a caller may wait for them (notificationsSettled). */
  const inFlight = new Set<Promise<void>>();

  /**
   * Tells of a committed change without making the reply wait: an SMTP server that answers slowly,
   * or never, delays nobody. The notifier logs its own failures; a throw is dropped the same way.
   */
  function tell(kind: AccessRequestNotice["kind"], record: AccessRequestRecord): void {
    const told = (async () => notifier.notify({ kind, request: record, targetName: await targetNameOf(record.target) }))().catch(() => undefined);
    inFlight.add(told);
    void told.finally(() => inFlight.delete(told));
  }

  async function reload(id: AccessRequestId): Promise<AccessRequestRecord> {
    const record = await store.accessRequests.findRequest(id);
    if (record === undefined) throw notFound(NO_SUCH_REQUEST);
    return record;
  }

  /** One decision (approve, deny or review) in the transaction its audit event commits in. */
  async function decideInTransaction<T extends { kind: string }>(
    actor: Actor,
    record: AccessRequestRecord,
    action: string,
    step: (tx: TransactionScope) => Promise<T | DecisionRefusal>,
    details: (outcome: T) => Record<string, unknown>,
  ): Promise<T> {
    await requireDecision(actor, record, action);
    const facts = await eventFacts(record, action);
    return auditLog.commit(actor, {
      work: async (tx) => {
        const outcome = await step(tx);
        if (outcome.kind === "not_found" || outcome.kind === "own_request" || outcome.kind === "already_decided" || outcome.kind === "closed") refusalOf(outcome as DecisionRefusal);
        return outcome as T;
      },
      events: (outcome: T) => [{ ...facts, details: { ...facts.details, ...details(outcome) } }],
    });
  }

  async function listOpen(actor: Actor, status: AccessRequestStatus): Promise<{ record: AccessRequestRecord; decision: Decision }[]> {
    const open = await store.accessRequests.listRequests({ statuses: [status], limit: INBOX_LIMIT });
    const decided = await Promise.all(open.map(async (record) => ({ record, decision: await access.decideOnRequest(actor, questionOf(record)) })));
    return decided.flatMap((d) => (d.decision?.allowed === true ? [{ record: d.record, decision: d.decision }] : []));
  }

  return {
    async create(actor, input) {
      if ((input.entryId === undefined) === (input.folderId === undefined)) throw invalidInput(problem("access_request_target_required"), "entryId");
      if (!access.mayRequest(actor)) throw forbidden(problem("access_request_forbidden"));
      let target: AccessRequestTarget;
      let approvalsRequired = 1;
      if (input.entryId !== undefined) {
        const inspection = await access.inspect(actor, input.entryId);
        if (inspection === undefined || !inspection.sees) throw notFound(NO_SUCH_ENTRY);
        target = { kind: "entry", id: input.entryId as EntryId };
        approvalsRequired = Math.max(1, inspection.facts.approvalsRequired);
      } else {
        if ((await store.folders.findFolder(input.folderId!)) === undefined) throw notFound(problem("folder_not_found"));
        target = { kind: "folder", id: input.folderId as FolderId };
      }
      const record = {
        id: newAccessRequestId(),
        requesterId: actor.userId,
        target,
        permission: input.permission ?? "use",
        durationMs: input.durationSeconds * 1000,
        reason: input.reason,
        emergency: false,
        approvalsRequired,
        createdAt: clock.now(),
      };
      const stored: AccessRequestRecord = { ...record, status: "pending", approvals: 0, decidedAt: null, reviewedAt: null, reviewedBy: null, decisions: [] };
      const facts = await eventFacts(stored, "access_request.created", { permission: record.permission, durationSeconds: input.durationSeconds, approvalsRequired });
      await auditLog.commit(actor, { work: (tx) => tx.accessRequests.insertRequest(record), events: () => [{ ...facts, reason: input.reason }] });
      const created = await reload(record.id);
      tell("request_created", created);
      return viewOf(actor, created);
    },

    async list(actor, view) {
      const people = new Map<string, Person>();
      if (view === "mine") {
        const mine = await store.accessRequests.listRequests({ requesterId: actor.userId, limit: INBOX_LIMIT });
        return Promise.all(mine.map((record) => viewOf(actor, record, undefined, people)));
      }
      const open = await listOpen(actor, view === "to-approve" ? "pending" : "review_pending");
      return Promise.all(open.map(({ record, decision }) => viewOf(actor, record, decision, people)));
    },

    async count(actor) {
      const [toApprove, toReview] = await Promise.all([listOpen(actor, "pending"), listOpen(actor, "review_pending")]);
      return { toApprove: toApprove.length, toReview: toReview.length };
    },

    async notificationsSettled() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },

    get: async (actor, id) => viewOf(actor, await loadVisible(actor, id)),

    async approve(actor, id, input) {
      const record = await loadVisible(actor, id);
      if (record.emergency) throw conflict(problem("access_request_closed", { status: record.status }));
      if (input.durationSeconds !== undefined && input.durationSeconds * 1000 > record.durationMs) {
        throw invalidInput(problem("access_request_duration_longer", { seconds: Math.floor(record.durationMs / 1000) }), "durationSeconds");
      }
      const grantId = newGrantId();
      const outcome = await decideInTransaction(
        actor,
        record,
        "access_request.approved",
        (tx) => tx.accessRequests.approveRequest({ requestId: record.id, approverId: actor.userId, comment: input.comment ?? null, now: clock.now(), durationMs: input.durationSeconds === undefined ? null : input.durationSeconds * 1000, grantId }),
        (o) => ({
          comment: input.comment ?? null,
          ...(o.kind === "granted" ? { granted: true, grantId: o.grant.id, expiresAt: o.grant.expiresAt } : { granted: false }),
          ...(o.kind === "recorded" ? { approvals: o.approvals, approvalsRequired: o.approvalsRequired } : {}),
        }),
      );
      const after = await reload(record.id);
      if (outcome.kind === "granted") tell("request_approved", after);
      return viewOf(actor, after);
    },

    async deny(actor, id, input) {
      const record = await loadVisible(actor, id);
      if (record.emergency) throw conflict(problem("access_request_closed", { status: record.status }));
      await decideInTransaction(
        actor,
        record,
        "access_request.denied",
        (tx) => tx.accessRequests.denyRequest({ requestId: record.id, approverId: actor.userId, comment: input.comment ?? null, now: clock.now() }),
        () => ({ comment: input.comment ?? null }),
      );
      const after = await reload(record.id);
      tell("request_denied", after);
      return viewOf(actor, after);
    },

    async review(actor, id, input) {
      const record = await loadVisible(actor, id);
      if (!record.emergency) throw conflict(problem("access_request_not_emergency"));
      await decideInTransaction(
        actor,
        record,
        "access_request.reviewed",
        (tx) => tx.accessRequests.reviewEmergencyUse({ requestId: record.id, approverId: actor.userId, comment: input.comment ?? null, now: clock.now() }),
        () => ({ comment: input.comment ?? null }),
      );
      return viewOf(actor, await reload(record.id));
    },

    async cancel(actor, id) {
      const record = await loadVisible(actor, id);
      if (record.requesterId !== actor.userId) throw notFound(NO_SUCH_REQUEST);
      const facts = await eventFacts(record, "access_request.cancelled");
      await auditLog.commit(actor, {
        work: async (tx) => {
          if (!(await tx.accessRequests.cancelRequest(record.id, actor.userId, clock.now()))) throw conflict(problem("access_request_not_pending", { status: (await tx.accessRequests.findRequest(record.id))?.status ?? record.status }));
        },
        events: () => [facts],
      });
      return viewOf(actor, await reload(record.id));
    },

    async emergencyCode(actor, entryId, reason) {
      const inspection = await access.inspect(actor, entryId);
      if (inspection === undefined || !inspection.sees) throw notFound(NO_SUCH_ENTRY);
      if (inspection.decide("use").allowed) throw conflict(problem("entry_emergency_not_needed"));
      const decision = inspection.decideEmergencyUse();
      if (!decision.allowed) throw forbidden(decision.reason === "emergency_access_off" ? problem("entry_emergency_access_off") : problem("entry_approval_required"));
      const entry = await store.entries.findEntry(entryId);
      if (entry === undefined) throw notFound(NO_SUCH_ENTRY);
      const requestId = newAccessRequestId();
      const code = await codes.issueCode(actor, entry, {
        reason,
        details: { emergency: true, requestId },
        work: (tx) =>
          tx.accessRequests.insertRequest({
            id: requestId,
            requesterId: actor.userId,
            target: { kind: "entry", id: entry.id as EntryId },
            permission: "use",
            durationMs: EMERGENCY_WINDOW_MS,
            reason,
            emergency: true,
            approvalsRequired: 1,
            createdAt: clock.now(),
          }),
      });
      tell("emergency_used", await reload(requestId));
      return { code, requestId };
    },
  };
}
