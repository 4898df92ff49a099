// `watchword import FILE`: upload an export file or QR image, show the preview (what will be
// created, what looks like a duplicate, what cannot be imported and why), then confirm or discard.
// Like the web app, it leaves out rows that look like entries that exist already unless asked.
import path from "node:path";
import type { Command } from "commander";
import { ApiError, type WatchwordClient } from "../client/client.js";
import { IMPORT_FORMAT_NAMES, type CreateImportRequest, type ImportFormatName, type ImportPreview, type ImportPreviewEntry } from "../contract/imports.js";
import { invalidInput } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";
import { readInputFile } from "./input-files.js";
import { importFolderOf, type ImportFolder } from "./name-lookup.js";
import { promptForPassword, readPasswordFromStdin } from "./password-input.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, issuerAndAccount, otpShape, otpTypeLabel, plural, printable } from "./text-output.js";

const FORMATS: readonly ImportFormatName[] = IMPORT_FORMAT_NAMES;
/** The server's limit for a KeePass key file (src/core/intake/keepass.ts). */
const MAX_KEY_FILE_BYTES = 4 * 1024 * 1024;

interface ImportFlags extends ConnectionFlags, JsonFlag {
  format: string;
  passwordStdin?: boolean;
  keyFile?: string;
  folder?: string;
  yes?: boolean;
  includeDuplicates?: boolean;
}

/** The server names the "password" field when a file is encrypted and the password is missing or wrong. */
const isAboutPassword = (error: unknown): error is ApiError =>
  error instanceof ApiError && (error.field === "password" || error.field?.endsWith(".password") === true);

/** How many of the rows a refusal carries the one stderr line names. */
const ROWS_IN_ONE_LINE = 3;

/** A refusal of a file with nothing importable, said with its first rows (in English) on the same line. */
function withRows(error: ApiError): ApiError {
  const shown = error.rows.slice(0, ROWS_IN_ONE_LINE).map((row) => `${printable(row.label)}: ${printable(row.message)}`);
  const total = typeof error.params.count === "number" ? error.params.count : error.rows.length;
  const more = total > shown.length ? ` (and ${total - shown.length} more)` : "";
  const text = error.key === undefined ? undefined : { key: error.key, params: error.params };
  return new ApiError(error.status, error.code, `${error.message} ${shown.join(" ")}${more}`, error.field, error.requestId, text, error.rows);
}

async function upload(client: WatchwordClient, request: CreateImportRequest, file: string, io: ClientIo): Promise<ImportPreview> {
  try {
    return await client.createImport(request);
  } catch (error) {
    if (error instanceof ApiError && error.rows.length > 0) throw withRows(error);
    if (!isAboutPassword(error) || request.password !== undefined) throw error;
    if (!io.terminal.isInteractive) {
      const hint = /key file/u.test(error.message) ? "Send the password with --password-stdin, the key file with --key-file" : "Send it with --password-stdin";
      throw new ApiError(error.status, error.code, `${error.message} (${hint}.)`, error.field, error.requestId);
    }
    const password = await promptForPassword(io, `Password for ${printable(path.basename(file))}: `);
    return client.createImport({ ...request, password });
  }
}

/** What will be imported: every row, or (by default) those that do not look like an existing entry. */
interface Selection {
  readonly chosen: readonly ImportPreviewEntry[];
  readonly skipped: readonly ImportPreviewEntry[];
}

function selectRows(preview: ImportPreview, includeDuplicates: boolean): Selection {
  const isSkipped = (entry: ImportPreviewEntry): boolean => !includeDuplicates && entry.duplicateOf !== null;
  return { chosen: preview.entries.filter((e) => !isSkipped(e)), skipped: preview.entries.filter(isSkipped) };
}

const entries = (count: number): string => plural(count, "entry", "entries");

function previewLines(preview: ImportPreview, includeDuplicates: boolean, folder: ImportFolder | undefined): string[] {
  const hasFolders = preview.entries.some((e) => e.folder !== null);
  const lines = preview.entries.length === 0 ? [] : formatTable(
    [
      { header: "#" },
      { header: "Name", maxWidth: 40 },
      { header: "Issuer/account", maxWidth: 48 },
      ...(hasFolders ? [{ header: "Folder", maxWidth: 24 }] : []),
      { header: "Type" },
      { header: "Digits/period" },
      { header: "Notes", maxWidth: 60 },
    ],
    preview.entries.map((e) => [
      String(e.index + 1),
      e.name,
      issuerAndAccount(e.issuer, e.account),
      ...(hasFolders ? [e.folder ?? ""] : []),
      otpTypeLabel(e.type),
      otpShape(e.type, e.digits, e.period),
      [...(e.duplicateOf === null ? [] : [`duplicate of "${e.duplicateOf.name}"`]), ...e.warnings.map((notice) => notice.detail)].join("; "),
    ]),
  );
  if (preview.problems.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(`Cannot import ${plural(preview.problems.length, "item")}:`);
    for (const problem of preview.problems) lines.push(`  #${problem.index + 1} ${printable(problem.label)}: ${printable(problem.message)}`);
  }
  if (preview.entries.length === 0) return lines;
  const duplicates = preview.entries.filter((e) => e.duplicateOf !== null).length;
  const whatHappens = includeDuplicates ? "and will be added again" : "and will be skipped (--include-duplicates imports them too)";
  lines.push(
    "",
    `${entries(preview.entries.length)} to import (format ${printable(preview.format)})` +
      (duplicates === 0 ? "." : `; ${duplicates} ${duplicates === 1 ? "looks like an entry that exists" : "look like entries that exist"} already ${whatHappens}.`),
  );
  if (folder?.isNew === true) lines.push(`The folder "${printable(folder.name)}" does not exist yet: it will be created.`);
  return lines;
}

async function isConfirmedByPerson(selection: Selection, io: ClientIo): Promise<boolean> {
  const skipping = selection.skipped.length === 0 ? "" : `, skipping ${plural(selection.skipped.length, "duplicate")}`;
  const answer = await io.terminal.ask(`Import ${entries(selection.chosen.length)}${skipping}? [y/N] `);
  return /^\s*y(es)?\s*$/i.test(answer);
}

/** The id of the folder to import into, creating it now if it is new; the import is discarded if that fails. */
async function folderIdFor(client: WatchwordClient, folder: ImportFolder | undefined, importId: string): Promise<string | undefined> {
  if (folder === undefined) return undefined;
  if (!folder.isNew) return folder.id;
  try {
    return (await client.createFolder({ name: folder.name })).id;
  } catch (error) {
    await client.discardImport(importId);
    if (!(error instanceof ApiError)) throw error;
    const shown = folder.name.length > 40 ? `${folder.name.slice(0, 39)}…` : folder.name;
    throw new ApiError(error.status, error.code, `Cannot create the folder "${printable(shown)}", so nothing was imported: ${error.message}`, "folder", error.requestId);
  }
}

const skippedSentence = (skipped: number): string =>
  `Skipped ${skipped} that ${skipped === 1 ? "looks like an entry that exists" : "look like entries that exist"} already (--include-duplicates imports them too).`;

async function importFile(file: string, flags: ImportFlags, io: ClientIo): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(flags.format)) throw invalidInput(`--format must be one of ${FORMATS.join(", ")}, not "${printable(flags.format.slice(0, 20))}".`, "format");
  const { client } = await connect(flags, io.env);
  const folder = await importFolderOf(client, flags.folder);
  const data = (await readInputFile(file)).toString("base64");
  const password = flags.passwordStdin === true ? await readPasswordFromStdin(io) : undefined;
  // A KeePass key file is a secret like the password: read here, sent once, never printed.
  const keyFile = flags.keyFile === undefined ? undefined : (await readInputFile(flags.keyFile, MAX_KEY_FILE_BYTES)).toString("base64");
  const preview = await upload(
    client,
    {
      data,
      format: flags.format as ImportFormatName,
      fileName: path.basename(file),
      ...(password === undefined ? {} : { password }),
      ...(keyFile === undefined ? {} : { keyFile }),
    },
    file,
    io,
  );
  const isJson = flags.json === true;
  const includeDuplicates = flags.includeDuplicates === true;
  if (isJson && flags.yes !== true) {
    await client.discardImport(preview.importId);
    io.stdout(toJson(preview));
    if (preview.entries.length > 0) io.stderr("Run again with --yes to import.");
    return;
  }
  if (!isJson) for (const line of previewLines(preview, includeDuplicates, folder)) io.stdout(line);
  if (preview.entries.length === 0) {
    await client.discardImport(preview.importId);
    throw invalidInput(`Nothing in ${file} can be imported.`, "file");
  }
  const selection = selectRows(preview, includeDuplicates);
  if (selection.chosen.length === 0) {
    // Importing the same file twice changes nothing: not an error.
    await client.discardImport(preview.importId);
    if (isJson) io.stdout(toJson({ preview, created: [], skipped: selection.skipped }));
    else io.stdout(`Nothing imported: ${preview.entries.length === 1 ? "the entry looks like one that exists" : `all ${preview.entries.length} look like entries that exist`} already (--include-duplicates imports them anyway).`);
    return;
  }
  if (flags.yes !== true) {
    if (!io.terminal.isInteractive) {
      await client.discardImport(preview.importId);
      io.stdout("Run again with --yes to import.");
      return;
    }
    if (!(await isConfirmedByPerson(selection, io))) {
      await client.discardImport(preview.importId);
      io.stdout("Nothing imported.");
      return;
    }
  }
  const folderId = await folderIdFor(client, folder, preview.importId);
  const { created } = await client.confirmImport(preview.importId, {
    include: selection.chosen.map((e) => e.index),
    ...(folderId === undefined ? {} : { folderId }),
  });
  if (isJson) {
    io.stdout(toJson({ preview, created, skipped: selection.skipped, ...(folder?.isNew === true ? { createdFolder: { id: folderId, name: folder.name } } : {}) }));
    return;
  }
  if (folder?.isNew === true) io.stdout(`Created the folder "${printable(folder.name)}".`);
  io.stdout(`Imported ${entries(created.length)}${folder === undefined ? "" : ` into "${printable(folder.name)}"`}.`);
  if (selection.skipped.length > 0) io.stdout(skippedSentence(selection.skipped.length));
}

export function registerImportCommand(program: Command, io: ClientIo): void {
  addClientOptions(
    program
      .command("import <file>")
      .description("import entries from another app's export or a QR image: shows a preview, --yes confirms")
      .option("--format <format>", `${FORMATS.join(", ")}`, "auto")
      .option("--password-stdin", "read the export's password from standard input (otherwise asked for on a terminal)")
      .option("--key-file <file>", "the key file of a KeePass database locked with one (with or without a password)")
      .option("--folder <folder>", "put every entry in this folder (a name or an id); a new name creates the folder")
      .option("--yes", "import without asking")
      .option("--include-duplicates", "also import rows that look like entries that exist already (skipped by default)"),
  )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  $ watchword import aegis-export.json                 (shows the preview, then asks)",
        "  $ watchword import aegis-export.json --folder Ops --yes",
        "  $ pass show backups/aegis | watchword import aegis-encrypted.json --password-stdin --yes --json",
        "  $ watchword import vault.kdbx --key-file vault.keyx --password-stdin --yes",
      ].join("\n"),
    )
    .action((file: string, flags: ImportFlags) => importFile(file, flags, io));
}
