// `watchword keys rotate`: re-wraps every stored key under a new key-encryption key while the
// servers keep serving, and audits it (started, then rotated or failed) through the audit log, so
// the chain records who rotated, from which key ids to which. The crypto is crypto/key-rotation.ts.
import { isWatchwordError } from "../core/errors.js";
import { prepareKeyRotation, type RotationPlan, type RotationProgress, type RotationResult, type RotationStore } from "../crypto/key-rotation.js";
import type { KeyProvider } from "../crypto/key-provider.js";
import type { Store } from "../store/store.js";
import type { AuditFacts, AuditLog, LocalOperator } from "./audit-log.js";

export interface KeyRotationDeps {
  readonly provider: KeyProvider;
  readonly store: Pick<Store, "dataKeys" | "transaction">;
  readonly auditLog: AuditLog;
  readonly operator: LocalOperator;
  /** Told the plan once it is decided, before any row moves. */
  readonly onPlan?: (plan: RotationPlan) => void;
  readonly onProgress?: (progress: RotationProgress) => void;
}

const VAULT_TARGET = { type: "vault", id: "key-encryption-key", name: "key-encryption key" } as const;

/** The store as a rotation sees it: each batch of re-wraps is one transaction. */
export function rotationStoreOf(store: Pick<Store, "dataKeys" | "transaction">): RotationStore {
  return {
    listDataKeys: () => store.dataKeys.listDataKeys(),
    rewrapDataKeys: (batch) =>
      store.transaction(async (tx) => {
        let applied = 0;
        for (const change of batch) {
          if (await tx.dataKeys.rewrapDataKey(change.version, change.fromKekId, change.wrappedKey, change.kekId)) applied += 1;
        }
        return applied;
      }),
    readAuditKey: () => store.dataKeys.readAuditKey(),
    insertAuditKey: (record) => store.dataKeys.insertAuditKey(record),
    rewrapAuditKey: (fromKekId, wrappedKey, kekId) => store.dataKeys.rewrapAuditKey(fromKekId, wrappedKey, kekId),
  };
}

export async function rotateKeys(deps: KeyRotationDeps): Promise<RotationResult> {
  const { provider, store, auditLog, operator } = deps;
  const audit = (facts: AuditFacts) => auditLog.commit(operator, { events: () => [{ target: VAULT_TARGET, ...facts }] });
  let plan: RotationPlan | undefined;
  const started = Date.now();
  try {
    const rotation = await prepareKeyRotation(provider, rotationStoreOf(store));
    plan = rotation.plan;
    try {
      await audit({ action: "key.rotation_started", details: { ...planDetails(plan) } });
    } catch (error) {
      rotation.close();
      throw error;
    }
    deps.onPlan?.(plan);
    const result = await rotation.run(deps.onProgress);
    await audit({
      action: "key.rotated",
      details: { ...planDetails(plan), rewrapped: result.rewrapped, retiredKekIds: result.retired.map((r) => r.kekId), milliseconds: Date.now() - started },
    });
    return result;
  } catch (error) {
    // A refused or failed rotation is audited too; the event names the problem, never a key.
    await audit({
      action: "key.rotated",
      outcome: "failure",
      reason: isWatchwordError(error) ? (error.key ?? error.code) : "internal",
      details: plan === undefined ? {} : planDetails(plan),
    }).catch(() => undefined);
    throw error;
  }
}

const planDetails = (plan: RotationPlan) => ({ fromKekIds: plan.fromKekIds, toKekId: plan.toKekId, isResumed: plan.isResumed, dataKeys: plan.dataKeys });
