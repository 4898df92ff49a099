// Rotating the key-encryption key online: every wrapped key (the data keys, the audit key) is
// re-wrapped under a new KEK, row by row, while servers keep serving (they hold their keys in
// memory and read no wrapped key after start). Each row moves in one compare-and-set, so a
// rotation killed half-way leaves every row wrapped by the old or the new KEK, both still present;
// running it again finishes onto the same new KEK. A KEK is retired only when no row names it.
import { problem, sealed } from "../core/errors.js";
import type { Secret } from "../core/secret.js";
import { auditKeyFromSecret } from "./audit-key.js";
import type { KeyEncryptionKey } from "./kek.js";
import type { KeyProvider } from "./key-provider.js";
import {
  keysFor,
  newestOf,
  unwrapAuditSecret,
  unwrapDataKey,
  unwrapWithAny,
  wrapAuditSecret,
  wrapDataKey,
  type AuditKeyRecord,
  type DataKeyRecord,
} from "./keyring.js";

/** One data key's new wrapping, applied only if the row is still wrapped by `fromKekId`. */
export interface RewrappedDataKey {
  readonly version: number;
  readonly fromKekId: string;
  readonly wrappedKey: Buffer;
  readonly kekId: string;
}

/** What a rotation needs from the store; the service layer gives it transactions. */
export interface RotationStore {
  listDataKeys(): Promise<DataKeyRecord[]>;
  /** Applies a batch in one transaction; returns how many rows were still wrapped by their fromKekId. */
  rewrapDataKeys(batch: readonly RewrappedDataKey[]): Promise<number>;
  readAuditKey(): Promise<AuditKeyRecord | undefined>;
  insertAuditKey(record: AuditKeyRecord): Promise<void>;
  rewrapAuditKey(fromKekId: string, wrappedKey: Buffer, kekId: string): Promise<boolean>;
}

export interface RotationPlan {
  /** The KEKs rows may be wrapped by now, which the rotation retires. */
  readonly fromKekIds: readonly string[];
  readonly toKekId: string;
  /** Where the new KEK lives ("the key file /data/master-2.key"). */
  readonly toKey: string;
  /** True when an earlier rotation onto the same new KEK did not finish. */
  readonly isResumed: boolean;
  readonly dataKeys: number;
}

export interface RotationProgress {
  readonly done: number;
  readonly total: number;
}

export interface RotationResult {
  readonly plan: RotationPlan;
  /** Data keys this run re-wrapped (an earlier, killed run may have moved the others). */
  readonly rewrapped: number;
  readonly retired: readonly { readonly kekId: string; readonly where: string }[];
}

export interface PreparedRotation {
  readonly plan: RotationPlan;
  run(onProgress?: (progress: RotationProgress) => void): Promise<RotationResult>;
  /** Forgets the keys without rotating (after run, or instead of it). */
  close(): void;
}

/** Rows per transaction: short enough that a server's writes never wait long behind one. */
export const REWRAP_BATCH = 100;

/**
 * Loads the KEKs and decides the target: with one KEK, a fresh rotation onto a new one made now;
 * with more (an earlier rotation stopped), the newest, so a second run finishes the first.
 */
export async function prepareKeyRotation(provider: KeyProvider, store: RotationStore): Promise<PreparedRotation> {
  if (provider.retireKey === undefined) throw sealed(problem("key_rotation_unsupported", { source: provider.description }));
  const keys = await provider.loadKeys();
  if (keys.length === 0) throw sealed(problem("key_missing_for_data", { source: provider.description }));
  const records = await store.listDataKeys();
  const isResumed = keys.length > 1;
  // Every row must open before anything is made: a wrong key refuses here and changes nothing.
  for (const record of records) {
    const dataKey = unwrapWithAny(keysFor(keys, record.kekId), (key) => unwrapDataKey(key, record));
    if (dataKey === undefined) {
      for (const key of keys) key.destroy();
      throw sealed(problem("key_mismatch", { source: provider.description, storedKekId: record.kekId, kekId: keys.map((k) => k.kekId).join(", ") }));
    }
    dataKey.destroy();
  }
  if (!isResumed) keys.push(await provider.createKey());
  const target = newestOf(keys);
  const sources = keys.slice(0, -1);
  const plan: RotationPlan = {
    fromKekIds: sources.map((key) => key.kekId),
    toKekId: target.kekId,
    toKey: target.description,
    isResumed,
    dataKeys: records.length,
  };
  let isClosed = false;
  const close = () => {
    if (isClosed) return;
    isClosed = true;
    for (const key of keys) key.destroy();
  };
  return {
    plan,
    close,
    async run(onProgress) {
      try {
        await moveAuditKey(store, keys, target);
        const rewrapped = await moveDataKeys(store, keys, target, onProgress);
        // Checked again from the rows themselves: only what no row names may go.
        const remaining = (await store.listDataKeys()).filter((record) => record.kekId !== target.kekId);
        const audit = await store.readAuditKey();
        if (remaining.length > 0) throw sealed(problem("key_rotation_incomplete", { version: remaining[0]!.version, kekId: remaining[0]!.kekId }));
        if (audit === undefined || audit.kekId !== target.kekId) throw sealed(problem("key_rotation_incomplete", { version: 0, kekId: audit?.kekId ?? "none" }));
        const retired: { kekId: string; where: string }[] = [];
        for (const key of sources) retired.push({ kekId: key.kekId, where: await provider.retireKey!(key) });
        return { plan, rewrapped, retired };
      } finally {
        close();
      }
    },
  };
}

/**
 * The audit key first: once it is under the new KEK, the old one is needed for data keys alone.
 * A vault that never stored it (it derived it from its first KEK) stores it now, so its chain
 * goes on under the same audit key after the first KEK is retired.
 */
async function moveAuditKey(store: RotationStore, keys: readonly KeyEncryptionKey[], target: KeyEncryptionKey): Promise<void> {
  const stored = await store.readAuditKey();
  if (stored?.kekId === target.kekId) return;
  let secret: Secret | undefined;
  if (stored === undefined) {
    secret = keys[0]!.deriveLegacyAuditSecret?.();
  } else {
    secret = unwrapWithAny(keysFor(keys, stored.kekId), (key) => unwrapAuditSecret(key, stored));
  }
  if (secret === undefined) throw sealed(problem("audit_key_unopened", { storedKekId: stored?.kekId ?? "none", source: keys[0]!.description }));
  try {
    const wrappedKey = wrapAuditSecret(target, secret);
    if (stored === undefined) {
      const probe = auditKeyFromSecret(secret);
      const keyId = probe.keyId;
      probe.destroy();
      await store.insertAuditKey({ wrappedKey, kekId: target.kekId, keyId, createdAt: Date.now() }).catch(async (error: unknown) => {
        // Another rotation stored it first; it must be under the same target, or this one stops.
        if ((await store.readAuditKey())?.kekId !== target.kekId) throw error;
      });
    } else if (!(await store.rewrapAuditKey(stored.kekId, wrappedKey, target.kekId))) {
      if ((await store.readAuditKey())?.kekId !== target.kekId) throw sealed(problem("key_rotation_incomplete", { version: 0, kekId: stored.kekId }));
    }
  } finally {
    secret.destroy();
  }
}

async function moveDataKeys(
  store: RotationStore,
  keys: readonly KeyEncryptionKey[],
  target: KeyEncryptionKey,
  onProgress: ((progress: RotationProgress) => void) | undefined,
): Promise<number> {
  const records = await store.listDataKeys();
  const pending = records.filter((record) => record.kekId !== target.kekId);
  let done = records.length - pending.length;
  let rewrapped = 0;
  onProgress?.({ done, total: records.length });
  for (let start = 0; start < pending.length; start += REWRAP_BATCH) {
    const batch = pending.slice(start, start + REWRAP_BATCH).map((record): RewrappedDataKey => {
      const dataKey = unwrapWithAny(keysFor(keys, record.kekId), (key) => unwrapDataKey(key, record));
      if (dataKey === undefined) throw sealed(problem("data_key_damaged", { version: record.version, source: keys[0]!.description, kekId: record.kekId }));
      try {
        return { version: record.version, fromKekId: record.kekId, wrappedKey: wrapDataKey(target, record.version, dataKey), kekId: target.kekId };
      } finally {
        dataKey.destroy();
      }
    });
    rewrapped += await store.rewrapDataKeys(batch);
    done += batch.length;
    onProgress?.({ done, total: records.length });
  }
  return rewrapped;
}
