// Where the key-encryption keys (KEKs) come from: key files (one per generation), an environment
// value handed in by the configuration module, or a PKCS#11 HSM (pkcs11-key-provider.ts). Never
// reads process.env, never overwrites an existing key, and never echoes key material (or a
// malformed value) in an error.
import { randomBytes } from "node:crypto";
import { constants, readdirSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { problem, sealed } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import { KEY_BYTES } from "./envelope.js";
import { softwareKek, type KeyEncryptionKey } from "./kek.js";

export interface KeyProvider {
  /** Names where the keys live, for messages to the operator ("the key file /data/master.key"). */
  readonly description: string;
  /**
   * Every active KEK, oldest first; empty when there is none yet (a first start). Throws when one
   * is present but unusable. During a rotation there are two: the old one and the new one.
   */
  loadKeys(): Promise<KeyEncryptionKey[]>;
  /** Makes a new KEK (the first, or the next generation for a rotation) and stores it; never replaces one. */
  createKey(): Promise<KeyEncryptionKey>;
  /**
   * Takes a KEK that nothing needs any more out of the active set (the last step of a rotation),
   * keeping it for old backups; returns where it went. Absent: this provider cannot rotate.
   */
  retireKey?(key: KeyEncryptionKey): Promise<string>;
  /** True when a key is kept beside the data (a key file): a key without a database means the database was lost. */
  isStoredBesideData?(): boolean;
  /** Ends the provider's hold on its keys' home (an HSM session); the keys made by it stop working. */
  close?(): Promise<void>;
}

export interface KeyFileProvider extends KeyProvider {
  readonly path: string;
  /** The first generation's key (the file at `path`), or null when it does not exist. */
  load(): Promise<Secret | null>;
  /** Creates the first generation's key file. */
  create(): Promise<Secret>;
  /**
   * A sentence for the operator when the key file can be read by more than its owner, or null.
   * The provider only reports; the caller decides whether to warn or refuse.
   */
  checkPermissions(): Promise<string | null>;
}

export const MASTER_KEY_VARIABLE = "WATCHWORD_MASTER_KEY";

const KEY_FILE_MODE = 0o600;
const KEY_DIRECTORY_MODE = 0o700;
const KEY_HINT = `base64 of exactly ${KEY_BYTES} random bytes (for example from \`openssl rand -base64 ${KEY_BYTES}\`)`;

/**
 * A key file holding base64 of 32 random bytes and a newline (ASVS 5.0 11.3.2: 256-bit key from a
 * CSPRNG). Created once, with O_EXCL and mode 0600, so that a second start can never replace it.
 */
export function createKeyFileProvider(path: string): KeyFileProvider {
  const directory = dirname(path);
  const generations = keyFileGenerations(path);
  const pathOf = (generation: number): string => (generation === 1 ? path : join(directory, generations.nameOf(generation)));
  const describe = (file: string): string => `the key file ${file}`;

  const listGenerations = async (withRetired: boolean): Promise<number[]> => {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return [];
      throw sealed(problem("key_file_unreadable", { source: describe(directory), reason: errorCode(error) ?? "unknown error" }));
    }
    return names
      .map((name) => generations.parse(name, withRetired))
      .filter((generation): generation is number => generation !== undefined)
      .sort((a, b) => a - b);
  };

  const createFile = async (file: string): Promise<Secret> => {
    const bytes = randomBytes(KEY_BYTES);
    try {
      await mkdir(directory, { recursive: true, mode: KEY_DIRECTORY_MODE });
      await writeNewFile(file, `${bytes.toString("base64")}\n`);
      await syncDirectory(directory);
      return Secret.fromBytes(bytes);
    } catch (error) {
      if (errorCode(error) === "EEXIST") {
        throw sealed(problem("key_file_exists", { path: file }));
      }
      throw sealed(problem("key_file_not_created", { source: describe(file), reason: errorCode(error) ?? "unknown error" }));
    } finally {
      bytes.fill(0);
    }
  };

  const files = new Map<string, string>(); // kekId → the file it came from, for retireKey

  return {
    path,
    description: describe(path),

    load: () => readKeyFile(path, describe(path)),

    create: () => createFile(path),

    async loadKeys(): Promise<KeyEncryptionKey[]> {
      const keys: KeyEncryptionKey[] = [];
      for (const generation of await listGenerations(false)) {
        const file = pathOf(generation);
        const secret = await readKeyFile(file, describe(file));
        // Gone between the listing and the read: a rotation retired it, and nothing needs it.
        if (secret === null) continue;
        const key = softwareKek(secret, describe(file));
        files.set(key.kekId, file);
        keys.push(key);
      }
      return keys;
    },

    async createKey(): Promise<KeyEncryptionKey> {
      // Retired generations count too, so a number never names two keys.
      const next = Math.max(0, ...(await listGenerations(true))) + 1;
      const file = pathOf(next);
      const key = softwareKek(await createFile(file), describe(file));
      files.set(key.kekId, file);
      return key;
    },

    async retireKey(key: KeyEncryptionKey): Promise<string> {
      const file = files.get(key.kekId);
      if (file === undefined) throw sealed(problem("key_not_from_provider", { kekId: key.kekId, source: describe(path) }));
      const retired = `${file}${RETIRED_SUFFIX}`;
      try {
        // rename never replaces a retired key: a second retirement of the same name gets the key id too.
        await rename(file, (await fileExists(retired)) ? `${file}.${key.kekId}${RETIRED_SUFFIX}` : retired);
        await syncDirectory(directory);
      } catch (error) {
        throw sealed(problem("key_file_not_retired", { source: describe(file), reason: errorCode(error) ?? "unknown error" }));
      }
      files.delete(key.kekId);
      return retired;
    },

    isStoredBesideData(): boolean {
      try {
        return readdirSync(directory).some((name) => generations.parse(name, false) !== undefined);
      } catch {
        return false;
      }
    },

    async checkPermissions(): Promise<string | null> {
      // POSIX modes mean nothing on Windows; the file's ACL is the operator's business there.
      if (process.platform === "win32") return null;
      for (const generation of await listGenerations(false)) {
        const file = pathOf(generation);
        let mode: number;
        try {
          mode = (await stat(file)).mode & 0o777;
        } catch (error) {
          if (errorCode(error) === "ENOENT") continue;
          throw error;
        }
        if ((mode & ~KEY_FILE_MODE) === 0) continue;
        return (
          `The key file ${file} has mode ${mode.toString(8).padStart(4, "0")}, so others than its owner ` +
          `may read it; run \`chmod 600 ${file}\`.`
        );
      }
      return null;
    },
  };
}

const RETIRED_SUFFIX = ".retired";

/**
 * Key file names by generation: generation 1 is the file configured (master.key), generation N
 * the same name with -N before the extension (master-2.key). A retired key keeps its name with
 * ".retired" after it, and is never loaded.
 */
function keyFileGenerations(path: string): { nameOf(generation: number): string; parse(name: string, withRetired: boolean): number | undefined } {
  const name = basename(path);
  const dot = name.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${escape(stem)}(?:-([1-9][0-9]{0,5}))?${escape(extension)}((?:\\.[0-9a-f]{16})?${escape(RETIRED_SUFFIX)})?$`);
  return {
    nameOf: (generation) => `${stem}-${generation}${extension}`,
    parse(candidate, withRetired) {
      const match = pattern.exec(candidate);
      if (match === null || (match[2] !== undefined && !withRetired)) return undefined;
      return match[1] === undefined ? 1 : Number(match[1]);
    },
  };
}

async function readKeyFile(path: string, description: string): Promise<Secret | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw sealed(problem("key_file_unreadable", { source: description, reason: errorCode(error) ?? "unknown error" }));
  }
  const key = decodeKey(text.replace(/\r?\n$/, ""));
  if (key === null) throw sealed(problem("key_file_not_key", { source: description, expected: KEY_HINT }));
  return key;
}

const fileExists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * The key handed in from WATCHWORD_MASTER_KEY by the configuration module (the only reader of
 * process.env). Validated here, at construction, so a bad value stops the start at once.
 */
export function createEnvKeyProvider(base64Value: string): KeyProvider & { load(): Promise<Secret>; create(): Promise<Secret> } {
  const key = decodeKey(base64Value.trim());
  if (key === null) {
    // Never echo the value: a near-miss key is still most of a key.
    throw sealed(problem("key_variable_not_key", { variable: MASTER_KEY_VARIABLE, expected: KEY_HINT }));
  }
  const description = `the ${MASTER_KEY_VARIABLE} environment variable`;
  return {
    description,
    async load(): Promise<Secret> {
      // A copy each time, so that a caller destroying its Secret does not wipe the provider's.
      return Secret.fromBytes(key.reveal());
    },
    async create(): Promise<Secret> {
      throw sealed(problem("key_variable_not_created", { variable: MASTER_KEY_VARIABLE, expected: KEY_HINT }));
    },
    async loadKeys(): Promise<KeyEncryptionKey[]> {
      return [softwareKek(Secret.fromBytes(key.reveal()), description)];
    },
    async createKey(): Promise<KeyEncryptionKey> {
      throw sealed(problem("key_variable_not_created", { variable: MASTER_KEY_VARIABLE, expected: KEY_HINT }));
    },
    // No retireKey: Watchword cannot change a variable the operator sets, so it cannot rotate it.
  };
}

/** Strict, canonical base64 of exactly KEY_BYTES bytes, or null; Buffer.from alone is too lenient. */
function decodeKey(text: string): Secret | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, "base64");
  try {
    if (bytes.length !== KEY_BYTES || bytes.toString("base64") !== text) return null;
    return Secret.fromBytes(bytes);
  } finally {
    bytes.fill(0);
  }
}

/** O_EXCL refuses an existing file (or a symlink planted in its place); fsync makes the key durable. */
async function writeNewFile(path: string, content: string): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  const handle = await open(path, flags, KEY_FILE_MODE);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    // The file is ours and half-written; leaving it would seal the next start for no reason.
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/** A new file's directory entry is durable only once the directory itself is synced. */
async function syncDirectory(path: string): Promise<void> {
  if (process.platform === "win32") return; // directories cannot be opened for fsync there
  const handle = await open(path, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return undefined;
}
