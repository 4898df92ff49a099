// Where a password comes from: standard input with --password-stdin, else a prompt without echo
// on a terminal. Never from a flag (shell history) and never printed.
import { invalidInput } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";

export async function readPasswordFromStdin(io: ClientIo): Promise<string> {
  const password = (await io.readStdin()).replace(/\r?\n$/, "");
  if (password === "") throw invalidInput("Standard input held no password: send it there with --password-stdin.", "password");
  return password;
}

export async function promptForPassword(io: ClientIo, prompt: string): Promise<string> {
  if (!io.terminal.isInteractive) {
    throw invalidInput("Standard input is not a terminal: pass --password-stdin and send the password on standard input.", "password");
  }
  const password = await io.terminal.readHidden(prompt);
  if (password === "") throw invalidInput("No password given.", "password");
  return password;
}

export const readPassword = (io: ClientIo, isFromStdin: boolean | undefined, prompt: string): Promise<string> =>
  isFromStdin === true ? readPasswordFromStdin(io) : promptForPassword(io, prompt);
