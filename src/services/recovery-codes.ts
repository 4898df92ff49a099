// Recovery codes of target accounts and secret template fields: revealed one at a time with a
// reason, each reveal audited before the value leaves. An entry that asks for a step-up before each
// code asks for it before each recovery code too (one reveal or all of them) and each secret field.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { conflict, invalidInput, notFound, problem } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Store, TransactionScope } from "../store/store.js";
import { principalIdOf, type Actor, type Caller } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { fieldBinding, recoveryBinding, type EntryService } from "./entries.js";
import { checkRecoveryCodes } from "./entry-input.js";
import type { StepUpService } from "./step-ups.js";
import { DAMAGED_RECOVERY_CODE, damagedEvent, damagedField, damagedRecoveryCodes, openOrDamaged, refuseDamaged } from "./damaged-secrets.js";

/** What revealing the next recovery code found: its text, or a damaged code left unused. */
type Reveal = { readonly kind: "revealed"; readonly code: string; readonly position: number; readonly remaining: number } | { readonly kind: "damaged"; readonly position: number };

export interface RecoveryCodeService {
  revealNext(actor: Caller, entryId: string, reason: string): Promise<{ code: string; remaining: number }>;
  revealAll(actor: Actor, entryId: string, reason: string): Promise<{ code: string; used: boolean }[]>;
  replace(actor: Actor, entryId: string, codes: readonly string[]): Promise<void>;
  revealField(actor: Actor, entryId: string, key: string, reason: string): Promise<string>;
}

export function createRecoveryCodeService(deps: {
  store: Store;
  entries: Pick<EntryService, "loadUsable" | "loadForUse">;
  keyring: Keyring;
  auditLog: AuditLog;
  clock: Clock;
  /** Entries and folders that ask for a fresh second factor before each code (services/step-ups.ts). */
  stepUps?: Pick<StepUpService, "requireFresh">;
}): RecoveryCodeService {
  const { store, entries, keyring, auditLog, clock, stepUps } = deps;
  const open = (entryId: string, codeId: string, sealed: Buffer): string => {
    const secret = keyring.open(sealed, recoveryBinding(entryId, codeId));
    const text = secret.revealUtf8();
    secret.destroy();
    return text;
  };
  const checkReason = (reason: string): string => {
    const trimmed = reason.trim();
    if (trimmed.length < 3) throw invalidInput(problem("reveal_reason_required"), "reason");
    return trimmed;
  };

  return {
    async revealNext(actor, entryId, reason) {
      const why = checkReason(reason);
      const { entry, approvedBy } = await entries.loadForUse(actor, entryId, "recover");
      // After the access check, so that a hidden entry stays a 404.
      await stepUps?.requireFresh(actor, entryId);
      const revealed = (position: number) => ({ action: "recovery_code.revealed", entry: { id: entry.id, name: entry.name, folderId: entry.folderId }, reason: why, details: { position }, ...(approvedBy === undefined ? {} : { approvedBy }) });
      // The code is opened inside the transaction, before it is claimed: a damaged one stays
      // unused and its event says so, and nothing after the commit can fail.
      const taken = await auditLog.commit(actor, {
        work: async (tx: TransactionScope): Promise<Reveal> => {
          // Look, then claim only if still unused: two people revealing at once get two different codes.
          for (let attempt = 0; attempt < 5; attempt += 1) {
            const next = await tx.recoveryCodes.findNextUnusedRecoveryCode(entryId);
            if (next === undefined) break;
            const code = openOrDamaged(() => open(entryId, next.id, next.codeSealed));
            if (code === "damaged") return { kind: "damaged", position: next.position };
            if (!(await tx.recoveryCodes.claimRecoveryCode(next.id, principalIdOf(actor), clock.now()))) continue;
            const remaining = (await tx.recoveryCodes.countRecoveryCodes([entryId])).get(entryId)?.remaining ?? 0;
            return { kind: "revealed", code, position: next.position, remaining };
          }
          throw conflict(problem("recovery_codes_used_up"));
        },
        events: (result: Reveal) =>
          result.kind === "damaged" ? [damagedEvent(revealed(result.position))] : [{ ...revealed(result.position), details: { position: result.position, remaining: result.remaining } }],
      });
      if (taken.kind === "damaged") throw conflict(DAMAGED_RECOVERY_CODE);
      return { code: taken.code, remaining: taken.remaining };
    },

    async revealAll(actor, entryId, reason) {
      const why = checkReason(reason);
      const entry = await entries.loadUsable(actor, entryId, "manage", problem("recovery_codes_reveal_forbidden"));
      await stepUps?.requireFresh(actor, entryId);
      const codes = await store.recoveryCodes.listRecoveryCodes(entryId);
      if (codes.length === 0) throw conflict(problem("recovery_codes_none"));
      const facts = { action: "recovery_codes.revealed_all", entry: { id: entry.id, name: entry.name, folderId: entry.folderId }, reason: why, details: { count: codes.length } };
      const opened = codes.map((c) => ({ code: openOrDamaged(() => open(entryId, c.id, c.codeSealed)), used: c.usedAt !== null, position: c.position }));
      const damaged = opened.filter((c) => c.code === "damaged");
      if (damaged.length > 0) {
        const failure = { ...facts, details: { ...facts.details, damagedPositions: damaged.map((c) => c.position) } };
        return refuseDamaged(auditLog, actor, failure, damagedRecoveryCodes(damaged.length, codes.length));
      }
      await auditLog.commit(actor, { events: () => [facts] });
      return opened.map((c) => ({ code: c.code as string, used: c.used }));
    },

    async replace(actor, entryId, rawCodes) {
      const entry = await entries.loadUsable(actor, entryId, "manage", problem("recovery_codes_replace_forbidden"));
      const codes = checkRecoveryCodes(rawCodes)!;
      const sealed = codes.map((code, position) => {
        const id = randomUUID();
        return { id, position, codeSealed: keyring.seal(Secret.fromUtf8(code), recoveryBinding(entryId, id)) };
      });
      await auditLog.commit(actor, {
        work: (tx: TransactionScope) => tx.recoveryCodes.replaceRecoveryCodes(entryId, sealed),
        events: () => [{ action: "recovery_codes.replaced", entry: { id: entry.id, name: entry.name, folderId: entry.folderId }, details: { count: codes.length } }],
      });
    },

    async revealField(actor, entryId, key, reason) {
      const why = checkReason(reason);
      const { entry, approvedBy } = await entries.loadForUse(actor, entryId);
      // A secret field is as guarded as the entry's codes: the same fresh step-up, after the access check.
      await stepUps?.requireFresh(actor, entryId);
      const field = (await store.entries.listFields(entryId)).find((f) => f.key === key);
      if (field === undefined) throw notFound(problem("entry_field_unknown", { key: key.slice(0, 40) }));
      if (field.valueSealed === null) throw invalidInput(problem("entry_field_not_secret", { key }), "key");
      const sealedValue = field.valueSealed;
      const facts = { action: "field.revealed", entry: { id: entry.id, name: entry.name, folderId: entry.folderId }, reason: why, details: { field: key }, ...(approvedBy === undefined ? {} : { approvedBy }) };
      const value = openOrDamaged(() => {
        const secret = keyring.open(sealedValue, fieldBinding(entryId, key));
        const text = secret.revealUtf8();
        secret.destroy();
        return text;
      });
      if (value === "damaged") return refuseDamaged(auditLog, actor, facts, damagedField(key));
      await auditLog.commit(actor, { events: () => [facts] });
      return value;
    },
  };
}
