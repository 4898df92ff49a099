// What the client verbs need from the process: the environment, the two output streams, standard
// input and the terminal. main.ts builds the real one; nothing here reads process.env.
import type { CliIo } from "./local-commands.js";
import type { Terminal } from "./terminal.js";

export interface ClientIo extends CliIo {
  /** Messages for the person (progress, warnings, questions); never a secret. */
  readonly stderr: (line: string) => void;
  readonly terminal: Terminal;
  /** On a terminal: redraws the current line of standard error with `text` (a "\n" ends it); undefined elsewhere. */
  readonly progress?: ((text: string) => void) | undefined;
}
