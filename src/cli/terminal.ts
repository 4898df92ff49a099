// Questions asked on the terminal: a password without echo, and a yes/no answer. The only module
// that puts standard input into raw mode, and it always restores the mode it found.
import readline from "node:readline";

export interface Terminal {
  /** True when a person can answer: standard input and standard error are terminals. */
  readonly isInteractive: boolean;
  /** Asks for a secret without echoing it; Ctrl-C or Ctrl-D on an empty line cancels. */
  readHidden(prompt: string): Promise<string>;
  /** Asks a question and returns the answer line (empty on end of input). */
  ask(question: string): Promise<string>;
}

const cancelled = (): Error => new Error("Cancelled.");

const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const CTRL_U = "\u0015";
const ESCAPE = "\u001b";

/** Applies one chunk of raw keyboard input to the characters typed so far; "done" or "cancel" ends the prompt. */
export function applyKeystrokes(typed: string[], chunk: string): "more" | "done" | "cancel" {
  // Arrow and function keys arrive as one escape sequence per chunk: they are not part of a password.
  if (chunk.startsWith(ESCAPE)) return "more";
  for (const char of chunk) {
    if (char === "\r" || char === "\n") return "done";
    if (char === CTRL_C) return "cancel";
    if (char === CTRL_D) {
      if (typed.length === 0) return "cancel";
      continue;
    }
    if (char === "\u007f" || char === "\b") typed.pop();
    else if (char === CTRL_U) typed.length = 0;
    else if (char >= " ") typed.push(char);
  }
  return "more";
}

export function processTerminal(): Terminal {
  const input = process.stdin;
  const output = process.stderr;
  return {
    isInteractive: input.isTTY === true && output.isTTY === true,

    readHidden(prompt) {
      return new Promise((resolve, reject) => {
        const typed: string[] = [];
        const wasRaw = input.isRaw;
        output.write(prompt);
        input.setRawMode(true);
        input.setEncoding("utf8");
        const onData = (chunk: string): void => {
          const state = applyKeystrokes(typed, chunk);
          if (state === "more") return;
          input.off("data", onData);
          input.setRawMode(wasRaw);
          input.pause();
          output.write("\n");
          if (state === "cancel") reject(cancelled());
          else resolve(typed.join(""));
        };
        input.on("data", onData);
        input.resume();
      });
    },

    ask(question) {
      return new Promise((resolve, reject) => {
        const rl = readline.createInterface({ input, output, terminal: true });
        let isSettled = false;
        rl.on("SIGINT", () => {
          isSettled = true;
          rl.close();
          output.write("\n");
          reject(cancelled());
        });
        rl.on("close", () => {
          if (!isSettled) resolve("");
          isSettled = true;
        });
        rl.question(question, (answer) => {
          isSettled = true;
          rl.close();
          resolve(answer);
        });
      });
    },
  };
}
