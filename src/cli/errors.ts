// The one place where an error becomes one line on stderr and an exit code.
import { CommanderError } from "commander";
import { isWatchwordError, type ErrorCode } from "../core/errors.js";
import { ApiError } from "../client/client.js";

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** EX_UNAVAILABLE from sysexits.h: something needed is unavailable for now (the port, the database, the server); trying later may work. */
export const EXIT_UNAVAILABLE = 69;
/** EX_CONFIG from sysexits.h: the vault refused to open (wrong or missing key, or a key without its database). */
export const EXIT_SEALED = 78;

const EXIT_CODE_OF: Partial<Record<ErrorCode, number>> = { invalid_input: EXIT_USAGE, unavailable: EXIT_UNAVAILABLE, sealed: EXIT_SEALED };
const exitCodeOf = (code: ErrorCode): number => EXIT_CODE_OF[code] ?? EXIT_FAILURE;

/** Prints the error as one line and returns the exit code; never prints a stack or a secret. */
export function reportError(error: unknown, write: (line: string) => void): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE; // commander already printed it
  if (isWatchwordError(error)) {
    write(`watchword: ${error.message}`);
    return exitCodeOf(error.code);
  }
  if (error instanceof ApiError) {
    // Sudo mode: the CLI has its own way to open the window again, which the server cannot name.
    const hint = error.key === "reauthentication_required" ? " Run `watchword reauthenticate`, then the command again." : "";
    write(`watchword: ${error.message}${hint}`);
    return exitCodeOf(error.code);
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`watchword: ${message.split("\n")[0]}`);
  return EXIT_FAILURE;
}
