// Runs a benchmark's HTTP server in a child process, so the load generator and the server do
// not share one event loop (on a 2-core machine each gets a core).

import { fork } from "node:child_process";
import { once } from "node:events";

const childScript = new URL("./server-child.mjs", import.meta.url);
// Generous: a PostgreSQL-backed server opening its pool and migrating on a busy 2-CPU machine can take a while.
const startTimeoutMs = 180_000;
const stopTimeoutMs = 5_000;

/**
 * @typedef {object} ServerProcess
 * @property {string} origin  e.g. "http://127.0.0.1:40123"
 * @property {number} pid     the server child's, for its CPU time and memory in /proc
 * @property {() => Promise<void>} stop
 */

/**
 * Forks a child that serves the Fastify app built by `appModule`'s `buildApp()`.
 * @param {URL} appModule
 * @param {{ stdout?: number, env?: Record<string, string> }} [options]
 *   stdout: a file descriptor for the child's standard output (its log), else the bench's own
 * @returns {Promise<ServerProcess>}
 */
export async function startServerProcess(appModule, options = {}) {
  const child = fork(childScript, [appModule.href], {
    stdio: ["ignore", options.stdout ?? "inherit", "inherit", "ipc"],
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the servers (written when they stop).
    execArgv: (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== ""),
    env: { ...process.env, ...options.env },
  });
  const exited = once(child, "exit");

  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    const port = await Promise.race([
      once(child, "message").then(([message]) => /** @type {{ port: number }} */ (message).port),
      exited.then(([code, signal]) => {
        throw new Error(`server process exited before listening (code ${code}, signal ${signal})`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`server process did not listen within ${startTimeoutMs} ms`)), startTimeoutMs);
      }),
    ]);
    return {
      origin: `http://127.0.0.1:${port}`,
      pid: /** @type {number} */ (child.pid),
      stop: () => stopChild(child, exited),
    };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * @param {import("node:child_process").ChildProcess} child
 * @param {Promise<unknown>} exited
 */
async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
