// `watchword entries` and `watchword code`: list the entries the caller may use, and get one's
// current code — alone on stdout so that `$(watchword code AWS)` works, or to the clipboard.
import { Option, type Command } from "commander";
import { ApiError, type WatchwordClient } from "../client/client.js";
import type { CodeReply } from "../contract/codes.js";
import type { EntrySummary, Folder } from "../contract/entries.js";
import { invalidInput } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";
import { findEntry } from "./name-lookup.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, issuerAndAccount, otpShape, otpTypeLabel, printable } from "./text-output.js";

function entryRows(entries: readonly EntrySummary[], folders: readonly Folder[]): string[] {
  const folderName = new Map(folders.map((f) => [f.id, f.name]));
  return formatTable(
    [
      { header: "Name", maxWidth: 40 },
      { header: "Folder", maxWidth: 24 },
      { header: "Type" },
      { header: "Digits/period" },
      { header: "Issuer/account", maxWidth: 48 },
      { header: "Recovery codes" },
      { header: "Id" },
    ],
    entries.map((e) => [
      e.name,
      e.folderId === null ? "" : (folderName.get(e.folderId) ?? e.folderId),
      e.otp === null ? "-" : otpTypeLabel(e.otp.type),
      e.otp === null ? "-" : otpShape(e.otp.type, e.otp.digits, e.otp.period),
      issuerAndAccount(e.issuer, e.account),
      e.recoveryCodes.total === 0 ? "" : `${e.recoveryCodes.remaining} of ${e.recoveryCodes.total} left`,
      e.id,
    ]),
  );
}

/** The folders, to name them; a service account's token may not list folders, and then the table shows their ids. */
async function foldersOrNone(client: WatchwordClient): Promise<Folder[]> {
  try {
    return (await client.listFolders()).folders;
  } catch (error) {
    if (error instanceof ApiError && error.key === "service_account_forbidden") return [];
    throw error;
  }
}

async function listEntries(flags: ConnectionFlags & JsonFlag, io: ClientIo): Promise<void> {
  const { client } = await connect(flags, io.env);
  const list = await client.listAllEntries();
  if (flags.json === true) {
    io.stdout(toJson(list));
    return;
  }
  if (list.entries.length === 0) {
    io.stdout("No entries yet: add one with `watchword entry add NAME --secret -`.");
    return;
  }
  const folders = list.entries.some((e) => e.folderId !== null) ? await foldersOrNone(client) : [];
  for (const line of entryRows(list.entries, folders)) io.stdout(line);
}

interface CodeFlags extends ConnectionFlags, JsonFlag {
  copy?: boolean;
}

const secondsLeft = (reply: CodeReply, now: number): string =>
  reply.validUntil === null ? "valid until used" : `valid for ${Math.max(0, reply.validUntil - Math.floor(now / 1000))} s`;

// Loaded for --copy only: `watchword code` in a script's loop does not pay for node:child_process.
const loadClipboard = () => import("./clipboard.js");

async function printCode(reference: string, flags: CodeFlags, io: ClientIo): Promise<void> {
  const { client } = await connect(flags, io.env);
  const clipboard = flags.copy === true ? await loadClipboard() : undefined;
  const tool = clipboard === undefined ? undefined : await clipboard.findClipboardTool(io.env);
  const entry = findEntry((await client.listAllEntries()).entries, reference);
  if (entry.otp === null) throw invalidInput(`The entry "${printable(entry.name)}" has no one-time password.`, "entry");
  // HOTP codes are taken (the counter moves on); time-based codes are only read.
  const reply = entry.otp.type === "hotp" ? await client.takeCode(entry.id) : await client.getCode(entry.id);
  if (clipboard !== undefined && tool !== undefined) {
    await clipboard.copyToClipboard(tool, reply.code, io.env);
    io.stderr(`Copied (${secondsLeft(reply, Date.now())}).`);
    return;
  }
  io.stdout(flags.json === true ? toJson(reply) : reply.code);
}

export function registerEntryCommands(program: Command, io: ClientIo): void {
  addClientOptions(program.command("entries").description("list the entries you may use"))
    .addHelpText("after", "\nExamples:\n  $ watchword entries\n  $ watchword entries --json | jq -r '.entries[].name'")
    .action((flags: ConnectionFlags & JsonFlag) => listEntries(flags, io));

  addClientOptions(
    program
      .command("code <entry>")
      .description("print the current code of an entry (ENTRY is its name, in any case, or its id)")
      .addOption(new Option("--copy", "copy the code to the clipboard (wl-copy, xclip, xsel or pbcopy) instead of printing it").conflicts("json")),
  )
    .addHelpText("after", '\nExamples:\n  $ watchword code "AWS root"\n  $ aws sts get-session-token --serial-number "$MFA_ARN" --token-code "$(watchword code "AWS root")"\n  $ watchword code 3f8fdbb2-1071-43ae-879f-a6b8e3e0ef35 --copy')
    .action((reference: string, flags: CodeFlags) => printCode(reference, flags, io));
}
