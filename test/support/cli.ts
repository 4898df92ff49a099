// Runs the built `watchword` command as a user would: a child process with its own environment.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const CLI = path.resolve("dist/node/cli/main.js");

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An environment without the developer's own WATCHWORD_* settings. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("WATCHWORD_") && key !== "DATABASE_URL") env[key] = value;
  return { ...env, ...extra };
}

/** nodeArgs go to node before the command, e.g. ["--import", tracer]. */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], { env: options.env ?? cleanEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A command may exit before it reads its input (a refusal, --version): the pipe then breaks
    // (EPIPE), which says nothing the exit code and output do not, and must not crash the test run.
    child.stdin.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") reject(error);
    });
    child.stdin.end(options.input ?? "");
  });
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process printed to stdout so far. */
  output(): string;
  /** Everything the process printed to stderr so far. */
  errors(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `watchword serve` on a free port and waits for its "listening" line; nodeArgs go to node before the command. */
export function startServe(args: string[], env: Record<string, string>, nodeArgs: string[] = [], startTimeoutMs = 60_000): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, "serve", "--port", "0", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((done) => child.on("close", done));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const match = /listening on (https?:\/\/\S+) /.exec(stdout);
      if (match?.[1] !== undefined && stdout.includes("Press Ctrl-C to stop.")) {
        const url = match[1];
        resolve({
          child,
          url,
          output: () => stdout,
          errors: () => stderr,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`watchword serve exited with ${code}: ${stderr.trim()}`)));
    // A server that never said it listens is not left running behind the failed test.
    const timer = setTimeout(() => {
      if (!stdout.includes("Press Ctrl-C to stop.")) child.kill("SIGKILL");
      reject(new Error(`watchword serve did not start: ${stderr}`));
    }, startTimeoutMs);
    void exited.then(() => clearTimeout(timer));
  });
}
