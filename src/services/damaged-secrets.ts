// What a service does when a stored secret cannot be opened because its ciphertext is damaged
// (altered, cut short, naming a key the vault does not hold): nothing changes, the person is told
// which secret is damaged and what to do, and the attempt is audited with outcome failure. Other
// failures of the keyring (a destroyed keyring, say) are not damage and pass through untouched.
import { conflict, isWatchwordError, problem, type ProblemText, type WatchwordError } from "../core/errors.js";
import type { Caller } from "./actor.js";
import type { AuditFacts, AuditLog } from "./audit-log.js";

export const DAMAGED_SEED = problem("seed_damaged");
export const DAMAGED_RECOVERY_CODE = problem("recovery_code_damaged");
export const damagedRecoveryCodes = (damaged: number, total: number): ProblemText => problem("recovery_codes_damaged", { count: damaged, total });
export const damagedField = (key: string): ProblemText => problem("entry_field_damaged", { key });

/** True for the keyring's "this stored value cannot be opened" errors. */
export const isDamaged = (error: unknown): error is WatchwordError => isWatchwordError(error) && error.details.isDamagedData === true;

/** `open()`'s value, or "damaged" when the stored value is damaged; any other error is thrown. */
export function openOrDamaged<T>(open: () => T): T | "damaged" {
  try {
    return open();
  } catch (error) {
    if (isDamaged(error)) return "damaged";
    throw error;
  }
}

/** The failure event of an attempt that met a damaged secret. */
export const damagedEvent = (facts: AuditFacts): AuditFacts => ({ ...facts, outcome: "failure", details: { ...facts.details, problem: "damaged" } });

/** Audits the attempt as a failure, then refuses it with `message` (409: the stored secret is in no state to be used). */
export async function refuseDamaged(auditLog: AuditLog, actor: Caller, facts: AuditFacts, message: ProblemText): Promise<never> {
  await auditLog.commit(actor, { events: () => [damagedEvent(facts)] });
  throw conflict(message);
}
