// How long `watchword code ENTRY` takes end to end, as a script calling it in a loop sees it: a
// new process each time, against a running server (logging at info to a file), printing one code.
// The baseline is `node -e 0`, the least any Node command can cost on this machine, measured in
// the same run, and run by run beside each call (cli.code paired). Also the peak memory (max RSS)
// of each. Needs `npm run build` first.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./support/stats.mjs";
import { startWatchword } from "./support/watchword-server.mjs";

const cli = fileURLToPath(new URL("../dist/node/cli/main.js", import.meta.url));
const spawnsPerRound = 15;
// Preloaded into one extra run per round: prints the process's peak memory at exit, VmHWM of its
// own address space (getrusage's maxRSS would also count the parent's memory copied before exec).
// Timed runs go without it, so the preload's own cost is not in the times.
const reportPeakMemory = `data:text/javascript,import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("peak="+/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))`;

/**
 * Runs the command once and returns its wall time in ms; fails when it fails.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {(stdout: string) => boolean} isExpected
 */
function timedRun(args, env, isExpected) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, encoding: "utf8" });
  const elapsed = performance.now() - started;
  if (result.status !== 0 || !isExpected(result.stdout)) {
    throw new Error(`node ${args.join(" ")} exited ${result.status} with ${JSON.stringify(result.stdout)} ${JSON.stringify(result.stderr.slice(0, 300))}`);
  }
  return elapsed;
}

/**
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function peakMegabytes(args, env) {
  const result = spawnSync(process.execPath, ["--import", reportPeakMemory, ...args], { env, encoding: "utf8" });
  const match = /peak=(\d+)/.exec(result.stderr);
  if (match === null) throw new Error(`no peak memory reported by node ${args.join(" ")}: ${result.stderr.slice(0, 300)}`);
  return (Number(match[1]) * 1024) / 1e6; // VmHWM is in kB (KiB)
}

/**
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {(stdout: string) => boolean} isExpected
 */
function round(args, env, isExpected) {
  const times = Array.from({ length: spawnsPerRound }, () => timedRun(args, env, isExpected));
  return { value: median(times), rss: peakMegabytes(args, env) };
}

/**
 * Like round, but each run of the command is timed right after a run of `node -e 0`, and `paired`
 * is the median of their ratios: on a shared machine whose load changes by the second, the
 * steadier figure.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {(stdout: string) => boolean} isExpected
 */
function pairedRound(args, env, isExpected) {
  /** @type {number[]} */
  const times = [];
  /** @type {number[]} */
  const ratios = [];
  for (let i = 0; i < spawnsPerRound; i += 1) {
    const node = timedRun(["-e", "0"], process.env, (stdout) => stdout === "");
    const command = timedRun(args, env, isExpected);
    times.push(command);
    ratios.push(command / node);
  }
  return { value: median(times), paired: median(ratios), rss: peakMegabytes(args, env) };
}

/**
 * Starts `watchword serve` on the vault in `dataDir` and resolves with the ms from spawn to the
 * "listening" line, then stops it (SIGTERM) and waits for its exit.
 * @param {string} dataDir
 */
async function timedServe(dataDir) {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "serve", "--data-dir", dataDir, "--port", "0"], { env: { ...process.env, WATCHWORD_LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const elapsed = await new Promise((resolve, reject) => {
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      if (/is listening on/.test(output)) resolve(performance.now() - started);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    exited.then((code) => reject(new Error(`watchword serve exited (${code}) before listening: ${output.slice(0, 300)}`)));
  });
  child.kill("SIGTERM");
  await exited;
  return elapsed;
}

/** @type {import("./run.mjs").Bench<any>[]} */
export default [
  {
    name: "node.start",
    title: `node -e 0 in a new process, median of ${spawnsPerRound} per round`,
    unit: "ms",
    extras: { rss: "MB" },
    rounds: 5,
    warmup: 1,
    run: async () => round(["-e", "0"], process.env, (stdout) => stdout === ""),
  },
  {
    // Target (issue 7): ≤ 2 × node.start.
    name: "cli.code",
    title: `watchword code Bench against a running server (WATCHWORD_URL and WATCHWORD_TOKEN), median of ${spawnsPerRound} per round`,
    unit: "ms",
    extras: { paired: "× node -e 0", rss: "MB" },
    baseline: "node.start",
    rounds: 5,
    warmup: 1,
    setup: () => startWatchword(),
    run: async (w) => {
      const env = { ...process.env, WATCHWORD_URL: w.origin, WATCHWORD_TOKEN: w.token };
      return pairedRound([cli, "code", "Bench"], env, (stdout) => /^\d{6}\n$/.test(stdout));
    },
    teardown: (w) => w.stop(),
  },
  {
    // Timed for issue 11 ("start-up timed"); no target. One serve per round on a vault made once (the
    // first start, which creates the key file, database and setup link, is the warm-up).
    name: "server.start",
    title: "watchword serve on an existing SQLite vault, spawn to its listening line",
    unit: "ms",
    baseline: "node.start",
    rounds: 5,
    warmup: 1,
    setup: () => mkdtempSync(join(tmpdir(), "watchword-bench-start-")),
    run: async (dataDir) => ({ value: await timedServe(dataDir) }),
    teardown: (dataDir) => rmSync(dataDir, { recursive: true, force: true }),
  },
];
