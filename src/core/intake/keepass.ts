// Reads KeePass 2 / KeePassXC databases (.kdbx, KDBX 3.1 and 4) opened with their password, their
// key file, or both, through kdbxweb, and keeps the entries that carry an OTP seed (see
// keepass-otp.ts for the fields). The KDF cost and the inflated size are bounded first
// (keepass-guards.ts). Entries in the recycle bin are left out. The key file's bytes are a secret:
// they reach kdbxweb and nothing else, and no message says anything of them.
import kdbxweb from "kdbxweb";
import { invalidInput, isWatchwordError, problem, type WatchwordError } from "../errors.js";
import type { Secret } from "../secret.js";
import type { FormatContext } from "./format-context.js";
import type { ItemDraft } from "./import-collector.js";
import type { ImportSource } from "./import-source.js";
import { checkKdfCost, damagedKeePass, installArgon2, limitInflatedSize } from "./keepass-guards.js";
import { readKeePassOtp } from "./keepass-otp.js";

type KdbxGroup = InstanceType<typeof kdbxweb.KdbxGroup>;
type KdbxEntry = InstanceType<typeof kdbxweb.KdbxEntry>;

/** KeePass 2.x signature: 0x9AA2D903 then 0xB54BFB67, little-endian (KDBX specification). */
const KDBX_SIGNATURE = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5];
/** KeePass 1.x (.kdb) signature: 0x9AA2D903 then 0xB54BFB65. */
const KDB_SIGNATURE = [0x03, 0xd9, 0xa2, 0x9a, 0x65, 0xfb, 0x4b, 0xb5];

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

export const hasKdbxSignature = (bytes: Uint8Array): boolean => startsWith(bytes, KDBX_SIGNATURE);
export const hasKdbSignature = (bytes: Uint8Array): boolean => startsWith(bytes, KDB_SIGNATURE);

export async function parseKeePass(source: ImportSource, context: FormatContext): Promise<void> {
  const { bytes } = source;
  if (hasKdbSignature(bytes)) {
    throw invalidInput(problem("import_keepass_kdb"), "file");
  }
  if (!hasKdbxSignature(bytes)) throw invalidInput(problem("import_keepass_not_kdbx"), "file");
  const { password, keyFile } = context;
  if (password === undefined && keyFile === undefined) throw invalidInput(problem("import_keepass_credentials_required"), "password");
  if (keyFile !== undefined && keyFile.length > MAX_KEY_FILE_BYTES) {
    throw invalidInput(problem("import_keepass_key_file_too_large", { max: MAX_KEY_FILE_BYTES / 1024 / 1024 }), "keyFile");
  }

  // kdbxweb reads an ArrayBuffer from its first byte to its last, so it must get exactly the
  // file: a small Buffer is a view into Node's shared 8 KiB pool, and Buffer#slice is a view too.
  const data = new Uint8Array(bytes).buffer;
  const kdbx = new kdbxweb.Kdbx();
  checkKdfCost(data, kdbx);
  installArgon2();
  kdbx.credentials = await readCredentials(password, keyFile);
  const format = new kdbxweb.KdbxFormat(kdbx);
  limitInflatedSize(format, kdbx, context.limits.maxInflatedBytes);
  try {
    await format.load(data);
  } catch (error) {
    if (isWatchwordError(error)) throw error;
    if (error instanceof kdbxweb.KdbxError && error.code === kdbxweb.Consts.ErrorCodes.InvalidKey) throw wrongCredentials(password !== undefined, keyFile !== undefined);
    throw damagedKeePass();
  }
  collectEntries(kdbx, context);
}

/** The largest key file accepted; KeePass takes any file as a key file, but real ones are tiny. */
export const MAX_KEY_FILE_BYTES = 4 * 1024 * 1024;

/**
 * kdbxweb's credentials, waited for here: it reads the key file (XML version 1 or 2, 32 raw bytes,
 * 64 hex digits, or any other file by its SHA-256) in a promise of its own, which rejects when an
 * XML key file's checksum is wrong and would otherwise go unhandled.
 */
async function readCredentials(password: Secret | undefined, keyFile: Secret | undefined): Promise<InstanceType<typeof kdbxweb.Credentials>> {
  const protectedPassword = password === undefined ? null : kdbxweb.ProtectedValue.fromBinary(new Uint8Array(password.reveal()).buffer);
  const credentials = new kdbxweb.Credentials(protectedPassword, keyFile === undefined ? null : new Uint8Array(keyFile.reveal()));
  try {
    return await credentials.ready;
  } catch {
    throw invalidInput(problem("import_keepass_key_file_checksum"), "keyFile");
  }
}

/** KeePass cannot tell which part of a composite key is wrong, so the message names each one given. */
function wrongCredentials(hasPassword: boolean, hasKeyFile: boolean): WatchwordError {
  if (!hasKeyFile) return invalidInput(problem("import_keepass_password_wrong"), "password");
  if (!hasPassword) return invalidInput(problem("import_keepass_key_file_wrong"), "keyFile");
  return invalidInput(problem("import_keepass_credentials_wrong"), "password");
}

/** Walks the groups depth-first in file order without recursion; folder = the group path below the root. */
function collectEntries(kdbx: InstanceType<typeof kdbxweb.Kdbx>, context: FormatContext): void {
  const recycleBin = kdbx.meta.recycleBinEnabled === false ? undefined : kdbx.meta.recycleBinUuid;
  const stack: { group: KdbxGroup; path: readonly string[] }[] = [...kdbx.groups].reverse().map((group) => ({ group, path: [] }));
  let index = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { group, path } = next;
    if (recycleBin !== undefined && group.uuid.equals(recycleBin)) continue;
    for (const entry of group.entries) {
      const entryIndex = index++;
      const title = readField(entry, "Title");
      context.collector.add(entryIndex, { title }, () => readEntry(entry, title, path));
    }
    for (const child of [...group.groups].reverse()) stack.push({ group: child, path: [...path, child.name?.trim() || "Unnamed group"] });
  }
}

function readEntry(entry: KdbxEntry, title: string | undefined, path: readonly string[]): ItemDraft | undefined {
  const intake = readKeePassOtp((name) => readField(entry, name));
  if (intake === undefined) return undefined;
  return {
    title,
    issuer: intake.issuer,
    account: intake.account,
    otp: intake.otp,
    folder: path.length === 0 ? undefined : path.join("/"),
    tags: entry.tags,
    notes: readField(entry, "Notes"),
    url: readField(entry, "URL"),
    username: readField(entry, "UserName"),
    warnings: intake.warnings,
  };
}

function readField(entry: KdbxEntry, name: string): string | undefined {
  const value = entry.fields.get(name);
  const text = typeof value === "string" ? value : value?.getText();
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
