// Bulk intake: an export file or a QR image becomes a preview (no secrets in it); the parsed seeds
// wait sealed in the database until the person confirms, then every entry is created in one
// transaction, or none is.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { invalidInput, notFound, problem, tooManyRequests, WatchwordError } from "../core/errors.js";
import { isWrongPassword } from "../core/intake/export-crypto.js";
import type { ImportedEntry, ImportProblem } from "../core/intake/import-file.js";
import { nameKey } from "../core/name-key.js";
import type { OtpAlgorithm, OtpType } from "../core/otp/types.js";
import { Secret } from "../core/secret.js";
import { judgeExportPasswords } from "../core/sign-in-throttle.js";
import type { Keyring } from "../crypto/keyring.js";
import { IMPORT_FORMAT_NAMES, type ConfirmImportRequest, type ImportFormatName } from "../contract/imports.js";
import { OTP_ONLY_TEMPLATE, WEB_APP_TEMPLATE } from "../store/built-in-templates.js";
import type { EntryRecord } from "../store/entries.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import type { AuditFacts, AuditLog } from "./audit-log.js";
import { seedBinding } from "./entries.js";
import type { ImportPool } from "./import-pool.js";
import type { ReadUpload } from "./import-reading.js";
import { IMPORT_LIFETIME_MS, openPendingImport, sealImportEntries } from "./pending-imports.js";

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export interface PreviewEntry extends Omit<ImportedEntry, "otp"> {
  readonly type: OtpType;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
  readonly duplicateOf: { id: string; name: string } | null;
}

export interface ImportPreviewView {
  readonly id: string;
  readonly format: string;
  readonly expiresAt: number;
  readonly entries: readonly PreviewEntry[];
  readonly problems: readonly ImportProblem[];
}

export interface ImportService {
  preview(actor: Actor, request: { data: string; format?: string | undefined; password?: string | undefined; keyFile?: string | undefined }): Promise<ImportPreviewView>;
  confirm(actor: Actor, importId: string, request: ConfirmImportRequest): Promise<{ index: number; id: string; name: string }[]>;
  discard(actor: Actor, importId: string): Promise<void>;
}

const FORMATS: readonly ImportFormatName[] = IMPORT_FORMAT_NAMES;

function checkFormat(raw: string | undefined): ImportFormatName {
  const format = (raw ?? "auto") as ImportFormatName;
  if (!FORMATS.includes(format)) throw invalidInput(problem("import_format_invalid", { formats: FORMATS.join(", ") }), "format");
  return format;
}

function decodeData(data: string): Buffer {
  const base64 = data.replace(/^data:[\w.+/-]*;base64,/, "").replace(/\s+/g, "");
  if (!isBase64(base64)) throw invalidInput(problem("import_file_not_base64"), "data");
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) throw invalidInput(problem("import_file_empty"), "file");
  if (bytes.length > MAX_IMPORT_BYTES) throw invalidInput(problem("upload_too_large", { mib: MAX_IMPORT_BYTES / 1024 / 1024 }), "file");
  return bytes;
}

const isBase64 = (text: string): boolean => /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 !== 1;

/** A KeePass key file as a Secret; its bytes are never echoed, even in an error. */
function decodeKeyFile(keyFile: string | undefined): Secret | undefined {
  if (keyFile === undefined || keyFile === "") return undefined;
  const base64 = keyFile.replace(/^data:[\w.+/-]*;base64,/, "").replace(/\s+/g, "");
  if (!isBase64(base64)) throw invalidInput(problem("import_key_file_not_base64"), "keyFile");
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) throw invalidInput(problem("import_key_file_empty"), "keyFile");
  const secret = Secret.fromBytes(bytes);
  bytes.fill(0);
  return secret;
}

/** Why a file gave no entry at all: its first problems, or that it holds none. */
/** How many of the rows that say why nothing can be imported the refusal carries: enough to see the pattern, a bounded body. */
export const NOTHING_IMPORTABLE_ROWS = 20;

/** The refusal of an upload with nothing importable: a sentence that counts, and the first rows, each by key, beside it. */
function nothingToImport(problems: readonly ImportProblem[]): WatchwordError {
  if (problems.length === 0) return invalidInput(problem("import_no_accounts"), "file");
  return new WatchwordError("invalid_input", problem("import_nothing_importable", { count: problems.length }), { field: "file", rows: problems.slice(0, NOTHING_IMPORTABLE_ROWS) });
}

/** Issuer and account compared as names are (core/name-key.ts), for the preview's duplicate flags. */
const lookupKey = (issuer: string | null | undefined, account: string | null | undefined): string | undefined =>
  issuer || account ? `${nameKey(issuer ?? "")}\u0000${nameKey(account ?? "")}` : undefined;

export function createImportService(deps: { store: Store; access: AccessService; keyring: Keyring; auditLog: AuditLog; clock: Clock; pool: Pick<ImportPool, "read"> }): ImportService {
  const { store, access, keyring, auditLog, clock, pool } = deps;

  /**
   * Reads the upload in an import worker. With a password, the user's wrong export passwords
   * (counted in the database, so on every node) decide first whether another key derivation may run.
   */
  async function readUpload(actor: Actor, bytes: Buffer, format: ImportFormatName, password: Secret | undefined, keyFile: Secret | undefined): Promise<ReadUpload> {
    if (password === undefined) return pool.read(bytes, format, undefined, keyFile);
    const verdict = judgeExportPasswords(await store.signInFailures.readFailures("export-password", actor.userId), clock.now());
    if (!verdict.allowed) {
      throw tooManyRequests(problem("export_passwords_throttled", { count: verdict.retryAfterSeconds }), verdict.retryAfterSeconds);
    }
    try {
      return await pool.read(bytes, format, password, keyFile);
    } catch (error) {
      if (isWrongPassword(error)) await store.signInFailures.recordFailure("export-password", actor.userId, clock.now());
      throw error;
    }
  }

  async function visibleEntries(actor: Actor): Promise<EntryRecord[]> {
    return store.entries.listEntries(await access.listIds(actor, "use", "all", "waived"));
  }

  return {
    async preview(actor, request) {
      await access.requireCreateEntry(actor, null, problem("import_forbidden"));
      const format = checkFormat(request.format);
      const bytes = decodeData(request.data);
      const password = request.password === undefined || request.password === "" ? undefined : Secret.fromUtf8(request.password);
      const keyFile = decodeKeyFile(request.keyFile);
      let parsed: ReadUpload;
      try {
        parsed = await readUpload(actor, bytes, format, password, keyFile);
      } finally {
        password?.destroy();
        keyFile?.destroy();
      }
      if (parsed.entries.length === 0) throw nothingToImport(parsed.problems);

      const existing = await visibleEntries(actor);
      const byLabels = new Map<string, EntryRecord>();
      const byName = new Map<string, EntryRecord>();
      for (const e of existing) {
        const key = lookupKey(e.issuer, e.account);
        if (key !== undefined) byLabels.set(key, e);
        byName.set(nameKey(e.name), e);
      }
      const id = randomUUID();
      const now = clock.now();
      const sealed = sealImportEntries(keyring, id, parsed.entries);
      await store.pendingImports.deleteExpiredImports(now);
      // Audited: what was read and how much, never a seed (those are sealed in the pending import).
      await auditLog.commit(actor, {
        work: (tx: TransactionScope) => tx.pendingImports.insertPendingImport({ id, userId: actor.userId, format: parsed.format, sealed, createdAt: now, expiresAt: now + IMPORT_LIFETIME_MS }),
        events: () => [{ action: "import.previewed", target: { type: "import", id, name: parsed.format }, details: { importId: id, format: parsed.format, count: parsed.entries.length, problems: parsed.problems.length } }],
      });
      const entries: PreviewEntry[] = parsed.entries.map(({ otp, ...rest }) => {
        const twin = byLabels.get(lookupKey(rest.issuer, rest.account) ?? "\u0001") ?? byName.get(nameKey(rest.name));
        return { ...rest, type: otp.type, algorithm: otp.algorithm, digits: otp.digits, period: otp.period, duplicateOf: twin === undefined ? null : { id: twin.id, name: twin.name } };
      });
      for (const entry of parsed.entries) entry.otp.secret.destroy();
      return { id, format: parsed.format, expiresAt: now + IMPORT_LIFETIME_MS, entries, problems: parsed.problems };
    },

    async confirm(actor, importId, request) {
      const now = clock.now();
      const { pending, entries: all } = await openPendingImport({ store, keyring }, actor, importId, now);
      const include = request.include === undefined ? undefined : new Set(request.include);
      const chosen = all.filter((e) => include === undefined || include.has(e.index));
      if (chosen.length === 0) throw invalidInput(problem("import_choose_entries"), "include");
      if (request.folderId !== undefined && request.folderId !== null && (await store.folders.findFolder(request.folderId)) === undefined) {
        throw invalidInput(problem("folder_id_unknown"), "folderId");
      }
      await access.requireCreateEntry(actor, request.folderId ?? null, problem("import_forbidden"));

      const folders = new Map((await store.folders.listFolders()).map((f) => [nameKey(f.name), f.id]));
      const newFolders: { id: string; name: string }[] = [];
      const folderFor = (name: string | undefined): string | null => {
        if (request.folderId !== undefined) return request.folderId;
        if (name === undefined || name.trim() === "") return null;
        const known = folders.get(nameKey(name));
        if (known !== undefined) return known;
        if (!access.isAdmin(actor)) return null;
        const folder = { id: randomUUID(), name: name.trim().slice(0, 200) };
        folders.set(nameKey(folder.name), folder.id);
        newFolders.push(folder);
        return folder.id;
      };
      const takenKey = (folderId: string | null, name: string): string => `${folderId ?? ""}\u0000${nameKey(name)}`;
      const taken = new Set((await store.entries.listEntries()).map((e) => takenKey(e.folderId, e.name)));
      const uniqueName = (folderId: string | null, wanted: string): string => {
        let name = wanted.trim().slice(0, 190) || "Imported entry";
        for (let n = 2; taken.has(takenKey(folderId, name)); n += 1) name = `${wanted.trim().slice(0, 190)} (${n})`;
        taken.add(takenKey(folderId, name));
        return name;
      };

      const records: EntryRecord[] = chosen.map((item) => {
        const id = randomUUID();
        const folderId = folderFor(item.folder);
        const secret = Secret.fromBytes(Buffer.from(item.otp.secret, "base64"));
        const sealed = keyring.seal(secret, seedBinding(id));
        secret.destroy();
        return {
          id,
          name: uniqueName(folderId, request.names?.[String(item.index)] ?? item.name),
          folderId,
          templateId: item.url !== undefined || item.username !== undefined ? WEB_APP_TEMPLATE : OTP_ONLY_TEMPLATE,
          issuer: item.issuer ?? null,
          account: item.account ?? null,
          url: item.url ?? null,
          username: item.username ?? null,
          notes: item.notes ?? null,
          tags: [...new Set((item.tags ?? []).map((t) => t.trim().toLowerCase()).filter((t) => t !== ""))],
          ownerId: actor.userId,
          otpType: item.otp.type,
          otpAlgorithm: item.otp.algorithm,
          otpDigits: item.otp.digits,
          otpPeriod: item.otp.period,
          hotpCounter: item.otp.counter,
          seedSealed: sealed,
          seedUpdatedAt: now,
          createdAt: now,
          updatedAt: now,
        };
      });
      const indexOf = new Map(records.map((r, i) => [r.id, chosen[i]!.index]));

      await auditLog.commit(actor, {
        work: async (tx: TransactionScope) => {
          if (!(await tx.pendingImports.deletePendingImport(importId))) throw notFound(problem("import_already_settled"));
          for (const folder of newFolders) await tx.folders.insertFolder(folder, now);
          await tx.entries.insertEntries(records);
        },
        events: (): AuditFacts[] => [
          { action: "import.confirmed", target: { type: "import", id: importId, name: pending.format }, details: { importId, format: pending.format, count: records.length, folders: newFolders.length } },
          ...records.map((r) => ({ action: "entry.created", entry: { id: r.id, name: r.name, folderId: r.folderId }, details: { importId, otp: r.otpType } })),
        ],
      });
      return records.map((r) => ({ index: indexOf.get(r.id)!, id: r.id, name: r.name }));
    },

    async discard(actor, importId) {
      const pending = await store.pendingImports.findPendingImport(importId);
      if (pending === undefined || pending.userId !== actor.userId) throw notFound(problem("import_not_found"));
      await auditLog.commit(actor, {
        work: (tx: TransactionScope) => tx.pendingImports.deletePendingImport(importId),
        events: () => [{ action: "import.discarded", target: { type: "import", id: importId, name: pending.format }, details: { importId } }],
      });
    },
  };
}
