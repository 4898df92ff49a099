// Reads one uploaded file into the entries and problems it holds: an export file in any format
// parseImport knows, or a picture of QR codes. This is the whole of an import's expensive work
// (key derivation, decompression, image decoding), and it runs in an import worker thread
// (import-worker.ts), so every format is covered by the worker's bounds without work of its own.
import { invalidInput, isWatchwordError, problem, type ProblemText } from "../core/errors.js";
import { importProblem, parseImport, renderItemLabel, type ImportedEntry, type ImportFormat, type ImportProblem } from "../core/intake/import-file.js";
import { itemLabel } from "../core/problems/import-preview.js";
import { decodeQrImage, detectImageType } from "../core/intake/qr-image.js";
import { parseOtpauthUri } from "../core/otp/otpauth-uri.js";
import type { Secret } from "../core/secret.js";
import type { ImportFormatName } from "../contract/imports.js";
import { readForeignTable } from "../store/foreign-database.js";

export interface UploadToRead {
  readonly bytes: Uint8Array;
  readonly format: ImportFormatName;
  readonly password: Secret | undefined;
  /** A KeePass key file, for a database locked with one. */
  readonly keyFile?: Secret | undefined;
}

export interface ReadUpload {
  readonly format: string;
  readonly entries: ImportedEntry[];
  readonly problems: ImportProblem[];
}

/** True when the upload will be read as a picture (the format says so, or auto and image bytes). */
export const isImageUpload = (bytes: Uint8Array, format: ImportFormatName): boolean =>
  format === "image" || (format === "auto" && detectImageType(bytes) !== undefined);

export async function readUpload(upload: UploadToRead): Promise<ReadUpload> {
  const { bytes, format, password, keyFile } = upload;
  if (isImageUpload(bytes, format)) return readQrImage(bytes);
  const parsed = await parseImport(bytes, {
    format: format as ImportFormat | "auto",
    readForeignTable,
    ...(password === undefined ? {} : { password }),
    ...(keyFile === undefined ? {} : { keyFile }),
  });
  return { format: parsed.format, entries: [...parsed.entries], problems: [...parsed.problems] };
}

/** The accounts in a QR image: otpauth:// links and Google Authenticator export batches. */
async function readQrImage(bytes: Uint8Array): Promise<ReadUpload> {
  const texts = await decodeQrImage(bytes);
  const entries: ImportedEntry[] = [];
  const problems: ImportProblem[] = [];
  // What the first problem says: the refusal when no entry was found.
  let firstProblem: ProblemText | undefined;
  for (const [i, text] of texts.entries()) {
    const label = texts.length === 1 ? itemLabel("qr_code") : itemLabel("qr_code_numbered", i + 1);
    if (/^otpauth-migration:/i.test(text)) {
      const batch = await parseImport(Buffer.from(text), { format: "gauth" });
      for (const entry of batch.entries) entries.push({ ...entry, index: entries.length + problems.length });
      for (const found of batch.problems) {
        firstProblem ??= found;
        problems.push({ ...found, index: entries.length + problems.length });
      }
    } else if (/^(otpauth|steam):/i.test(text)) {
      try {
        const intake = parseOtpauthUri(text);
        const name = intake.issuer !== undefined && intake.account !== undefined ? `${intake.issuer} (${intake.account})` : (intake.issuer ?? intake.account ?? renderItemLabel(label));
        entries.push({ index: entries.length + problems.length, name, ...(intake.issuer ? { issuer: intake.issuer } : {}), ...(intake.account ? { account: intake.account } : {}), otp: intake.otp, warnings: intake.warnings });
      } catch (error) {
        const said = (isWatchwordError(error) ? error.problemText : undefined) ?? problem("import_qr_link_invalid");
        firstProblem ??= said;
        problems.push(importProblem(entries.length + problems.length, label, said));
      }
    } else {
      firstProblem ??= problem("import_qr_not_authenticator");
      problems.push(importProblem(entries.length + problems.length, label, problem("import_qr_not_authenticator")));
    }
  }
  if (entries.length === 0) {
    throw invalidInput(firstProblem ?? problem("import_qr_none"), "image");
  }
  return { format: "image", entries, problems };
}
