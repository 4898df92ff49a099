// Where the key-encryption key (KEK) comes from: a key file, an environment value handed in by
// the configuration module, and later a PKCS#11 HSM. Never reads process.env, never overwrites
// an existing key, and never echoes key material (or a malformed value) in an error.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { problem, sealed } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import { KEY_BYTES } from "./envelope.js";

export interface KeyProvider {
  /** Names where the key lives, for messages to the operator ("the key file /data/master.key"). */
  readonly description: string;
  /** The KEK, or null when there is none yet (a first start). Throws when it is present but unusable. */
  load(): Promise<Secret | null>;
  /** Makes a new KEK and stores it; throws if this provider cannot create keys or one already exists. */
  create(): Promise<Secret>;
}

export interface KeyFileProvider extends KeyProvider {
  readonly path: string;
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
  const description = `the key file ${path}`;
  return {
    path,
    description,

    async load(): Promise<Secret | null> {
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
    },

    async create(): Promise<Secret> {
      const parent = dirname(path);
      const bytes = randomBytes(KEY_BYTES);
      try {
        await mkdir(parent, { recursive: true, mode: KEY_DIRECTORY_MODE });
        await writeNewFile(path, `${bytes.toString("base64")}\n`);
        await syncDirectory(parent);
        return Secret.fromBytes(bytes);
      } catch (error) {
        if (errorCode(error) === "EEXIST") {
          throw sealed(problem("key_file_exists", { path }));
        }
        throw sealed(problem("key_file_not_created", { source: description, reason: errorCode(error) ?? "unknown error" }));
      } finally {
        bytes.fill(0);
      }
    },

    async checkPermissions(): Promise<string | null> {
      // POSIX modes mean nothing on Windows; the file's ACL is the operator's business there.
      if (process.platform === "win32") return null;
      let mode: number;
      try {
        mode = (await stat(path)).mode & 0o777;
      } catch (error) {
        if (errorCode(error) === "ENOENT") return null;
        throw error;
      }
      if ((mode & ~KEY_FILE_MODE) === 0) return null;
      return (
        `The key file ${path} has mode ${mode.toString(8).padStart(4, "0")}, so others than its owner ` +
        `may read it; run \`chmod 600 ${path}\`.`
      );
    },
  };
}

/**
 * The key handed in from WATCHWORD_MASTER_KEY by the configuration module (the only reader of
 * process.env). Validated here, at construction, so a bad value stops the start at once.
 */
export function createEnvKeyProvider(base64Value: string): KeyProvider {
  const key = decodeKey(base64Value.trim());
  if (key === null) {
    // Never echo the value: a near-miss key is still most of a key.
    throw sealed(problem("key_variable_not_key", { variable: MASTER_KEY_VARIABLE, expected: KEY_HINT }));
  }
  return {
    description: `the ${MASTER_KEY_VARIABLE} environment variable`,
    async load(): Promise<Secret> {
      // A copy each time, so that a caller destroying its Secret does not wipe the provider's.
      return Secret.fromBytes(key.reveal());
    },
    async create(): Promise<Secret> {
      throw sealed(problem("key_variable_not_created", { variable: MASTER_KEY_VARIABLE, expected: KEY_HINT }));
    },
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
