// Step-up (issue 10): an entry or folder can ask for a fresh second factor before each code. The
// session proves one (the same verifier registry as sign-in and sudo mode) and may then get codes
// of that entry, or of every entry of that folder, for WATCHWORD_STEP_UP_MINUTES. A service
// account's token cannot step up: such entries refuse it (403 step_up_not_for_tokens). Push approval
// steps up too: a request bound to this session and to step-up (push-approvals.ts), approved on
// another device, used once.
import type { Clock } from "../core/clock.js";
import { conflict, forbidden, invalidInput, notFound, problem } from "../core/errors.js";
import type { EntryId, FolderId } from "../core/ids.js";
import type { StepUpScope } from "../store/step-ups.js";
import { scopeKey } from "../store/step-ups.js";
import type { Store } from "../store/store.js";
import { NO_SUCH_ENTRY, type AccessService } from "./access.js";
import type { Actor, Caller } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { sessionBindingOf, type PushApprovalService, type PushStatus } from "./push-approvals.js";
import type { SecondFactorThrottle } from "./second-factor-throttle.js";
import type { SecondFactors, SecondFactorSubmission } from "./second-factors.js";

export interface PassedStepUp {
  /** Until when this session may get the entry's codes without another step-up. */
  readonly until: number;
  readonly scope: StepUpScope;
}

export interface StepUpService {
  /**
   * Throws 403 (step_up_required, step_up_factor_missing, step_up_not_for_tokens) unless the caller
   * may get a code of the entry now. `known`: the entry's requirement, when the caller has just read
   * it with the entry's access facts (access.ts); else it is read here.
   */
  requireFresh(caller: Caller, entryId: string, known?: StepUpScope | null): Promise<void>;
  /** Of these entries, those whose codes the caller would be refused without a step-up (for a batch). */
  withheldOf(caller: Caller, entryIds: readonly string[]): Promise<Set<string>>;
  /** Checks the second factor and marks the session for the entry (or its folder). Audited either way. */
  stepUp(actor: Actor, entryId: string, submission: SecondFactorSubmission): Promise<PassedStepUp>;
  /** Push approval: a request to the user's devices bound to this session's step-up; the number to show. Then stepUp with method push. */
  requestPush(actor: Actor, entryId: string, deviceToken?: string | undefined): Promise<{ readonly number: number; readonly expiresAt: number }>;
  /** What became of this session's latest step-up push request (poll it while the number is shown). */
  pushStatus(actor: Actor, entryId: string): Promise<{ readonly status: PushStatus; readonly expiresAt: number }>;
  /** Makes a folder ask (or stop asking) for a step-up before each code of its entries: administrators. */
  setFolderStepUp(actor: Actor, folderId: string, required: boolean): Promise<void>;
  /** Whether the folder asks for one: administrators (404 for no such folder). */
  isFolderStepUpRequired(actor: Actor, folderId: string): Promise<boolean>;
}

export function createStepUpService(deps: {
  store: Pick<Store, "stepUps" | "entries" | "folders">;
  access: Pick<AccessService, "inspect" | "requireAdmin">;
  secondFactors: SecondFactors;
  throttle?: Pick<SecondFactorThrottle, "check" | "recordFailure" | "clear">;
  auditLog: AuditLog;
  clock: Clock;
  stepUpMinutes: number;
  push?: Pick<PushApprovalService, "requestForSession" | "statusForSession">;
}): StepUpService {
  const { store, access, secondFactors, throttle, auditLog, clock } = deps;
  const windowMs = deps.stepUpMinutes * 60 * 1000;

  async function refuseWithout(caller: Caller): Promise<never> {
    if (caller.kind !== "user") throw forbidden(problem("step_up_not_for_tokens"));
    if ((await secondFactors.methodsOf(caller.userId)).length === 0) throw forbidden(problem("step_up_factor_missing"));
    throw forbidden(problem("step_up_required"));
  }

  /**
   * The entry a step-up is for, with the rule that asks for it: only someone who may get a code or
   * a recovery code of the entry steps up for it, by a grant (use or recover) or by breaking the
   * glass. 404 for whoever may not see it, as for no entry.
   */
  async function openForStepUp(actor: Actor, entryId: string) {
    const inspection = await access.inspect(actor, entryId);
    if (inspection === undefined || !inspection.sees) throw notFound(NO_SUCH_ENTRY);
    const mayGetCodes = (["use", "recover"] as const).some((permission) => inspection.decide(permission).allowed) || inspection.decideEmergencyUse().allowed;
    // Seen but not allowed: the entry needs an approval and allows no emergency use.
    if (!mayGetCodes) throw forbidden(problem("entry_approval_required"));
    // The entry and its step-up came with its access facts (one query).
    const { entry, stepUp: scope } = inspection;
    if (scope === null) throw conflict(problem("step_up_not_required"));
    const methods = await secondFactors.methodsOf(actor.userId);
    if (methods.length === 0) throw forbidden(problem("step_up_factor_missing"));
    return { entry, scope, methods };
  }

  /** Why this session's step-up push cannot be used (the request's own state), once verify said no. */
  async function pushRefusalOf(actor: Actor): Promise<{ reason: string; key: "step_up_push_not_requested" | "step_up_push_pending" | "step_up_push_denied" | "step_up_push_expired" | "step_up_push_used" }> {
    const found = await deps.push?.statusForSession(actor, "step_up").catch(() => undefined);
    if (found === undefined) return { reason: "push_not_requested", key: "step_up_push_not_requested" };
    if (found.status === "pending") return { reason: "push_pending", key: "step_up_push_pending" };
    if (found.status === "denied") return { reason: "push_denied", key: "step_up_push_denied" };
    if (found.status === "used") return { reason: "replayed_code", key: "step_up_push_used" };
    // Expired, or approved and left past its 2 minutes.
    return { reason: "push_expired", key: "step_up_push_expired" };
  }

  return {
    async requireFresh(caller, entryId, known) {
      const scope = known !== undefined ? known : await store.stepUps.requirementOf(entryId as EntryId);
      if (scope === null || scope === undefined) return;
      if (caller.kind === "user") {
        const passedAt = await store.stepUps.passedAt(caller.sessionId, scope);
        if (passedAt !== undefined && clock.now() - passedAt < windowMs) return;
      }
      await refuseWithout(caller);
    },

    async withheldOf(caller, entryIds) {
      const required = await store.stepUps.requirementsOf(entryIds as EntryId[]);
      if (required.size === 0) return new Set();
      const passed = caller.kind === "user" ? await store.stepUps.passedSince(caller.sessionId, clock.now() - windowMs) : new Map<string, number>();
      return new Set([...required].filter(([, scope]) => !passed.has(scopeKey(scope))).map(([id]) => id as string));
    },

    async stepUp(actor, entryId, submission) {
      const { entry, scope } = await openForStepUp(actor, entryId);
      // Malformed input is refused before anything is counted (400, nothing changes).
      // Bound to the session, as re-authentication's second step is (a passkey's challenge from
      // POST /auth/reauthenticate/passkey-options answers here too); a push approval answers the
      // request this session sent for a step-up (requestPush), nothing else.
      const bound = submission.method === "push" ? { ...submission, challengeHash: sessionBindingOf("step_up", actor.sessionId) } : submission;
      const prepared = await secondFactors.prepare(actor.userId, bound, { origin: actor.origin, binding: `session:${actor.sessionId}` });
      await throttle?.check(actor.userId, actor.origin);
      const auditEntry = { id: entry.id, name: entry.name, folderId: entry.folderId };
      const verdict = await prepared.verify();
      if (!verdict.ok && prepared.method === "push") {
        // A push refusal guessed nothing: not counted towards the throttle, said by the request's own state.
        const refusal = await pushRefusalOf(actor);
        await auditLog.commit(actor, {
          events: () => [{ action: "user.step_up_failed", outcome: "denied", reason: refusal.reason, entry: auditEntry, details: { method: "push", scope: scope.kind } }],
        });
        throw invalidInput(problem(refusal.key), "method");
      }
      if (!verdict.ok) {
        await throttle?.recordFailure(actor.userId, actor.origin);
        const isReplay = verdict.reason === "replayed_code";
        await auditLog.commit(actor, {
          events: () => [{ action: "user.step_up_failed", outcome: isReplay ? "denied" : "failure", reason: verdict.reason, entry: auditEntry, details: { method: prepared.method, scope: scope.kind } }],
        });
        // A passkey's own reason (another session's challenge, a counter gone back…), as sudo mode says it.
        if (verdict.refusal !== undefined) throw verdict.refusal;
        throw invalidInput(problem(isReplay ? "second_factor_code_replayed" : "second_factor_code_incorrect"), "code");
      }
      await throttle?.clear(actor.userId);
      const now = clock.now();
      await auditLog.commit(actor, {
        work: async (tx) => {
          await tx.stepUps.deleteMarksBefore(now - windowMs);
          await tx.stepUps.markPassed(actor.sessionId, scope, now);
        },
        events: () => [{ action: "user.step_up_passed", entry: auditEntry, details: { method: prepared.method, factorId: verdict.factorId, scope: scope.kind } }],
      });
      return { until: now + windowMs, scope };
    },

    async requestPush(actor, entryId, deviceToken) {
      const { entry, methods } = await openForStepUp(actor, entryId);
      if (deps.push === undefined || !methods.includes("push")) throw invalidInput(problem("second_factor_method_unavailable", { method: "push" }), "method");
      // An account that must wait would be refused the step-up: do not bother its devices first.
      await throttle?.check(actor.userId, actor.origin);
      // The browser asking is not asked (it cannot answer its own request), as in sudo mode.
      const sent = await deps.push.requestForSession(actor, deviceToken, "step_up", { id: entry.id, name: entry.name, folderId: entry.folderId });
      return { number: sent.number, expiresAt: sent.expiresAt };
    },

    async pushStatus(actor, entryId) {
      const inspection = await access.inspect(actor, entryId);
      if (inspection === undefined || !inspection.sees) throw notFound(NO_SUCH_ENTRY);
      if (deps.push === undefined) throw invalidInput(problem("second_factor_method_unavailable", { method: "push" }), "method");
      return deps.push.statusForSession(actor, "step_up");
    },

    async setFolderStepUp(actor, folderId, required) {
      access.requireAdmin(actor, problem("folder_step_up_forbidden"));
      const folder = await store.folders.findFolder(folderId);
      if (folder === undefined) throw notFound(problem("folder_not_found"));
      await auditLog.commit(actor, {
        work: (tx) => tx.stepUps.setFolderStepUp(folder.id as FolderId, required, clock.now()),
        events: () => [{ action: "folder.step_up_set", target: { type: "folder", id: folder.id, name: folder.name }, details: { stepUpRequired: required } }],
      });
    },

    async isFolderStepUpRequired(actor, folderId) {
      access.requireAdmin(actor, problem("folder_step_up_forbidden"));
      if ((await store.folders.findFolder(folderId)) === undefined) throw notFound(problem("folder_not_found"));
      return store.stepUps.isFolderStepUpRequired(folderId as FolderId);
    },
  };
}
