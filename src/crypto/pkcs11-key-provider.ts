// The key-encryption key in an HSM, through PKCS#11: the KEK is an AES-256 key on the token,
// sensitive and non-extractable, and wrapping and unwrapping run inside the HSM (CKM_AES_GCM, in
// the same envelope format as a software KEK). Never puts the PIN, or anything the module says
// beyond its CKR_ code, in an error; never uses a key that could leave the HSM.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type * as Pkcs11Module from "pkcs11js";
import { isWatchwordError, problem, sealed } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, authenticationFailed, encodeSealedHeader, splitSealed } from "./envelope.js";
import { HSM_KEK_ID_LABEL, type KeyEncryptionKey } from "./kek.js";
import type { KeyProvider } from "./key-provider.js";

export interface Pkcs11Options {
  /** The module (shared library) path, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  readonly module: string;
  /** The slot id, or the token's label: one of the two. */
  readonly slot?: number | undefined;
  readonly tokenLabel?: string | undefined;
  /** The user PIN, or a file holding it (first line). */
  readonly pin?: Secret | undefined;
  readonly pinFile?: string | undefined;
  /** The label every generation of the KEK carries; a retired one carries it with ".retired". */
  readonly keyLabel: string;
}

type Pkcs11 = typeof Pkcs11Module;
type Handle = Buffer;

const RETIRED_SUFFIX = ".retired";
const KEK_ID_BYTES = 8;

/** One loaded module per path: C_Initialize may run once per process, however many providers use it. */
const modules = new Map<string, { lib: Pkcs11; p11: Pkcs11Module.PKCS11; users: number }>();

const reasonOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  // The module's own words stop at its CKR_ code: nothing else it says is ours to repeat.
  return /\bCKR_[A-Z0-9_]+/.exec(message)?.[0] ?? "error";
};

async function loadModule(path: string): Promise<{ lib: Pkcs11; p11: Pkcs11Module.PKCS11; release(): void }> {
  let entry = modules.get(path);
  if (entry === undefined) {
    let lib: Pkcs11;
    try {
      const imported = (await import("pkcs11js")) as Pkcs11 & { default?: Pkcs11 };
      lib = imported.default ?? imported;
    } catch (error) {
      throw sealed(problem("pkcs11_module_unloadable", { module: "pkcs11js", reason: error instanceof Error ? error.message.split("\n")[0]! : "error" }));
    }
    const p11 = new lib.PKCS11();
    try {
      p11.load(path);
    } catch (error) {
      // dlopen's message names the file and why (no such file, wrong ELF class): nothing secret.
      const message = error instanceof Error ? error.message.split("\n")[0]! : "error";
      throw sealed(problem("pkcs11_module_unloadable", { module: path, reason: message.replace(`${path}: `, "").slice(0, 200) }));
    }
    try {
      p11.C_Initialize();
    } catch (error) {
      if (reasonOf(error) !== "CKR_CRYPTOKI_ALREADY_INITIALIZED") {
        throw sealed(problem("pkcs11_module_unloadable", { module: path, reason: reasonOf(error) }));
      }
    }
    entry = { lib, p11, users: 0 };
    modules.set(path, entry);
  }
  entry.users += 1;
  const held = entry;
  let isReleased = false;
  return {
    lib: held.lib,
    p11: held.p11,
    release() {
      if (isReleased) return;
      isReleased = true;
      held.users -= 1;
      if (held.users > 0) return;
      modules.delete(path);
      try {
        held.p11.C_Finalize();
      } catch {
        // Finalizing is tidying up; the process may be ending anyway.
      }
    },
  };
}

export function createPkcs11KeyProvider(options: Pkcs11Options): KeyProvider {
  const token = options.tokenLabel !== undefined ? `"${options.tokenLabel}"` : `in slot ${String(options.slot)}`;
  const description = `the PKCS#11 key "${options.keyLabel}" on token ${token}`;
  let opened: Promise<Session> | undefined;
  const session = (): Promise<Session> => {
    opened ??= openSession(options, token).catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };

  return {
    description,
    async loadKeys() {
      const s = await session();
      return s.findKeys(options.keyLabel).map((handle) => s.kekOf(handle, options.keyLabel));
    },
    async createKey() {
      const s = await session();
      const generation = Math.max(0, ...[options.keyLabel, options.keyLabel + RETIRED_SUFFIX].flatMap((label) => s.findKeys(label, false).map((h) => s.generationOf(h)))) + 1;
      return s.kekOf(s.generateKey(options.keyLabel, generation), options.keyLabel);
    },
    async retireKey(key) {
      const s = await session();
      return s.retire(key, options.keyLabel + RETIRED_SUFFIX);
    },
    async close() {
      const current = opened;
      opened = undefined;
      if (current !== undefined) (await current.catch(() => undefined))?.close();
    },
  };
}

interface Session {
  findKeys(label: string, isChecked?: boolean): Handle[];
  generationOf(handle: Handle): number;
  kekOf(handle: Handle, label: string): KeyEncryptionKey;
  generateKey(label: string, generation: number): Handle;
  retire(key: KeyEncryptionKey, label: string): string;
  close(): void;
}

async function readPin(options: Pkcs11Options): Promise<Secret> {
  if (options.pin !== undefined) return options.pin;
  const file = options.pinFile!;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "error";
    throw sealed(problem("config_pkcs11_pin_file_unreadable", { path: file, reason: code }));
  }
  return Secret.fromUtf8(text.split(/\r?\n/)[0] ?? "");
}

async function openSession(options: Pkcs11Options, token: string): Promise<Session> {
  const module = await loadModule(options.module);
  const { lib, p11 } = module;
  const fail = (operation: string, error: unknown): never => {
    throw sealed(problem("pkcs11_failed", { operation, reason: reasonOf(error) }));
  };
  let handle: Handle | undefined;
  try {
    const slot = findSlot(p11, options);
    if (slot === undefined) throw sealed(problem("pkcs11_token_missing", { module: options.module, token }));
    try {
      handle = p11.C_OpenSession(slot, lib.CKF_RW_SESSION | lib.CKF_SERIAL_SESSION);
    } catch (error) {
      fail("opening a session", error);
    }
    const pin = await readPin(options);
    try {
      p11.C_Login(handle!, lib.CKU_USER, pin.revealUtf8());
    } catch (error) {
      // Another session of this process signed in already: that is a signed-in session too.
      if (reasonOf(error) !== "CKR_USER_ALREADY_LOGGED_IN") throw sealed(problem("pkcs11_login_failed", { token, reason: reasonOf(error) }));
    } finally {
      if (options.pin === undefined) pin.destroy();
    }
  } catch (error) {
    if (handle !== undefined) closeQuietly(p11, handle);
    module.release();
    throw error;
  }
  const s = handle!;
  const ids = new Map<string, Handle>();

  const attributes = (object: Handle, types: number[]) => p11.C_GetAttributeValue(s, object, types.map((type) => ({ type })));

  const session: Session = {
    findKeys(label, isChecked = true) {
      try {
        p11.C_FindObjectsInit(s, [
          { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
          { type: lib.CKA_LABEL, value: label },
        ]);
        const found = p11.C_FindObjects(s, 64);
        p11.C_FindObjectsFinal(s);
        const keys = found.map((object) => ({ object, generation: session.generationOf(object) }));
        keys.sort((a, b) => a.generation - b.generation);
        if (isChecked) for (const { object } of keys) checkKey(object, label);
        return keys.map((k) => k.object);
      } catch (error) {
        if (isWatchwordError(error)) throw error; // ours: a refused key
        return fail("looking for the key", error);
      }
    },
    generationOf(object) {
      const [id] = attributes(object, [lib.CKA_ID]);
      const bytes = id?.value instanceof Buffer ? id.value : Buffer.alloc(0);
      return bytes.length === 4 ? bytes.readUInt32BE(0) : 0;
    },
    kekOf(object, label) {
      let kekId: string;
      try {
        p11.C_SignInit(s, { mechanism: lib.CKM_AES_CMAC }, object);
        kekId = p11.C_Sign(s, Buffer.from(HSM_KEK_ID_LABEL, "utf8"), Buffer.alloc(16)).subarray(0, KEK_ID_BYTES).toString("hex");
      } catch (error) {
        throw sealed(problem("pkcs11_key_unusable", { key: `"${label}" on token ${token}`, reason: reasonOf(error) }));
      }
      ids.set(kekId, object);
      return hsmKek(p11, lib, s, object, kekId, `the PKCS#11 key "${label}" (generation ${session.generationOf(object)}) on token ${token}`);
    },
    generateKey(label, generation) {
      const id = Buffer.alloc(4);
      id.writeUInt32BE(generation, 0);
      try {
        return p11.C_GenerateKey(s, { mechanism: lib.CKM_AES_KEY_GEN }, [
          { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
          { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
          { type: lib.CKA_VALUE_LEN, value: KEY_BYTES },
          { type: lib.CKA_TOKEN, value: true },
          { type: lib.CKA_PRIVATE, value: true },
          { type: lib.CKA_LABEL, value: label },
          { type: lib.CKA_ID, value: id },
          { type: lib.CKA_ENCRYPT, value: true },
          { type: lib.CKA_DECRYPT, value: true },
          { type: lib.CKA_SIGN, value: true },
          { type: lib.CKA_WRAP, value: false },
          { type: lib.CKA_UNWRAP, value: false },
          // The promise: the KEK never leaves the HSM.
          { type: lib.CKA_SENSITIVE, value: true },
          { type: lib.CKA_EXTRACTABLE, value: false },
        ]);
      } catch (error) {
        return fail("creating a key", error);
      }
    },
    retire(key, label) {
      const object = ids.get(key.kekId);
      if (object === undefined) throw sealed(problem("key_not_from_provider", { kekId: key.kekId, source: token }));
      try {
        // Relabelled, not destroyed: backups taken before the rotation still need it.
        p11.C_SetAttributeValue(s, object, [{ type: lib.CKA_LABEL, value: label }]);
      } catch (error) {
        fail("retiring a key", error);
      }
      return `the PKCS#11 key "${label}" on token ${token}`;
    },
    close() {
      closeQuietly(p11, s);
      module.release();
    },
  };

  /** Refuses a key that could leave the HSM, or that is not an AES-256 key. */
  function checkKey(object: Handle, label: string): void {
    const key = `"${label}" on token ${token}`;
    const [keyType, length, extractable, sensitive] = attributes(object, [lib.CKA_KEY_TYPE, lib.CKA_VALUE_LEN, lib.CKA_EXTRACTABLE, lib.CKA_SENSITIVE]).map((a) => a.value as Buffer);
    if (extractable?.[0] !== 0) throw sealed(problem("pkcs11_key_extractable", { key, attribute: "CKA_EXTRACTABLE is true" }));
    if (sensitive?.[0] !== 1) throw sealed(problem("pkcs11_key_extractable", { key, attribute: "CKA_SENSITIVE is false" }));
    if (keyType === undefined || ulongOf(keyType) !== lib.CKK_AES) throw sealed(problem("pkcs11_key_unusable", { key, reason: "not an AES key" }));
    if (length === undefined || ulongOf(length) !== KEY_BYTES) throw sealed(problem("pkcs11_key_unusable", { key, reason: "not 256 bits" }));
  }

  return session;
}

function findSlot(p11: Pkcs11Module.PKCS11, options: Pkcs11Options): Handle | undefined {
  const slots = p11.C_GetSlotList(true);
  if (options.tokenLabel !== undefined) {
    return slots.find((slot) => p11.C_GetTokenInfo(slot).label.trim() === options.tokenLabel);
  }
  return slots.find((slot) => ulongOf(slot) === options.slot);
}

/** A CK_ULONG as the module hands it over: native-endian bytes, 8 of them on 64-bit Linux. */
function ulongOf(bytes: Buffer): number {
  return bytes.length === 8 ? Number(bytes.readBigUInt64LE(0)) : bytes.readUIntLE(0, Math.min(6, bytes.length));
}

function closeQuietly(p11: Pkcs11Module.PKCS11, session: Handle): void {
  try {
    p11.C_Logout(session);
  } catch {
    // Not signed in, or another session of ours still is: either way the session closes next.
  }
  try {
    p11.C_CloseSession(session);
  } catch {
    // Already closed with the module.
  }
}

/** A KEK whose AES-GCM runs in the HSM; this process sees the wrapped and unwrapped values only. */
function hsmKek(p11: Pkcs11Module.PKCS11, lib: Pkcs11, session: Handle, key: Handle, kekId: string, description: string): KeyEncryptionKey {
  let isDestroyed = false;
  const gcm = (nonce: Buffer, aad: Buffer) => ({
    mechanism: lib.CKM_AES_GCM,
    parameter: { type: lib.CK_PARAMS_GCM, iv: nonce, ivBits: NONCE_BYTES * 8, aad, tagBits: TAG_BYTES * 8 },
  });
  const usable = () => {
    if (isDestroyed) throw sealed(problem("keyring_destroyed"));
  };
  return {
    kekId,
    description,
    wrap(keyVersion, plaintext, context) {
      usable();
      const header = encodeSealedHeader(keyVersion);
      const nonce = randomBytes(NONCE_BYTES);
      let sealedBytes: Buffer;
      try {
        p11.C_EncryptInit(session, gcm(nonce, Buffer.concat([header, context])), key);
        sealedBytes = p11.C_Encrypt(session, plaintext.reveal(), Buffer.alloc(plaintext.length + TAG_BYTES));
      } catch (error) {
        throw sealed(problem("pkcs11_failed", { operation: "wrapping a key", reason: reasonOf(error) }));
      }
      return Buffer.concat([header, nonce, sealedBytes]);
    },
    unwrap(keyVersion, wrapped, context) {
      usable();
      const parts = splitSealed(wrapped, keyVersion);
      let plain: Buffer;
      try {
        p11.C_DecryptInit(session, gcm(Buffer.from(parts.nonce), Buffer.concat([parts.header, context])), key);
        plain = p11.C_Decrypt(session, Buffer.concat([parts.ciphertext, parts.tag]), Buffer.alloc(parts.ciphertext.length + TAG_BYTES));
      } catch {
        // SoftHSM says CKR_GENERAL_ERROR, others CKR_ENCRYPTED_DATA_INVALID: a failed tag either way.
        throw authenticationFailed();
      }
      const secret = Secret.fromBytes(plain);
      plain.fill(0);
      return secret;
    },
    destroy() {
      isDestroyed = true;
    },
  };
}
