#!/usr/bin/env node
// The `watchword` command. Local admin verbs work on the store; client verbs talk to a server
// over the HTTP API through the typed client. Errors become one line on stderr and a non-zero exit code.
import { Command } from "commander";
import { packageVersion } from "../version.js";
import { reportError } from "./errors.js";
import type { ClientIo } from "./client-io.js";
import { processTerminal } from "./terminal.js";

type RegisterVerbs = (program: Command, io: ClientIo) => void;

// Each group of verbs is loaded only when one of its verbs runs: scripts call `watchword code` in
// loops, and loading every verb's modules (the schema library behind the import formats, the
// server and store behind the local verbs) made each call several times slower than Node itself.
const localVerbs = async (): Promise<RegisterVerbs> => (await import("./local-commands.js")).registerLocalCommands;
const sessionVerbs = async (): Promise<RegisterVerbs> => (await import("./session-commands.js")).registerSessionCommands;
const entryVerbs = async (): Promise<RegisterVerbs> => (await import("./entry-commands.js")).registerEntryCommands;
const entryAddVerbs = async (): Promise<RegisterVerbs> => (await import("./entry-add-command.js")).registerEntryAddCommand;
const importVerbs = async (): Promise<RegisterVerbs> => (await import("./import-command.js")).registerImportCommand;
const peopleVerbs = async (): Promise<RegisterVerbs> => (await import("./people-commands.js")).registerPeopleCommands;
const recoveryMethodVerbs = async (): Promise<RegisterVerbs> => (await import("./account-recovery-commands.js")).registerRecoveryMethodCommands;

const grantVerbs = async (): Promise<RegisterVerbs> => (await import("./grant-commands.js")).registerGrantCommands;

const auditVerbs = async (): Promise<RegisterVerbs> => (await import("./audit-command.js")).registerAuditCommands;

const requestVerbs = async (): Promise<RegisterVerbs> => (await import("./request-commands.js")).registerRequestCommands;

const keysVerbs = async (): Promise<RegisterVerbs> => (await import("./keys-command.js")).registerKeysCommands;
const backupVerbs = async (): Promise<RegisterVerbs> => (await import("./backup-commands.js")).registerBackupCommands;

const serviceAccountVerbs = async (): Promise<RegisterVerbs> => (await import("./service-account-commands.js")).registerServiceAccountCommands;

/** Every group, in the order `watchword --help` lists them. */
const ALL_VERBS = [localVerbs, sessionVerbs, entryVerbs, entryAddVerbs, importVerbs, peopleVerbs, recoveryMethodVerbs, grantVerbs, requestVerbs, serviceAccountVerbs, auditVerbs, keysVerbs, backupVerbs];

/** The group that defines each top-level verb; a verb missing here still works (all groups load). */
const VERB_GROUPS: Readonly<Record<string, () => Promise<RegisterVerbs>>> = {
  serve: localVerbs,
  init: localVerbs,
  user: peopleVerbs,
  group: peopleVerbs,
  "recovery-method": recoveryMethodVerbs,
  login: sessionVerbs,
  logout: sessionVerbs,
  entries: entryVerbs,
  code: entryVerbs,
  entry: entryAddVerbs,
  import: importVerbs,
  grant: grantVerbs,
  audit: auditVerbs,
  request: requestVerbs,
  requests: requestVerbs,
  approve: requestVerbs,
  deny: requestVerbs,
  "service-account": serviceAccountVerbs,
  keys: keysVerbs,
  token: serviceAccountVerbs,
  backup: backupVerbs,
  restore: backupVerbs,
};

/** The groups the command line needs: its verb's alone, or all of them for help and unknown verbs. */
function verbGroupsFor(argv: readonly string[]): readonly (() => Promise<RegisterVerbs>)[] {
  // The top-level command has only -h and -V, which take no value: the first other word is the verb.
  const verb = argv.slice(2).find((arg) => !arg.startsWith("-"));
  const group = verb === undefined || verb === "help" || !Object.hasOwn(VERB_GROUPS, verb) ? undefined : VERB_GROUPS[verb];
  return group === undefined ? ALL_VERBS : [group];
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new Error("Standard input is larger than 1 MiB.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function main(argv: readonly string[]): Promise<number> {
  const io: ClientIo = {
    env: process.env,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    readStdin,
    terminal: processTerminal(),
    // \r and erase-line redraw one line in place; only a terminal understands them.
    progress: process.stderr.isTTY ? (text) => process.stderr.write(text === "\n" ? text : `\r\u001b[2K${text}`) : undefined,
  };
  const program = new Command()
    .name("watchword")
    .description("Watchword: a vault for shared one-time-password secrets. Seeds go in, only codes come out.")
    .version(packageVersion(), "-V, --version")
    .exitOverride()
    .showHelpAfterError("(run watchword --help for usage)");
  try {
    const registrations = await Promise.all(verbGroupsFor(argv).map((load) => load()));
    for (const register of registrations) register(program, io);
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, (line) => process.stderr.write(`${line}\n`));
  }
}

const code = await main(process.argv);
if (code !== 0) process.exit(code);
