// The key hierarchy: data keys seal fields, the key-encryption key (KEK) wraps data keys and the
// audit key. The only module that holds the KEKs once loaded. Sealed on doubt: a missing or wrong KEK with existing data throws and
// changes nothing, and a new key is never created over old data.
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { internal, isWatchwordError, problem, sealed, WatchwordError } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import { KEY_BYTES, assertKeyVersion, openField, readSealedKeyVersion, sealField } from "./envelope.js";
import type { FieldBinding } from "./envelope.js";
import type { KeyProvider } from "./key-provider.js";
import { AUDIT_KEY_BYTES, auditKeyFromSecret, type AuditKey } from "./audit-key.js";
import { deriveKekId, softwareKek, type KeyEncryptionKey } from "./kek.js";

/** One row of the data-key table. Nothing here is secret: the key travels wrapped. */
export interface DataKeyRecord {
  version: number;
  /** The data key sealed under the KEK, in the envelope format, bound to `version`. */
  wrappedKey: Buffer;
  /** deriveKekId of the KEK that wrapped it, so a mismatch can be named without trying keys. */
  kekId: string;
  createdAt: number;
}

/** The audit key as stored: wrapped under a KEK (see migration 0019). */
export interface AuditKeyRecord {
  wrappedKey: Buffer;
  kekId: string;
  /** The audit key's own id (AuditKey.keyId). */
  keyId: string;
  createdAt: number;
}

/** What the keyring needs from the store; the store layer implements it. */
export interface DataKeyStore {
  listDataKeys(): Promise<DataKeyRecord[]>;
  /** Must reject a second record with the same version (a unique key), so two nodes cannot both win. */
  insertDataKey(record: DataKeyRecord): Promise<void>;
}

/** Where the wrapped audit key lives; absent on a database not yet migrated to 0019. */
export interface AuditKeyStore {
  readAuditKey(): Promise<AuditKeyRecord | undefined>;
  /** Must reject a second audit key. */
  insertAuditKey(record: AuditKeyRecord): Promise<void>;
}

export interface Keyring {
  /** Non-secret fingerprint of the KEK new wraps use (the newest one). */
  readonly kekId: string;
  /** Every KEK loaded, oldest first: two while a rotation is under way. */
  readonly kekIds: readonly string[];
  /** The data-key version new seals use; older versions stay open-able. */
  readonly currentVersion: number;
  /** Every data-key version held, ascending. */
  readonly versions: readonly number[];
  seal(plaintext: Secret, binding: FieldBinding): Buffer;
  open(sealedValue: Uint8Array, binding: FieldBinding): Secret;
  /** False for a value sealed under an older data key: a rotation reseals it. */
  isSealedUnderCurrentKey(sealedValue: Uint8Array): boolean;
  /** Links the audit chain (stored wrapped, or derived from the first KEK on older vaults: see audit-key.ts). */
  readonly auditKey: AuditKey;
  /** Overwrites every key in memory; the keyring refuses all work afterwards. */
  destroy(): void;
}

export interface OpenKeyringOptions {
  provider: KeyProvider;
  dataKeys: DataKeyStore;
  /** The wrapped audit key's table, once migration 0019 has run. */
  auditKeys?: AuditKeyStore;
  /** Milliseconds since the Unix epoch, for DataKeyRecord.createdAt. */
  now: () => number;
}

const FIRST_VERSION = 1;
/** The wrapped audit key's envelope names version 1 (the envelope has no version 0) and its own context. */
export const AUDIT_KEY_WRAP_VERSION = 1;
const AUDIT_KEY_CONTEXT = Buffer.from("watchword/audit-key", "utf8");

/**
 * Loads the KEKs and every data key, creating both on a first start only. Each of the four start
 * states is decided here and nowhere else:
 *  no data keys, no KEK  → create the KEK, then data key 1;
 *  no data keys, KEK     → create data key 1;
 *  data keys, no KEK     → throw sealed, create nothing;
 *  data keys, wrong KEK  → throw sealed, change nothing.
 */
export async function openKeyring(options: OpenKeyringOptions): Promise<Keyring> {
  const { provider, dataKeys, auditKeys, now } = options;
  let records = await dataKeys.listDataKeys();
  let keys = await provider.loadKeys();
  const isFirstStart = records.length === 0;

  if (isFirstStart) {
    if (keys.length === 0) keys = [await provider.createKey()];
    const first = createDataKeyRecord(newestOf(keys), FIRST_VERSION, now());
    first.dataKey.destroy(); // unwrapped again below, through the same path as every later start
    try {
      await dataKeys.insertDataKey(first.record);
      records = [first.record];
    } catch (error) {
      // Another node may have inserted data key 1 between our list and insert; if so, go on
      // with its key (which must unwrap under our KEK like any other), otherwise report ours.
      records = await dataKeys.listDataKeys();
      if (records.length === 0) throw error;
    }
  } else if (records.some((record) => !keys.some((key) => key.kekId === record.kekId))) {
    // A rotation may have made a new KEK, or retired an old one, between our two reads: read both once more.
    destroyAll(keys);
    keys = await provider.loadKeys();
    records = await dataKeys.listDataKeys();
  }

  if (keys.length === 0) {
    throw sealed(problem("key_missing_for_data", { source: provider.description }));
  }
  const unwrapped = unwrapAll(keys, records, provider);
  let auditKey: AuditKey;
  try {
    auditKey = await openAuditKey({ keys, auditKeys, provider, now, mayCreate: isFirstStart });
  } catch (error) {
    for (const key of unwrapped.values()) key.destroy();
    destroyAll(keys);
    throw error;
  }
  return new OpenedKeyring(keys, unwrapped, auditKey);
}

export { deriveKekId };

/** A KEK in either form: a software key's bytes (tests, older callers) or a KeyEncryptionKey. */
export type KekLike = Secret | KeyEncryptionKey;
const asKek = (kek: KekLike): KeyEncryptionKey => (kek instanceof Secret ? softwareKek(kek, "a key in memory") : kek);

/** A fresh 256-bit data key from the CSPRNG (ASVS 5.0 11.3.2, NIST SP 800-57) and its record. */
export function createDataKeyRecord(
  kek: KekLike,
  version: number,
  createdAt: number,
): { record: DataKeyRecord; dataKey: Secret } {
  const bytes = randomBytes(KEY_BYTES);
  const dataKey = Secret.fromBytes(bytes);
  bytes.fill(0);
  const key = asKek(kek);
  const record = { version, wrappedKey: wrapDataKey(key, version, dataKey), kekId: key.kekId, createdAt };
  return { record, dataKey };
}

/** Wraps a data key under the KEK, bound to its version so a wrapped key cannot change rows. */
export function wrapDataKey(kek: KekLike, version: number, dataKey: Secret): Buffer {
  return asKek(kek).wrap(version, dataKey, dataKeyContext(version));
}

export function unwrapDataKey(kek: KekLike, record: DataKeyRecord): Secret {
  const dataKey = asKek(kek).unwrap(record.version, record.wrappedKey, dataKeyContext(record.version));
  if (dataKey.length !== KEY_BYTES) {
    dataKey.destroy();
    throw internal(problem("data_key_wrong_length", { version: record.version, bytes: KEY_BYTES }));
  }
  return dataKey;
}

/** Wraps the audit key's bytes under a KEK, in its own context so it can never pass for a data key. */
export function wrapAuditSecret(kek: KeyEncryptionKey, secret: Secret): Buffer {
  return kek.wrap(AUDIT_KEY_WRAP_VERSION, secret, AUDIT_KEY_CONTEXT);
}

export function unwrapAuditSecret(kek: KeyEncryptionKey, record: Pick<AuditKeyRecord, "wrappedKey">): Secret {
  const secret = kek.unwrap(AUDIT_KEY_WRAP_VERSION, record.wrappedKey, AUDIT_KEY_CONTEXT);
  if (secret.length !== AUDIT_KEY_BYTES) {
    secret.destroy();
    throw internal(problem("key_wrong_length", { bytes: AUDIT_KEY_BYTES, length: secret.length }));
  }
  return secret;
}

function dataKeyContext(version: number): Buffer {
  assertKeyVersion(version);
  return Buffer.from(`watchword/data-key/v${version}`, "utf8");
}

export const newestOf = (keys: readonly KeyEncryptionKey[]): KeyEncryptionKey => keys[keys.length - 1]!;

function destroyAll(keys: readonly KeyEncryptionKey[]): void {
  for (const key of keys) key.destroy();
}

/** The KEKs worth trying for a row: the one its id names, else (a single key, or a mislabelled row) all of them. */
export function keysFor(keys: readonly KeyEncryptionKey[], kekId: string): readonly KeyEncryptionKey[] {
  const named = keys.filter((key) => key.kekId === kekId);
  return named.length > 0 ? named : keys;
}

/** Unwraps with the first of `keys` whose tag passes, or returns undefined. */
export function unwrapWithAny<T>(keys: readonly KeyEncryptionKey[], unwrap: (key: KeyEncryptionKey) => T): T | undefined {
  for (const key of keys) {
    try {
      return unwrap(key);
    } catch (error) {
      if (!isWatchwordError(error)) throw error;
    }
  }
  return undefined;
}

function unwrapAll(keys: readonly KeyEncryptionKey[], records: readonly DataKeyRecord[], provider: KeyProvider): Map<number, Secret> {
  const kekIds = keys.map((key) => key.kekId).join(", ");
  const unwrapped = new Map<number, Secret>();
  const fail = (error: WatchwordError): never => {
    for (const key of unwrapped.values()) key.destroy();
    destroyAll(keys);
    throw error;
  };
  for (const record of [...records].sort((a, b) => a.version - b.version)) {
    if (!Number.isInteger(record.version) || record.version < 1 || unwrapped.has(record.version)) {
      fail(sealed(problem("data_key_version_invalid", { version: String(record.version) })));
    }
    const dataKey = unwrapWithAny(keysFor(keys, record.kekId), (key) => unwrapDataKey(key, record));
    if (dataKey !== undefined) {
      unwrapped.set(record.version, dataKey);
      continue;
    }
    // The tag decides; kekId only chooses the sentence. A matching id that fails to unwrap
    // means the stored row is damaged, not that the operator brought the wrong key.
    fail(
      sealed(
        keys.some((key) => key.kekId === record.kekId)
          ? problem("data_key_damaged", { version: record.version, source: provider.description, kekId: record.kekId })
          : problem("key_mismatch", { source: provider.description, storedKekId: record.kekId, kekId: kekIds }),
      ),
    );
  }
  return unwrapped;
}

/**
 * The stored audit key, unwrapped; else, on a vault from before migration 0019 or never rotated,
 * the one derived from its first KEK; else, on a first start under a KEK with no bytes to derive
 * from (an HSM key), a new random one, stored wrapped. Never a new one over an existing chain.
 */
async function openAuditKey(options: {
  keys: readonly KeyEncryptionKey[];
  auditKeys: AuditKeyStore | undefined;
  provider: KeyProvider;
  now: () => number;
  mayCreate: boolean;
}): Promise<AuditKey> {
  const { keys, auditKeys, provider, now, mayCreate } = options;
  let stored = await auditKeys?.readAuditKey();
  const legacy = keys[0]!.deriveLegacyAuditSecret;
  if (stored === undefined && legacy === undefined && auditKeys !== undefined && mayCreate) {
    const bytes = randomBytes(AUDIT_KEY_BYTES);
    const secret = Secret.fromBytes(bytes);
    bytes.fill(0);
    const newest = newestOf(keys);
    const probe = auditKeyFromSecret(secret);
    const keyId = probe.keyId;
    probe.destroy();
    try {
      await auditKeys.insertAuditKey({ wrappedKey: wrapAuditSecret(newest, secret), kekId: newest.kekId, keyId, createdAt: now() });
    } catch (error) {
      // Another node's first start stored one first: use its key, as with data key 1.
      if ((await auditKeys.readAuditKey()) === undefined) throw error;
    } finally {
      secret.destroy();
    }
    stored = await auditKeys.readAuditKey();
  }
  if (stored !== undefined) {
    const record = stored;
    const secret = unwrapWithAny(keysFor(keys, record.kekId), (key) => unwrapAuditSecret(key, record));
    if (secret === undefined) throw sealed(problem("audit_key_unopened", { storedKekId: record.kekId, source: provider.description }));
    const auditKey = auditKeyFromSecret(secret);
    secret.destroy();
    return auditKey;
  }
  if (legacy === undefined) throw sealed(problem("audit_key_absent", { source: provider.description }));
  const secret = keys[0]!.deriveLegacyAuditSecret!();
  const auditKey = auditKeyFromSecret(secret);
  secret.destroy();
  return auditKey;
}

/**
 * Holds the KEKs, the data keys they unwrapped and the audit key. Re-wrapping under a new KEK is
 * key-rotation.ts's work, on the stored rows; a new data key version is createDataKeyRecord +
 * insertDataKey + #install.
 */
class OpenedKeyring implements Keyring {
  readonly kekId: string;
  readonly kekIds: readonly string[];
  readonly auditKey: AuditKey;
  readonly #keks: readonly KeyEncryptionKey[];
  readonly #dataKeys: Map<number, Secret>;
  #currentVersion: number;
  #isDestroyed = false;

  constructor(keks: readonly KeyEncryptionKey[], dataKeys: Map<number, Secret>, auditKey: AuditKey) {
    this.#keks = keks;
    this.kekId = newestOf(keks).kekId;
    this.kekIds = keks.map((key) => key.kekId);
    this.auditKey = auditKey;
    this.#dataKeys = dataKeys;
    this.#currentVersion = Math.max(...dataKeys.keys());
  }

  get currentVersion(): number {
    return this.#currentVersion;
  }

  get versions(): readonly number[] {
    return [...this.#dataKeys.keys()].sort((a, b) => a - b);
  }

  seal(plaintext: Secret, binding: FieldBinding): Buffer {
    return sealField(this.#dataKey(this.#currentVersion), this.#currentVersion, plaintext, binding);
  }

  open(sealedValue: Uint8Array, binding: FieldBinding): Secret {
    const version = readSealedKeyVersion(sealedValue);
    return openField(this.#dataKey(version), version, sealedValue, binding);
  }

  isSealedUnderCurrentKey(sealedValue: Uint8Array): boolean {
    return readSealedKeyVersion(sealedValue) === this.#currentVersion;
  }

  destroy(): void {
    for (const key of this.#dataKeys.values()) key.destroy();
    this.auditKey.destroy();
    destroyAll(this.#keks);
    this.#isDestroyed = true;
  }

  #dataKey(version: number): Secret {
    const key = this.#dataKeys.get(version);
    if (key === undefined) {
      throw new WatchwordError("internal", problem("data_key_unknown", { version }), { isDamagedData: true });
    }
    return this.#usable(key);
  }

  /** A destroyed Secret keeps its length, so without this check it would seal under an all-zero key. */
  #usable(key: Secret): Secret {
    if (this.#isDestroyed) throw internal(problem("keyring_destroyed"));
    return key;
  }

  // What a log line or a reply shows if a keyring reaches one by mistake: identifiers only.
  toJSON(): { kekId: string; currentVersion: number } {
    return { kekId: this.kekId, currentVersion: this.#currentVersion };
  }

  [inspect.custom](): string {
    const { kekId, currentVersion } = this.toJSON();
    return `Keyring { kekId: '${kekId}', currentVersion: ${currentVersion} }`;
  }
}
