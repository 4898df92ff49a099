// Bulk intake: an export file or a QR image becomes a preview (no secrets in it); the parsed seeds
// wait sealed in the database until the person confirms, then every entry is created in one
// transaction, or none is.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { canAdminister, canCreateEntries } from "../core/entry-access.js";
import { forbidden, invalidInput, notFound } from "../core/errors.js";
import type { ImportedEntry, ImportFormat, ImportProblem } from "../core/intake/import-file.js";
import { parseOtpauthUri } from "../core/otp/otpauth-uri.js";
import type { OtpAlgorithm, OtpType } from "../core/otp/types.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import { IMPORT_FORMAT_NAMES, type ConfirmImportRequest, type ImportFormatName } from "../contract/imports.js";
import { OTP_ONLY_TEMPLATE, WEB_APP_TEMPLATE } from "../store/built-in-templates.js";
import type { EntryRecord } from "../store/entries.js";
import { readForeignTable } from "../store/foreign-database.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { Actor } from "./actor.js";
import type { AuditFacts, AuditLog } from "./audit-log.js";
import { seedBinding } from "./entries.js";
import { IMPORT_LIFETIME_MS, openPendingImport, sealImportEntries } from "./pending-imports.js";

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

// The file and image decoders bring sharp, zxing-wasm and kdbxweb with them, tens of
// megabytes that a server which never imports should not hold: they load at the first import.
const loadIntake = async () => {
  const [file, image] = await Promise.all([import("../core/intake/import-file.js"), import("../core/intake/qr-image.js")]);
  return { parseImport: file.parseImport, decodeQrImage: image.decodeQrImage, detectImageType: image.detectImageType };
};

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
  preview(actor: Actor, request: { data: string; format?: string | undefined; password?: string | undefined }): Promise<ImportPreviewView>;
  confirm(actor: Actor, importId: string, request: ConfirmImportRequest): Promise<{ index: number; id: string; name: string }[]>;
  discard(actor: Actor, importId: string): Promise<void>;
}

const FORMATS: readonly ImportFormatName[] = IMPORT_FORMAT_NAMES;

function checkFormat(raw: string | undefined): ImportFormatName {
  const format = (raw ?? "auto") as ImportFormatName;
  if (!FORMATS.includes(format)) throw invalidInput(`The format must be one of ${FORMATS.join(", ")}.`, "format");
  return format;
}

function decodeData(data: string): Buffer {
  const base64 = data.replace(/^data:[\w.+/-]*;base64,/, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 === 1) throw invalidInput("The file must be sent base64-encoded.", "data");
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) throw invalidInput("The file is empty.", "file");
  if (bytes.length > MAX_IMPORT_BYTES) throw invalidInput(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`, "file");
  return bytes;
}

/** The accounts in a QR image: otpauth:// links and Google Authenticator export batches. */
async function parseQrImage(bytes: Buffer): Promise<{ format: string; entries: ImportedEntry[]; problems: ImportProblem[] }> {
  const { decodeQrImage, parseImport } = await loadIntake();
  const texts = await decodeQrImage(bytes);
  const entries: ImportedEntry[] = [];
  const problems: ImportProblem[] = [];
  for (const [i, text] of texts.entries()) {
    const label = texts.length === 1 ? "QR code" : `QR code ${i + 1}`;
    if (/^otpauth-migration:/i.test(text)) {
      const batch = await parseImport(Buffer.from(text), { format: "gauth" });
      for (const entry of batch.entries) entries.push({ ...entry, index: entries.length + problems.length });
      for (const problem of batch.problems) problems.push({ ...problem, index: entries.length + problems.length });
    } else if (/^(otpauth|steam):/i.test(text)) {
      try {
        const intake = parseOtpauthUri(text);
        const name = intake.issuer !== undefined && intake.account !== undefined ? `${intake.issuer} (${intake.account})` : (intake.issuer ?? intake.account ?? label);
        entries.push({ index: entries.length + problems.length, name, ...(intake.issuer ? { issuer: intake.issuer } : {}), ...(intake.account ? { account: intake.account } : {}), otp: intake.otp, warnings: intake.warnings });
      } catch (error) {
        problems.push({ index: entries.length + problems.length, label, message: error instanceof Error ? error.message : "This link is not valid." });
      }
    } else {
      problems.push({ index: entries.length + problems.length, label, message: "This QR code holds no otpauth:// link: it is not an authenticator's QR code." });
    }
  }
  if (entries.length === 0) {
    throw invalidInput(problems[0]?.message ?? "No authenticator QR code was found in this image.", "image");
  }
  return { format: "image", entries, problems };
}

const lookupKey = (issuer: string | null | undefined, account: string | null | undefined): string | undefined =>
  issuer || account ? `${(issuer ?? "").toLowerCase()}\u0000${(account ?? "").toLowerCase()}` : undefined;

export function createImportService(deps: { store: Store; keyring: Keyring; auditLog: AuditLog; clock: Clock }): ImportService {
  const { store, keyring, auditLog, clock } = deps;

  async function visibleEntries(actor: Actor): Promise<EntryRecord[]> {
    return store.entries.listEntries(actor.role === "admin" ? undefined : actor.userId);
  }

  return {
    async preview(actor, request) {
      if (!canCreateEntries(actor)) throw forbidden("Auditors cannot import entries.");
      const format = checkFormat(request.format);
      const bytes = decodeData(request.data);
      const { parseImport, detectImageType } = await loadIntake();
      const password = request.password === undefined || request.password === "" ? undefined : Secret.fromUtf8(request.password);
      const isImage = format === "image" || (format === "auto" && detectImageType(bytes) !== undefined);
      const parsed = isImage
        ? await parseQrImage(bytes)
        : await parseImport(bytes, { format: format as ImportFormat | "auto", readForeignTable, ...(password === undefined ? {} : { password }) });
      password?.destroy();

      const existing = await visibleEntries(actor);
      const byLabels = new Map<string, EntryRecord>();
      const byName = new Map<string, EntryRecord>();
      for (const e of existing) {
        const key = lookupKey(e.issuer, e.account);
        if (key !== undefined) byLabels.set(key, e);
        byName.set(e.name.toLowerCase(), e);
      }
      const id = randomUUID();
      const now = clock.now();
      const sealed = sealImportEntries(keyring, id, parsed.entries);
      await store.pendingImports.deleteExpiredImports(now);
      await store.pendingImports.insertPendingImport({ id, userId: actor.userId, format: parsed.format, sealed, createdAt: now, expiresAt: now + IMPORT_LIFETIME_MS });
      const entries: PreviewEntry[] = parsed.entries.map(({ otp, ...rest }) => {
        const twin = byLabels.get(lookupKey(rest.issuer, rest.account) ?? "\u0001") ?? byName.get(rest.name.toLowerCase());
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
      if (chosen.length === 0) throw invalidInput("Choose at least one entry to import.", "include");
      if (request.folderId !== undefined && request.folderId !== null && (await store.folders.findFolder(request.folderId)) === undefined) {
        throw invalidInput("No folder with this id exists.", "folderId");
      }

      const folders = new Map((await store.folders.listFolders()).map((f) => [f.name.toLowerCase(), f.id]));
      const newFolders: { id: string; name: string }[] = [];
      const folderFor = (name: string | undefined): string | null => {
        if (request.folderId !== undefined) return request.folderId;
        if (name === undefined || name.trim() === "") return null;
        const known = folders.get(name.trim().toLowerCase());
        if (known !== undefined) return known;
        if (!canAdminister(actor)) return null;
        const folder = { id: randomUUID(), name: name.trim().slice(0, 200) };
        folders.set(folder.name.toLowerCase(), folder.id);
        newFolders.push(folder);
        return folder.id;
      };
      const taken = new Set((await store.entries.listEntries()).map((e) => `${e.folderId ?? ""}\u0000${e.name.toLowerCase()}`));
      const uniqueName = (folderId: string | null, wanted: string): string => {
        let name = wanted.trim().slice(0, 190) || "Imported entry";
        for (let n = 2; taken.has(`${folderId ?? ""}\u0000${name.toLowerCase()}`); n += 1) name = `${wanted.trim().slice(0, 190)} (${n})`;
        taken.add(`${folderId ?? ""}\u0000${name.toLowerCase()}`);
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
          if (!(await tx.pendingImports.deletePendingImport(importId))) throw notFound("This import was already confirmed or discarded.");
          for (const folder of newFolders) await tx.folders.insertFolder(folder, now);
          await tx.entries.insertEntries(records);
        },
        events: (): AuditFacts[] => [
          { action: "import.confirmed", details: { importId, format: pending.format, count: records.length, folders: newFolders.length } },
          ...records.map((r) => ({ action: "entry.created", entry: { id: r.id, name: r.name }, details: { importId, otp: r.otpType } })),
        ],
      });
      return records.map((r) => ({ index: indexOf.get(r.id)!, id: r.id, name: r.name }));
    },

    async discard(actor, importId) {
      const pending = await store.pendingImports.findPendingImport(importId);
      if (pending === undefined || pending.userId !== actor.userId) throw notFound("This import has expired or does not exist.");
      await store.pendingImports.deletePendingImport(importId);
    },
  };
}
