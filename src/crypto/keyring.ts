// The key hierarchy: data keys seal fields, the key-encryption key (KEK) wraps data keys. The only
// module that holds the KEK. Sealed on doubt: a missing or wrong KEK with existing data throws and
// changes nothing, and a new key is never created over old data.
import { createHmac, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { internal, isWatchwordError, problem, sealed, WatchwordError } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import {
  KEY_BYTES,
  assertKeyVersion,
  openField,
  openWithContext,
  readSealedKeyVersion,
  sealField,
  sealWithContext,
} from "./envelope.js";
import type { FieldBinding } from "./envelope.js";
import type { KeyProvider } from "./key-provider.js";
import { deriveAuditKey, type AuditKey } from "./audit-key.js";

/** One row of the data-key table. Nothing here is secret: the key travels wrapped. */
export interface DataKeyRecord {
  version: number;
  /** The data key sealed under the KEK, in the envelope format, bound to `version`. */
  wrappedKey: Buffer;
  /** deriveKekId of the KEK that wrapped it, so a mismatch can be named without trying keys. */
  kekId: string;
  createdAt: number;
}

/** What the keyring needs from the store; the store layer implements it. */
export interface DataKeyStore {
  listDataKeys(): Promise<DataKeyRecord[]>;
  /** Must reject a second record with the same version (a unique key), so two nodes cannot both win. */
  insertDataKey(record: DataKeyRecord): Promise<void>;
}

export interface Keyring {
  /** Non-secret fingerprint of the KEK in use. */
  readonly kekId: string;
  /** The data-key version new seals use; older versions stay open-able. */
  readonly currentVersion: number;
  /** Every data-key version held, ascending. */
  readonly versions: readonly number[];
  seal(plaintext: Secret, binding: FieldBinding): Buffer;
  open(sealedValue: Uint8Array, binding: FieldBinding): Secret;
  /** False for a value sealed under an older data key: a rotation reseals it. */
  isSealedUnderCurrentKey(sealedValue: Uint8Array): boolean;
  /** Links the audit chain (derived from the KEK, see audit-key.ts). */
  readonly auditKey: AuditKey;
  /** Overwrites every key in memory; the keyring refuses all work afterwards. */
  destroy(): void;
}

export interface OpenKeyringOptions {
  provider: KeyProvider;
  dataKeys: DataKeyStore;
  /** Milliseconds since the Unix epoch, for DataKeyRecord.createdAt. */
  now: () => number;
}

const FIRST_VERSION = 1;
const KEK_ID_LABEL = "watchword key id";

/**
 * Loads the KEK and every data key, creating both on a first start only. Each of the four start
 * states is decided here and nowhere else:
 *  no data keys, no KEK  → create the KEK, then data key 1;
 *  no data keys, KEK     → create data key 1;
 *  data keys, no KEK     → throw sealed, create nothing;
 *  data keys, wrong KEK  → throw sealed, change nothing.
 */
export async function openKeyring(options: OpenKeyringOptions): Promise<Keyring> {
  const { provider, dataKeys, now } = options;
  let records = await dataKeys.listDataKeys();
  let kek = await provider.load();

  if (records.length === 0) {
    kek ??= await provider.create();
    const first = createDataKeyRecord(kek, FIRST_VERSION, now());
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
  }

  if (kek === null) {
    throw sealed(problem("key_missing_for_data", { source: provider.description }));
  }
  return new OpenedKeyring(kek, unwrapAll(kek, records, provider));
}

/** A non-secret fingerprint: HMAC-SHA256(KEK, label), first 64 bits in hex. It cannot reveal the KEK. */
export function deriveKekId(kek: Secret): string {
  return createHmac("sha256", kek.reveal()).update(KEK_ID_LABEL, "utf8").digest("hex").slice(0, 16);
}

/** A fresh 256-bit data key from the CSPRNG (ASVS 5.0 11.3.2, NIST SP 800-57) and its record. */
export function createDataKeyRecord(
  kek: Secret,
  version: number,
  createdAt: number,
): { record: DataKeyRecord; dataKey: Secret } {
  const bytes = randomBytes(KEY_BYTES);
  const dataKey = Secret.fromBytes(bytes);
  bytes.fill(0);
  const record = { version, wrappedKey: wrapDataKey(kek, version, dataKey), kekId: deriveKekId(kek), createdAt };
  return { record, dataKey };
}

/** Wraps a data key under the KEK, bound to its version so a wrapped key cannot change rows. */
export function wrapDataKey(kek: Secret, version: number, dataKey: Secret): Buffer {
  return sealWithContext(kek, version, dataKey, dataKeyContext(version));
}

export function unwrapDataKey(kek: Secret, record: DataKeyRecord): Secret {
  const dataKey = openWithContext(kek, record.version, record.wrappedKey, dataKeyContext(record.version));
  if (dataKey.length !== KEY_BYTES) {
    dataKey.destroy();
    throw internal(problem("data_key_wrong_length", { version: record.version, bytes: KEY_BYTES }));
  }
  return dataKey;
}

function dataKeyContext(version: number): Buffer {
  assertKeyVersion(version);
  return Buffer.from(`watchword/data-key/v${version}`, "utf8");
}

function unwrapAll(kek: Secret, records: readonly DataKeyRecord[], provider: KeyProvider): Map<number, Secret> {
  const kekId = deriveKekId(kek);
  const keys = new Map<number, Secret>();
  const fail = (error: WatchwordError): never => {
    for (const key of keys.values()) key.destroy();
    kek.destroy();
    throw error;
  };
  for (const record of [...records].sort((a, b) => a.version - b.version)) {
    if (!Number.isInteger(record.version) || record.version < 1 || keys.has(record.version)) {
      fail(sealed(problem("data_key_version_invalid", { version: String(record.version) })));
    }
    try {
      keys.set(record.version, unwrapDataKey(kek, record));
    } catch (error) {
      if (!isWatchwordError(error)) throw error;
      // The tag decides; kekId only chooses the sentence. A matching id that fails to unwrap
      // means the stored row is damaged, not that the operator brought the wrong key.
      fail(
        sealed(
          record.kekId === kekId
            ? problem("data_key_damaged", { version: record.version, source: provider.description, kekId })
            : problem("key_mismatch", { source: provider.description, storedKekId: record.kekId, kekId }),
        ),
      );
    }
  }
  return keys;
}

/**
 * Keeps the KEK beside the data keys so that rotation can grow this class without reshaping it:
 * a new data key version is createDataKeyRecord + insertDataKey + #install, and re-wrapping under
 * a new KEK is wrapDataKey over #dataKeys with the new KEK's deriveKekId.
 */
class OpenedKeyring implements Keyring {
  readonly kekId: string;
  readonly auditKey: AuditKey;
  readonly #kek: Secret;
  readonly #dataKeys: Map<number, Secret>;
  #currentVersion: number;
  #isDestroyed = false;

  constructor(kek: Secret, dataKeys: Map<number, Secret>) {
    this.#kek = kek;
    this.kekId = deriveKekId(kek);
    this.auditKey = deriveAuditKey(kek);
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
    this.#kek.destroy();
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
