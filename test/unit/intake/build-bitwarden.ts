// Writes Bitwarden's password-protected JSON exports from a known plain export, the way Bitwarden's
// clients do (EncryptedExportType "password protected"): a key from the password by PBKDF2-SHA256
// (salt as UTF-8 text) or Argon2id (salt = SHA-256 of that text, memory in MiB), stretched by
// HKDF-Expand into an encryption key and a MAC key, and EncStrings of type 2: "2.iv|ciphertext|mac",
// AES-256-CBC then HMAC-SHA256 over iv ‖ ciphertext. test/fixtures/bitwarden holds two files it
// wrote once, with Bitwarden's default KDF settings, so the importer is also read against fixed files.
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, randomUUID } from "node:crypto";
import { argon2id } from "hash-wasm";

export type BitwardenKdf =
  | { readonly type: 0; readonly iterations: number }
  | { readonly type: 1; readonly iterations: number; readonly memoryMib: number; readonly parallelism: number };

export interface BitwardenKeys {
  readonly enc: Buffer;
  readonly mac: Buffer;
}

export type PasswordProtectedExport = Record<string, unknown> & { encKeyValidation_DO_NOT_EDIT: string; data: string };

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** The 32-byte key Bitwarden derives from a password and the export's salt. */
export async function deriveBitwardenKey(password: string, salt: string, kdf: BitwardenKdf): Promise<Buffer> {
  if (kdf.type === 0) return pbkdf2Sync(password, Buffer.from(salt, "utf8"), kdf.iterations, 32, "sha256");
  const saltHash = createHash("sha256").update(salt, "utf8").digest();
  const key = await argon2id({ password, salt: saltHash, iterations: kdf.iterations, memorySize: kdf.memoryMib * 1024, parallelism: kdf.parallelism, hashLength: 32, outputType: "binary" });
  return Buffer.from(key);
}

/** HKDF-Expand (RFC 5869 §2.3) to one SHA-256 block: HMAC(key, info ‖ 0x01). */
const expandOneBlock = (key: Buffer, info: string): Buffer => createHmac("sha256", key).update(Buffer.concat([Buffer.from(info, "utf8"), Buffer.from([1])])).digest();

export const stretchBitwardenKey = (key: Buffer): BitwardenKeys => ({ enc: expandOneBlock(key, "enc"), mac: expandOneBlock(key, "mac") });

/** An EncString of type 2, with a fresh IV. */
export function encString(keys: BitwardenKeys, plain: Uint8Array, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv("aes-256-cbc", keys.enc, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac("sha256", keys.mac).update(Buffer.concat([iv, ciphertext])).digest();
  return `2.${b64(iv)}|${b64(ciphertext)}|${b64(mac)}`;
}

/** A password-protected export of `plain` (an unencrypted export's JSON object), as an object to tamper with. */
export async function passwordProtectedBitwarden(plain: unknown, password: string, kdf: BitwardenKdf, salt = b64(randomBytes(16))): Promise<PasswordProtectedExport> {
  const keys = stretchBitwardenKey(await deriveBitwardenKey(password, salt, kdf));
  return {
    encrypted: true,
    passwordProtected: true,
    salt,
    kdfType: kdf.type,
    kdfIterations: kdf.iterations,
    kdfMemory: kdf.type === 1 ? kdf.memoryMib : null,
    kdfParallelism: kdf.type === 1 ? kdf.parallelism : null,
    encKeyValidation_DO_NOT_EDIT: encString(keys, Buffer.from(randomUUID(), "utf8")),
    data: encString(keys, Buffer.from(JSON.stringify(plain, null, 2), "utf8")),
  };
}

/** A plain Bitwarden export of logins with TOTPs: what password-protected exports are made from. */
export function plainBitwardenExport(logins: readonly { name: string; totp: string; username?: string; folder?: string }[]): Record<string, unknown> {
  const folderNames = [...new Set(logins.flatMap((login) => (login.folder === undefined ? [] : [login.folder])))];
  const folderId = (name: string): string => `7a66b0f0-0fd0-4dad-b00e-${String(folderNames.indexOf(name)).padStart(12, "0")}`;
  return {
    encrypted: false,
    folders: folderNames.map((name) => ({ id: folderId(name), name })),
    items: logins.map((login, i) => ({
      id: `4952bb03-05ac-433f-bade-${String(i).padStart(12, "0")}`,
      folderId: login.folder === undefined ? null : folderId(login.folder),
      type: 1,
      name: login.name,
      login: { username: login.username ?? null, password: "not-a-seed", totp: login.totp, uris: [] },
    })),
  };
}
