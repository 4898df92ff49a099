#!/usr/bin/env node
// The `watchword` command. Local admin verbs work on the store; client verbs talk to a server
// over the HTTP API through the typed client. Errors become one line on stderr and a non-zero exit code.
import { Command } from "commander";
import { packageVersion } from "../version.js";
import { reportError } from "./errors.js";
import type { ClientIo } from "./client-io.js";
import { registerEntryAddCommand } from "./entry-add-command.js";
import { registerEntryCommands } from "./entry-commands.js";
import { registerImportCommand } from "./import-command.js";
import { registerLocalCommands } from "./local-commands.js";
import { registerSessionCommands } from "./session-commands.js";
import { processTerminal } from "./terminal.js";

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
  };
  const program = new Command()
    .name("watchword")
    .description("Watchword: a vault for shared one-time-password secrets. Seeds go in, only codes come out.")
    .version(packageVersion(), "-V, --version")
    .exitOverride()
    .showHelpAfterError("(run watchword --help for usage)");
  registerLocalCommands(program, io);
  registerSessionCommands(program, io);
  registerEntryCommands(program, io);
  registerEntryAddCommand(program, io);
  registerImportCommand(program, io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, (line) => process.stderr.write(`${line}\n`));
  }
}

const code = await main(process.argv);
if (code !== 0) process.exit(code);
