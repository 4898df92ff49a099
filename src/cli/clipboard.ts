// Copies a code to the clipboard with the first clipboard tool found on PATH. The code goes to the
// tool's standard input, never on its command line (where `ps` would show it).
import { spawn } from "node:child_process";
import { constants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Environment } from "../config.js";
import { unavailable } from "../core/errors.js";

const CLIPBOARD_TOOLS: readonly { readonly command: string; readonly args: readonly string[] }[] = [
  { command: "wl-copy", args: [] },
  { command: "xclip", args: ["-selection", "clipboard"] },
  { command: "xsel", args: ["--clipboard", "--input"] },
  { command: "pbcopy", args: [] },
];

async function findOnPath(command: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, command);
    try {
      await fs.access(candidate, constants.X_OK);
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      // not in this directory: keep looking
    }
  }
  return undefined;
}

export interface ClipboardTool {
  readonly command: string;
  readonly executable: string;
  readonly args: readonly string[];
}

/** The first clipboard tool on PATH; looked up before a code is taken, so an HOTP code is not spent for nothing. */
export async function findClipboardTool(env: Environment): Promise<ClipboardTool> {
  for (const tool of CLIPBOARD_TOOLS) {
    const executable = await findOnPath(tool.command, env.PATH ?? "");
    if (executable !== undefined) return { ...tool, executable };
  }
  throw unavailable(`No clipboard tool found: install one of ${CLIPBOARD_TOOLS.map((t) => t.command).join(", ")}, or leave out --copy.`);
}

export async function copyToClipboard(tool: ClipboardTool, text: string, env: Environment): Promise<void> {
  // Output is ignored and "exit" (not "close") is awaited: xclip and wl-copy leave a process
  // behind that serves the clipboard, holding inherited pipes open.
  const child = spawn(tool.executable, tool.args, { env, stdio: ["pipe", "ignore", "ignore"] });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve(code));
    child.stdin.on("error", () => undefined); // a tool that exits early: its exit code tells what happened
    child.stdin.end(text);
  });
  if (exitCode !== 0) throw unavailable(`${tool.command} could not copy to the clipboard (exit code ${exitCode ?? "none"}).`);
}
