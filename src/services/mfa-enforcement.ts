// Who must have a second factor (issue 10): administrators choose nobody, everyone, or the members
// of some groups, and which methods count. Whenever the rule is on, administrators are always in it;
// and, rule or not, an administrator without any second factor must enrol one once another enabled
// user exists (the first administrator alone, at setup, is not asked). A user who must enrol
// signs in to a session that may only enrol.
import type { Clock } from "../core/clock.js";
import { conflict, invalidInput, problem, type ProblemText } from "../core/errors.js";
import type { GroupId, UserId } from "../core/ids.js";
import type { MfaEnforcementScope } from "../store/mfa-enforcement.js";
import type { Repositories } from "../store/store.js";
import type { Role } from "../store/schema.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";

/** The methods a rule may count; sign-in recovery codes are a fallback beside them, never one alone. */
export type EnforcedMethod = "totp" | "passkey" | "push";
export const ENFORCEABLE_METHODS: readonly EnforcedMethod[] = ["totp", "passkey", "push"];

export interface MfaEnforcementRule {
  readonly scope: MfaEnforcementScope;
  readonly methods: readonly EnforcedMethod[];
  readonly groupIds: readonly string[];
}

export interface MfaEnforcementView extends MfaEnforcementRule {
  readonly updatedAt: number | null;
  /** Administrators without any second factor while other users exist (the rule's off or they have not signed in since). */
  readonly administratorsWithoutSecondFactor: number;
  readonly warnings: readonly ProblemText[];
}

/**
 * Why a user must enrol: "rule", the administrators' rule names them; "administrator", they are an
 * administrator without any second factor while other users exist (always on, not a setting).
 */
export type EnrolmentReason = "rule" | "administrator";

/** What a session opened for a user who must enrol carries: the methods that would count, and why. */
export interface EnrolmentDemand {
  readonly methods: readonly EnforcedMethod[];
  readonly reason: EnrolmentReason;
}

export interface MfaEnforcementService {
  get(actor: Actor): Promise<MfaEnforcementView>;
  set(actor: Actor, rule: { readonly scope: MfaEnforcementScope; readonly methods: readonly string[]; readonly groupIds?: readonly string[] | undefined }): Promise<MfaEnforcementView>;
  /** undefined: the user may do anything their role allows; else they must enrol one of the methods first. */
  enrolmentDemandOf(user: { readonly id: UserId; readonly role: Role }, groupIds: readonly GroupId[]): Promise<EnrolmentDemand | undefined>;
}

/** The methods a user holds, by name (TOTP and recovery codes from the verifier registry, passkeys, push devices…). */
export type HeldMethods = (userId: UserId) => Promise<ReadonlySet<string>>;

export function createMfaEnforcementService(deps: {
  store: Pick<Repositories, "mfaEnforcement" | "groups"> & { users: Pick<Repositories["users"], "listUsers" | "hasOtherEnabledUser"> };
  access: Pick<AccessService, "requireAdmin">;
  heldMethods: HeldMethods;
  auditLog: AuditLog;
  clock: Clock;
}): MfaEnforcementService {
  const { store, access, heldMethods, auditLog, clock } = deps;
  const FORBIDDEN = problem("mfa_enforcement_forbidden");

  async function demandOf(rule: MfaEnforcementRule, user: { readonly id: UserId; readonly role: Role }, groupIds: readonly string[]): Promise<EnrolmentDemand | undefined> {
    if (rule.scope === "off" || rule.methods.length === 0) return undefined;
    const isInRule = rule.scope === "everyone" || user.role === "admin" || groupIds.some((id) => rule.groupIds.includes(id));
    if (!isInRule) return undefined;
    const held = await heldMethods(user.id);
    return rule.methods.some((method) => held.has(method)) ? undefined : { methods: rule.methods, reason: "rule" };
  }

  /**
   * The administrators' rule first; then the one that is always on: an administrator with no second
   * factor at all, while another enabled user exists, must enrol (any method, or the rule's ones).
   */
  async function demandOfUser(rule: MfaEnforcementRule, user: { readonly id: UserId; readonly role: Role }, groupIds: readonly string[]): Promise<EnrolmentDemand | undefined> {
    const demand = await demandOf(rule, user, groupIds);
    if (user.role !== "admin") return demand;
    const held = await heldMethods(user.id);
    if (ENFORCEABLE_METHODS.some((method) => held.has(method))) return demand;
    if (!(await store.users.hasOtherEnabledUser(user.id))) return demand;
    return { methods: demand?.methods ?? ENFORCEABLE_METHODS, reason: "administrator" };
  }

  async function readRule(): Promise<MfaEnforcementRule & { readonly updatedAt: number | null }> {
    const stored = await store.mfaEnforcement.readEnforcement();
    const methods = ENFORCEABLE_METHODS.filter((method) => stored.methods.includes(method));
    return { scope: stored.scope, methods, groupIds: stored.groupIds, updatedAt: stored.updatedAt };
  }

  async function get(actor: Actor): Promise<MfaEnforcementView> {
    access.requireAdmin(actor, FORBIDDEN);
    const rule = await readRule();
    const users = (await store.users.listUsers()).filter((user) => user.disabledAt === null);
    let without = 0;
    if (users.length > 1) {
      for (const user of users.filter((u) => u.role === "admin")) {
        const held = await heldMethods(user.id);
        if (!ENFORCEABLE_METHODS.some((method) => held.has(method))) without += 1;
      }
    }
    return { ...rule, administratorsWithoutSecondFactor: without, warnings: without === 0 ? [] : [problem("administrators_without_second_factor", { count: without })] };
  }

  return {
    get,
    async set(actor, wanted) {
      access.requireAdmin(actor, FORBIDDEN);
      const asked = [...new Set(wanted.methods)];
      if (asked.includes("recovery_code")) throw invalidInput(problem("mfa_enforcement_method_fallback"), "methods");
      const methods = ENFORCEABLE_METHODS.filter((method) => asked.includes(method));
      if (wanted.scope !== "off" && methods.length === 0) throw invalidInput(problem("mfa_enforcement_methods_required"), "methods");
      const groupIds = wanted.scope === "groups" ? [...new Set(wanted.groupIds ?? [])] : [];
      if (wanted.scope === "groups" && groupIds.length === 0) throw invalidInput(problem("mfa_enforcement_groups_required"), "groupIds");
      for (const id of groupIds) {
        if ((await store.groups.findGroup(id as GroupId)) === undefined) throw invalidInput(problem("mfa_enforcement_group_unknown", { id: id.slice(0, 64) }), "groupIds");
      }
      const rule: MfaEnforcementRule = { scope: wanted.scope, methods, groupIds };
      // Administrators are always in a rule that is on: the one setting it must already satisfy it.
      if ((await demandOf(rule, { id: actor.userId, role: actor.role }, actor.groupIds)) !== undefined) throw conflict(problem("mfa_enforcement_own_factor_required"), "methods");
      await auditLog.commit(actor, {
        work: (tx) => tx.mfaEnforcement.writeEnforcement({ scope: rule.scope, methods: rule.methods, groupIds: rule.groupIds as GroupId[] }, actor.userId, clock.now()),
        events: () => [{ action: "mfa_enforcement.changed", details: { scope: rule.scope, methods: [...rule.methods], groupIds: [...rule.groupIds] } }],
      });
      return get(actor);
    },
    async enrolmentDemandOf(user, groupIds) {
      return demandOfUser(await readRule(), user, groupIds);
    },
  };
}
