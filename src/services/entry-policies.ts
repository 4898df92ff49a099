// An entry's access policy: approval required with N approvers (two-person rule), and emergency
// access (break glass). Read by whoever sees the entry, with what they may do; changed by managers.
import type { Clock } from "../core/clock.js";
import { notFound, problem } from "../core/errors.js";
import type { EntryId } from "../core/ids.js";
import type { EntryPolicy } from "../store/access-policies.js";
import type { Store } from "../store/store.js";
import { NO_SUCH_ENTRY, type AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";

/** The policy as managers set it: with step-up before each code (migration 0023); omitted, it stays as it is. */
export interface EntryPolicyChange extends EntryPolicy {
  readonly stepUpRequired?: boolean | undefined;
}

export interface EntryPolicyView extends EntryPolicy {
  /** The entry's own policy asks for a fresh second factor before each code. */
  readonly stepUpRequired: boolean;
  /** Its folder asks for one (for every entry in it). */
  readonly stepUpFromFolder: boolean;
  readonly canUse: boolean;
  readonly canRecover: boolean;
  readonly canManage: boolean;
  readonly canUseInEmergency: boolean;
  readonly canRequest: boolean;
}

export interface EntryPolicyService {
  get(actor: Actor, entryId: string): Promise<EntryPolicyView>;
  set(actor: Actor, entryId: string, policy: EntryPolicyChange): Promise<EntryPolicyView>;
}

export function createEntryPolicyService(deps: { store: Pick<Store, "entries" | "stepUps">; access: Pick<AccessService, "inspect" | "requireEntry" | "mayRequest">; auditLog: AuditLog; clock: Clock }): EntryPolicyService {
  const { store, access, auditLog, clock } = deps;

  async function get(actor: Actor, entryId: string): Promise<EntryPolicyView> {
    const inspection = await access.inspect(actor, entryId);
    if (inspection === undefined || !inspection.sees) throw notFound(NO_SUCH_ENTRY);
    const { facts } = inspection;
    const stepUp = await store.stepUps.requirementOf(facts.id);
    return {
      stepUpRequired: stepUp?.kind === "entry",
      stepUpFromFolder: facts.folderId !== null && (stepUp?.kind === "folder" || (stepUp?.kind === "entry" && (await store.stepUps.isFolderStepUpRequired(facts.folderId)))),
      approvalsRequired: facts.approvalsRequired,
      emergencyAccess: facts.emergencyAccess,
      canUse: inspection.decide("use").allowed,
      canRecover: inspection.decide("recover").allowed,
      canManage: inspection.decide("manage").allowed,
      canUseInEmergency: !inspection.decide("use").allowed && inspection.decideEmergencyUse().allowed,
      canRequest: access.mayRequest(actor),
    };
  }

  return {
    get,
    async set(actor, entryId, policy) {
      await access.requireEntry(actor, entryId, "manage", problem("entry_policy_forbidden"));
      const entry = await store.entries.findEntry(entryId);
      if (entry === undefined) throw notFound(NO_SUCH_ENTRY);
      await auditLog.commit(actor, {
        work: async (tx) => {
          await tx.accessPolicies.setEntryPolicy(entryId as EntryId, { approvalsRequired: policy.approvalsRequired, emergencyAccess: policy.emergencyAccess }, clock.now());
          if (policy.stepUpRequired !== undefined) await tx.stepUps.setEntryStepUp(entryId as EntryId, policy.stepUpRequired, clock.now());
        },
        events: () => [
          {
            action: "entry.policy_changed",
            entry: { id: entry.id, name: entry.name, folderId: entry.folderId },
            details: { approvalsRequired: policy.approvalsRequired, emergencyAccess: policy.emergencyAccess, ...(policy.stepUpRequired === undefined ? {} : { stepUpRequired: policy.stepUpRequired }) },
          },
        ],
      });
      return get(actor, entryId);
    },
  };
}
