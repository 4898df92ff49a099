// The backup file: one file holding a manifest and the parts it lists (the database copy or
// pg_dump archive, the audit checkpoint file), closed by a SHA-256 of everything before it.
// It holds no secret in clear: the database keeps its seeds sealed and the key is never in it.
//
//   WATCHWORD-BACKUP 1\n
//   {manifest as one JSON line}\n
//   part bytes, one after another, as the manifest's parts give their lengths
//   WATCHWORD-BACKUP-END sha256=<64 hex>\n
import { createHash, randomBytes } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { invalidInput, problem, unavailable } from "../core/errors.js";

const MAGIC = "WATCHWORD-BACKUP 1\n";
const TRAILER_PREFIX = "WATCHWORD-BACKUP-END sha256=";
const TRAILER_LENGTH = TRAILER_PREFIX.length + 64 + 1;
/** A manifest carries a few wrapped data keys and names: far below this; a hostile file is never read whole. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface BackupPart {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** What a backup says about itself; everything a restore checks before it changes anything. */
export interface BackupManifest {
  readonly format: "watchword-backup";
  readonly version: 1;
  /** The Watchword that wrote it. */
  readonly watchword: string;
  readonly dialect: "sqlite" | "postgres";
  /** The migrations applied in the copy, in order: the last one is its schema version. */
  readonly migrations: readonly string[];
  /** ISO-8601, UTC. */
  readonly createdAt: string;
  /** The head of the audit chain in the copy. */
  readonly auditHead: { readonly seq: number; readonly link: string };
  /** The copy's wrapped data keys (sealed under the key-encryption key): a restore opens them first to tell another vault's backup. */
  readonly dataKeys: readonly { readonly version: number; readonly wrappedKey: string; readonly kekId: string; readonly createdAt: number }[];
  readonly parts: readonly BackupPart[];
}

export type BackupManifestFields = Omit<BackupManifest, "format" | "version" | "parts">;

/** A part to write: its length known up front, its bytes read from a file. */
export interface PartSource {
  readonly name: string;
  readonly file: string;
}

const reasonOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : error instanceof Error ? error.message.slice(0, 120) : "unknown error";

async function sha256OfFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

/**
 * Writes the backup to a new file beside `file` and renames it into place once synced, so that a
 * failure (a read-only directory, a full disk) leaves no file at all, never half of one.
 */
export async function writeBackupFile(file: string, fields: BackupManifestFields, sources: readonly PartSource[]): Promise<number> {
  const target = path.resolve(file);
  const unwritable = (error: unknown) => unavailable(problem("backup_file_unwritable", { file: target, reason: reasonOf(error) }));
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists) throw invalidInput(problem("backup_file_exists", { file: target }), "file");
  const parts: BackupPart[] = [];
  for (const source of sources) parts.push({ name: source.name, ...(await sha256OfFile(source.file)) });
  const manifest: BackupManifest = { format: "watchword-backup", version: 1, ...fields, parts };
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(4).toString("hex")}`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const hash = createHash("sha256");
    let written = 0;
    const put = async (bytes: Buffer) => {
      hash.update(bytes);
      await handle!.write(bytes);
      written += bytes.length;
    };
    await put(Buffer.from(MAGIC));
    await put(Buffer.from(`${JSON.stringify(manifest)}\n`));
    for (const source of sources) for await (const chunk of createReadStream(source.file) as AsyncIterable<Buffer>) await put(chunk);
    const trailer = Buffer.from(`${TRAILER_PREFIX}${hash.digest("hex")}\n`);
    await handle.write(trailer);
    written += trailer.length;
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(partial, target);
    const directory = await open(path.dirname(target), constants.O_RDONLY);
    await directory.sync().finally(() => directory.close());
    return written;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(partial, { force: true }).catch(() => undefined);
    throw unwritable(error);
  }
}

/** A backup file whose checksum and lengths were checked; parts are read by name. */
export interface OpenedBackup {
  readonly file: string;
  readonly manifest: BackupManifest;
  /** Copies one part's bytes to `to` (created, mode 0600). */
  extractPart(name: string, to: string): Promise<void>;
}

const isHex = (text: unknown, length: number): text is string => typeof text === "string" && text.length === length && /^[0-9a-f]+$/.test(text);
const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

function parseManifest(text: string): BackupManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.format !== "watchword-backup" || m.version !== 1) return undefined;
  if (m.dialect !== "sqlite" && m.dialect !== "postgres") return undefined;
  if (typeof m.watchword !== "string" || typeof m.createdAt !== "string") return undefined;
  if (!Array.isArray(m.migrations) || !m.migrations.every((name) => typeof name === "string")) return undefined;
  const head = m.auditHead as Record<string, unknown> | null | undefined;
  if (typeof head !== "object" || head === null || !isCount(head.seq) || !isHex(head.link, 64)) return undefined;
  if (!Array.isArray(m.dataKeys) || m.dataKeys.length === 0) return undefined;
  for (const key of m.dataKeys as Record<string, unknown>[]) {
    if (typeof key !== "object" || key === null || !isCount(key.version) || typeof key.wrappedKey !== "string" || typeof key.kekId !== "string" || !isCount(key.createdAt)) return undefined;
  }
  if (!Array.isArray(m.parts)) return undefined;
  for (const part of m.parts as Record<string, unknown>[]) {
    if (typeof part !== "object" || part === null || typeof part.name !== "string" || !isCount(part.bytes) || !isHex(part.sha256, 64)) return undefined;
  }
  return value as BackupManifest;
}

/**
 * Opens and checks a backup file before anything else is done with it: the magic line, a
 * well-formed manifest, the length the manifest announces, the SHA-256 of the whole and of each
 * part. Each failure is one catalogued sentence naming the file.
 */
export async function openBackupFile(file: string): Promise<OpenedBackup> {
  const source = path.resolve(file);
  let handle: FileHandle;
  try {
    handle = await open(source, constants.O_RDONLY);
  } catch (error) {
    throw invalidInput(problem("restore_file_unreadable", { file: source, reason: reasonOf(error) }), "file");
  }
  let manifest: BackupManifest | undefined;
  let headerLength = 0;
  let size = 0;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw invalidInput(problem("restore_file_unreadable", { file: source, reason: "not a regular file" }), "file");
    size = info.size;
    const head = Buffer.alloc(Math.min(size, MAGIC.length + MAX_MANIFEST_BYTES + 1));
    await handle.read(head, 0, head.length, 0);
    if (head.subarray(0, MAGIC.length).toString("latin1") !== MAGIC) throw invalidInput(problem("restore_file_foreign", { file: source }), "file");
    const end = head.indexOf(0x0a, MAGIC.length);
    if (end === -1) {
      throw head.length < MAGIC.length + MAX_MANIFEST_BYTES ? invalidInput(problem("restore_file_truncated", { file: source, bytes: size, expected: "more" }), "file") : invalidInput(problem("restore_file_foreign", { file: source }), "file");
    }
    manifest = parseManifest(head.subarray(MAGIC.length, end).toString("utf8"));
    if (manifest === undefined) throw invalidInput(problem("restore_file_foreign", { file: source }), "file");
    headerLength = end + 1;
  } finally {
    await handle.close();
  }
  const partsLength = manifest.parts.reduce((sum, part) => sum + part.bytes, 0);
  const expected = headerLength + partsLength + TRAILER_LENGTH;
  if (size < expected) throw invalidInput(problem("restore_file_truncated", { file: source, bytes: size, expected }), "file");
  if (size > expected) throw invalidInput(problem("restore_file_damaged", { file: source }), "file");

  // One pass over the file: the whole's hash and each part's.
  const whole = createHash("sha256");
  const partHashes = manifest.parts.map(() => createHash("sha256"));
  let offset = 0;
  let trailer = Buffer.alloc(0);
  const contentEnd = expected - TRAILER_LENGTH;
  const starts: number[] = [];
  for (let i = 0, at = headerLength; i < manifest.parts.length; i += 1) {
    starts.push(at);
    at += manifest.parts[i]!.bytes;
  }
  try {
    for await (const chunk of createReadStream(source) as AsyncIterable<Buffer>) {
      const chunkStart = offset;
      offset += chunk.length;
      const content = chunk.subarray(0, Math.max(0, Math.min(chunk.length, contentEnd - chunkStart)));
      whole.update(content);
      if (content.length < chunk.length) trailer = Buffer.concat([trailer, chunk.subarray(content.length)]);
      manifest.parts.forEach((part, i) => {
        const from = Math.max(starts[i]!, chunkStart);
        const to = Math.min(starts[i]! + part.bytes, chunkStart + content.length);
        if (to > from) partHashes[i]!.update(chunk.subarray(from - chunkStart, to - chunkStart));
      });
    }
  } catch (error) {
    throw invalidInput(problem("restore_file_unreadable", { file: source, reason: reasonOf(error) }), "file");
  }
  const trailerText = trailer.toString("latin1");
  if (trailerText !== `${TRAILER_PREFIX}${whole.digest("hex")}\n`) throw invalidInput(problem("restore_file_damaged", { file: source }), "file");
  if (manifest.parts.some((part, i) => partHashes[i]!.digest("hex") !== part.sha256)) throw invalidInput(problem("restore_file_damaged", { file: source }), "file");

  const checked = manifest;
  return {
    file: source,
    manifest: checked,
    async extractPart(name, to) {
      const index = checked.parts.findIndex((part) => part.name === name);
      if (index === -1) throw invalidInput(problem("restore_file_foreign", { file: source }), "file");
      const part = checked.parts[index]!;
      const input = await open(source, constants.O_RDONLY);
      const output = await open(to, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
      try {
        const buffer = Buffer.alloc(1024 * 1024);
        for (let done = 0; done < part.bytes; ) {
          const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, part.bytes - done), starts[index]! + done);
          if (bytesRead === 0) throw invalidInput(problem("restore_file_truncated", { file: source, bytes: size, expected }), "file");
          await output.write(buffer.subarray(0, bytesRead));
          done += bytesRead;
        }
        await output.sync();
      } finally {
        await input.close();
        await output.close();
      }
    },
  };
}
