// Opening the vault: the store, its migrations and the keyring, in the order that keeps the
// promise "sealed on doubt": with existing data, the key is checked before anything is written.
import path from "node:path";
import type { ServerConfig } from "../config.js";
import { systemClock, type Clock } from "../core/clock.js";
import { createEnvKeyProvider, createKeyFileProvider, type KeyProvider } from "../crypto/key-provider.js";
import { openKeyring, type Keyring } from "../crypto/keyring.js";
import { createPkcs11KeyProvider } from "../crypto/pkcs11-key-provider.js";
import { problem, sealed, type WatchwordError } from "../core/errors.js";
import { absentDatabase, openStore, type Store } from "../store/store.js";

export const KEY_FILE_NAME = "master.key";
const AUDIT_KEY_MIGRATION = "0019-key-rotation";

export interface Vault {
  readonly store: Store;
  readonly keyring: Keyring;
  /** Where the keyring's KEKs came from (`watchword keys rotate` makes the next one there). */
  readonly provider: KeyProvider;
  /** Sentences for the operator, e.g. a key file readable by others. */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

type KeyConfig = Pick<ServerConfig, "masterKey" | "dataDir"> & { readonly keyProvider?: ServerConfig["keyProvider"] };

export function keyProviderFor(config: KeyConfig): KeyProvider {
  const chosen = config.keyProvider;
  if (chosen?.kind === "pkcs11") return createPkcs11KeyProvider(chosen);
  return config.masterKey !== undefined ? createEnvKeyProvider(config.masterKey) : createKeyFileProvider(path.join(config.dataDir, KEY_FILE_NAME));
}

export interface OpenVaultOptions {
  readonly config: KeyConfig & Pick<ServerConfig, "databaseUrl">;
  readonly clock?: Clock;
  /** Tests give each run its own PostgreSQL schema. */
  readonly postgresSchema?: string;
  /** SQLite: checkpoint the WAL in a worker thread (the long-running server), not inside commits. */
  readonly backgroundCheckpoints?: boolean;
  /** Create the database even though the key file exists (`--new-vault`); an existing database is never touched. */
  readonly newVault?: boolean;
}

/**
 * A key file is created together with the vault's database, so a key file without a database means
 * the database was lost (deleted, a wrong --data-dir, a restore gone wrong), not a first start:
 * a new empty vault would hand its setup link to whoever opens it first. A key handed in through
 * the environment proves nothing either way.
 */
function lostDatabase(database: string, state: "missing" | "empty", provider: KeyProvider): WatchwordError {
  return sealed(problem(state === "missing" ? "vault_database_missing" : "vault_database_empty", { database, key: provider.description }));
}

const isStoredBesideData = (provider: KeyProvider): boolean => provider.isStoredBesideData?.() === true;

export async function openVault(options: OpenVaultOptions): Promise<Vault> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const target = {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    backgroundCheckpoints: options.backgroundCheckpoints ?? false,
    ...(options.postgresSchema === undefined ? {} : { postgresSchema: options.postgresSchema }),
  };
  const provider = keyProviderFor(config);
  const refuseNewVault = options.newVault !== true && isStoredBesideData(provider);
  // Checked before opening: opening a SQLite file creates it.
  const absent = absentDatabase(target);
  if (refuseNewVault && absent !== undefined) throw lostDatabase(absent, "missing", provider);
  const store = openStore(target);
  try {
    const status = await store.migrationStatus();
    const isFresh = status.pending.length > 0 && status.pending[0] === "0001-initial";
    if (isFresh && refuseNewVault) throw lostDatabase(store.description, "empty", provider);
    // A fresh database gets its schema first (the keyring stores data keys in it); a database
    // with data has its key checked first, so a wrong key changes nothing.
    if (isFresh) await store.migrate();
    // The audit key's table comes with migration 0019; before it, a vault derives its audit key.
    const hasAuditKeyTable = isFresh || !status.pending.includes(AUDIT_KEY_MIGRATION);
    const keyring = await openKeyring({
      provider,
      dataKeys: store.dataKeys,
      ...(hasAuditKeyTable ? { auditKeys: store.dataKeys } : {}),
      now: () => clock.now(),
    });
    if (!isFresh) await store.migrate();
    store.linkAuditChainWith(keyring.auditKey.link);
    const warnings: string[] = [];
    if (!(await store.ensureSearchIndex())) {
      warnings.push("PostgreSQL's pg_trgm extension is not installed, so entry search reads every entry; install it (CREATE EXTENSION pg_trgm) and restart to index search.");
    }
    if ("checkPermissions" in provider && typeof provider.checkPermissions === "function") {
      const warning = (await provider.checkPermissions()) as string | null;
      if (warning !== null) warnings.push(warning);
    }
    return {
      store,
      keyring,
      provider,
      warnings,
      async close() {
        keyring.destroy();
        await provider.close?.();
        await store.close();
      },
    };
  } catch (error) {
    await provider.close?.();
    await store.close();
    throw error;
  }
}
