// Runs the built `watchword` command on a pseudo-terminal, as a person at a keyboard would: wait
// for a prompt, type an answer. Node has no pseudo-terminal of its own, so Python's pty module
// drives it; tests that need it are skipped where python3 is missing.
import { spawn, spawnSync } from "node:child_process";
import { CLI } from "./cli.js";

export const hasPseudoTerminal = process.platform !== "win32" && spawnSync("python3", ["-c", "import pty"], { stdio: "ignore" }).status === 0;

export interface Keystrokes {
  /** Wait until everything printed so far matches this (a regular expression source). */
  readonly waitFor: string;
  /** Then type this (raw: "\r" is Enter, "\u007f" Backspace, "\u0003" Ctrl-C). */
  readonly send: string;
}

export interface TerminalResult {
  readonly code: number | null;
  /** Everything the terminal showed: stdout and stderr together, with the terminal's own echo. */
  readonly screen: string;
}

const DRIVER = String.raw`
import json, os, pty, re, select, sys, time
argv, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
screen = b""
def read(deadline):
    global screen
    ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
    if not ready:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return None
    if not chunk:
        return None
    screen += chunk
    return True
for step in steps:
    deadline = time.time() + 20
    while not re.search(step["waitFor"], screen.decode("utf8", "replace")):
        if time.time() > deadline or read(deadline) is None:
            break
    time.sleep(0.1)
    os.write(fd, step["send"].encode("utf8"))
deadline = time.time() + 20
while time.time() < deadline and read(deadline) is not None:
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "screen": screen.decode("utf8", "replace")}))
`;

export function runInTerminal(args: string[], env: Record<string, string>, keystrokes: Keystrokes[]): Promise<TerminalResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", DRIVER, JSON.stringify([process.execPath, CLI, ...args]), JSON.stringify(keystrokes)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(JSON.parse(stdout) as TerminalResult);
      } catch {
        reject(new Error(`the terminal driver failed: ${stderr.trim()}`));
      }
    });
  });
}
