// Recovery codes of target accounts and secret template fields: revealed one at a time with a
// reason, each reveal audited before the value leaves.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { canManageEntry } from "../core/entry-access.js";
import { conflict, forbidden, invalidInput, notFound } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { fieldBinding, recoveryBinding, type EntryService } from "./entries.js";
import { checkRecoveryCodes } from "./entry-input.js";

export interface RecoveryCodeService {
  revealNext(actor: Actor, entryId: string, reason: string): Promise<{ code: string; remaining: number }>;
  revealAll(actor: Actor, entryId: string, reason: string): Promise<{ code: string; used: boolean }[]>;
  replace(actor: Actor, entryId: string, codes: readonly string[]): Promise<void>;
  revealField(actor: Actor, entryId: string, key: string, reason: string): Promise<string>;
}

export function createRecoveryCodeService(deps: { store: Store; entries: Pick<EntryService, "loadUsable">; keyring: Keyring; auditLog: AuditLog; clock: Clock }): RecoveryCodeService {
  const { store, entries, keyring, auditLog, clock } = deps;
  const open = (entryId: string, codeId: string, sealed: Buffer): string => {
    const secret = keyring.open(sealed, recoveryBinding(entryId, codeId));
    const text = secret.revealUtf8();
    secret.destroy();
    return text;
  };
  const checkReason = (reason: string): string => {
    const trimmed = reason.trim();
    if (trimmed.length < 3) throw invalidInput("Say why you need it (at least a few words): the reason is kept in the audit log.", "reason");
    return trimmed;
  };

  return {
    async revealNext(actor, entryId, reason) {
      const why = checkReason(reason);
      const entry = await entries.loadUsable(actor, entryId);
      const taken = await auditLog.commit(actor, {
        work: async (tx: TransactionScope) => {
          const code = await tx.recoveryCodes.takeNextRecoveryCode(entryId, actor.userId, clock.now());
          if (code === undefined) throw conflict("Every recovery code of this entry has been used. Ask its owner to add new ones.");
          const remaining = (await tx.recoveryCodes.countRecoveryCodes([entryId])).get(entryId)?.remaining ?? 0;
          return { code, remaining };
        },
        events: ({ code, remaining }: { code: { position: number }; remaining: number }) => [
          { action: "recovery_code.revealed", entry: { id: entry.id, name: entry.name }, reason: why, details: { position: code.position, remaining } },
        ],
      });
      return { code: open(entryId, taken.code.id, taken.code.codeSealed), remaining: taken.remaining };
    },

    async revealAll(actor, entryId, reason) {
      const why = checkReason(reason);
      const entry = await entries.loadUsable(actor, entryId);
      if (!canManageEntry(actor, entry)) throw forbidden("Revealing every recovery code is for the entry's owner or an administrator.");
      const codes = await store.recoveryCodes.listRecoveryCodes(entryId);
      if (codes.length === 0) throw conflict("This entry has no recovery codes.");
      const opened = codes.map((c) => ({ code: open(entryId, c.id, c.codeSealed), used: c.usedAt !== null }));
      await auditLog.commit(actor, { events: () => [{ action: "recovery_codes.revealed_all", entry: { id: entry.id, name: entry.name }, reason: why, details: { count: codes.length } }] });
      return opened;
    },

    async replace(actor, entryId, rawCodes) {
      const entry = await entries.loadUsable(actor, entryId);
      if (!canManageEntry(actor, entry)) throw forbidden("Only the entry's owner or an administrator can replace its recovery codes.");
      const codes = checkRecoveryCodes(rawCodes)!;
      const sealed = codes.map((code, position) => {
        const id = randomUUID();
        return { id, position, codeSealed: keyring.seal(Secret.fromUtf8(code), recoveryBinding(entryId, id)) };
      });
      await auditLog.commit(actor, {
        work: (tx: TransactionScope) => tx.recoveryCodes.replaceRecoveryCodes(entryId, sealed),
        events: () => [{ action: "recovery_codes.replaced", entry: { id: entry.id, name: entry.name }, details: { count: codes.length } }],
      });
    },

    async revealField(actor, entryId, key, reason) {
      const why = checkReason(reason);
      const entry = await entries.loadUsable(actor, entryId);
      const field = (await store.entries.listFields(entryId)).find((f) => f.key === key);
      if (field === undefined) throw notFound(`This entry has no field "${key.slice(0, 40)}".`);
      if (field.valueSealed === null) throw invalidInput(`The field "${key}" is not secret: it is shown with the entry.`, "key");
      const secret = keyring.open(field.valueSealed, fieldBinding(entryId, key));
      const value = secret.revealUtf8();
      secret.destroy();
      await auditLog.commit(actor, { events: () => [{ action: "field.revealed", entry: { id: entry.id, name: entry.name }, reason: why, details: { field: key } }] });
      return value;
    },
  };
}
