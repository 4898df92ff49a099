#!/usr/bin/env node
// Runs Watchword's benchmarks and prints one table: the median of each figure over its rounds,
// the spread, and for a benchmark that names a baseline, its ratio to that baseline measured in
// the same run on the same machine. Absolute figures differ between machines; ratios travel.
//
//   node bench/run.mjs                    run everything
//   node bench/run.mjs hmac http          only benchmarks whose name contains a word (and their baselines)
//   node bench/run.mjs --json out.json    also write every round's figures as JSON

import { writeFileSync } from "node:fs";
import { arch, cpus, platform } from "node:os";
import { summarize } from "./support/stats.mjs";

/**
 * One benchmark. The runner calls `setup` once, `run` for `warmup` discarded rounds and then
 * `rounds` measured ones, and `teardown` once (also after a failure).
 * @template [Context=undefined]
 * @typedef {object} Bench
 * @property {string} name      unique key, e.g. "http.bare"; what another bench's `baseline` names
 * @property {string} title     one line saying what is measured
 * @property {string} unit      unit of the figure `run` returns, e.g. "req/s"
 * @property {Record<string, string>} [extras]  further figures each round returns, name → unit, e.g. { p99: "ms" }
 * @property {string} [baseline]  name of the bench this one is compared to: ratio = median / baseline median
 *                                (extras are compared to the baseline's extra of the same name, if it has one)
 * @property {number} rounds
 * @property {number} [warmup]  rounds run first and discarded; default 1
 * @property {() => Promise<Context>} [setup]
 * @property {(context: Context) => Promise<number | Round>} run  measures one round
 * @property {(context: Context) => Promise<void>} [teardown]
 */

/** @typedef {{ value: number } & Record<string, number>} Round */

/**
 * @typedef {object} Figure
 * @property {string} key        "http.bare" or "http.bare p99"
 * @property {string} unit
 * @property {number[]} rounds
 * @property {number} median
 * @property {number} min
 * @property {number} max
 * @property {string} [baselineKey]
 * @property {number} [ratio]
 */

/**
 * @typedef {object} Outcome
 * @property {Bench<any>} bench
 * @property {Figure[]} figures  empty when the bench failed
 * @property {string} [error]
 */

// Each module's default export is a Bench or an array of them. Later benchmarks are added here,
// after the baselines they name.
const benchModules = [
  "./baselines/http-bare.mjs",
  "./baselines/hmac-sha1.mjs",
  "./baselines/durable-commits.mjs",
  "./otp.mjs",
  "./code-endpoint.mjs",
  "./cli-start.mjs",
  "./baselines/hmac-sha256-line.mjs",
  "./audit-verify.mjs",
  "./audit-query.mjs",
  "./scale.mjs",
];

async function main() {
  const { filters, jsonPath } = parseArguments(process.argv.slice(2));
  const startedAt = new Date();
  const benches = await loadBenches();
  const selected = selectBenches(benches, filters);
  if (selected.length === 0) throw new Error(`no benchmark matches ${filters.join(", ")}`);

  /** @type {Outcome[]} */
  const outcomes = [];
  for (const bench of selected) outcomes.push(await runBench(bench));
  addRatios(outcomes);

  const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000;
  printReport(outcomes, startedAt, elapsedSeconds);
  if (jsonPath !== undefined) {
    writeFileSync(jsonPath, JSON.stringify({ ...describeMachine(), startedAt, elapsedSeconds, outcomes: outcomes.map(toJson) }, null, 2) + "\n");
  }
  if (outcomes.some((outcome) => outcome.error !== undefined)) process.exitCode = 1;
}

/** @param {string[]} args */
function parseArguments(args) {
  /** @type {string[]} */
  const filters = [];
  /** @type {string | undefined} */
  let jsonPath;
  for (let i = 0; i < args.length; i++) {
    const arg = /** @type {string} */ (args[i]);
    if (arg === "--json") {
      jsonPath = args[++i];
      if (jsonPath === undefined) throw new Error("--json needs a file name");
    } else if (arg === "--help" || arg === "-h") {
      console.log("usage: node bench/run.mjs [NAME-PART…] [--json FILE]");
      process.exit(0);
    } else if (arg.startsWith("-")) {
      throw new Error(`unknown option ${arg}`);
    } else {
      filters.push(arg);
    }
  }
  return { filters, jsonPath };
}

/** @returns {Promise<Bench<any>[]>} */
async function loadBenches() {
  /** @type {Bench<any>[]} */
  const benches = [];
  for (const path of benchModules) {
    const exported = (await import(path)).default;
    benches.push(...(Array.isArray(exported) ? exported : [exported]));
  }
  const names = new Set();
  for (const bench of benches) {
    if (names.has(bench.name)) throw new Error(`two benchmarks are named ${bench.name}`);
    if (bench.baseline !== undefined && !names.has(bench.baseline)) {
      throw new Error(`${bench.name} names baseline ${bench.baseline}, which is not listed before it`);
    }
    names.add(bench.name);
  }
  return benches;
}

/**
 * The benches whose name contains one of the filters, with the baselines they need, in list order.
 * @param {Bench<any>[]} benches
 * @param {string[]} filters
 */
function selectBenches(benches, filters) {
  if (filters.length === 0) return benches;
  const byName = new Map(benches.map((bench) => [bench.name, bench]));
  const wanted = new Set();
  for (const bench of benches) {
    if (!filters.some((filter) => bench.name.includes(filter))) continue;
    for (let b = /** @type {Bench<any> | undefined} */ (bench); b !== undefined; b = b.baseline === undefined ? undefined : byName.get(b.baseline)) {
      wanted.add(b.name);
    }
  }
  return benches.filter((bench) => wanted.has(bench.name));
}

/**
 * @param {Bench<any>} bench
 * @returns {Promise<Outcome>}
 */
async function runBench(bench) {
  const warmup = bench.warmup ?? 1;
  process.stderr.write(`${bench.name}: ${warmup} warm-up + ${bench.rounds} rounds … `);
  const started = Date.now();
  /** @type {Round[]} */
  const rounds = [];
  let context;
  let isSetUp = false;
  try {
    context = bench.setup ? await bench.setup() : undefined;
    isSetUp = true;
    for (let i = 0; i < warmup + bench.rounds; i++) {
      const result = await bench.run(context);
      const round = typeof result === "number" ? { value: result } : result;
      checkRound(bench, round);
      if (i >= warmup) rounds.push(round);
    }
  } catch (error) {
    process.stderr.write("failed\n");
    return { bench, figures: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    if (isSetUp && bench.teardown) await bench.teardown(context);
  }
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const figures = [makeFigure(bench.name, bench.unit, rounds.map((round) => round.value))];
  for (const [extra, unit] of Object.entries(bench.extras ?? {})) {
    figures.push(makeFigure(`${bench.name} ${extra}`, unit, rounds.map((round) => /** @type {number} */ (round[extra]))));
  }
  return { bench, figures };
}

/**
 * @param {Bench<any>} bench
 * @param {Round} round
 */
function checkRound(bench, round) {
  for (const key of ["value", ...Object.keys(bench.extras ?? {})]) {
    const figure = round[key];
    if (typeof figure !== "number" || !Number.isFinite(figure)) {
      throw new Error(`round reported ${key} = ${String(figure)}, not a finite number`);
    }
  }
}

/**
 * @param {string} key
 * @param {string} unit
 * @param {number[]} rounds
 * @returns {Figure}
 */
function makeFigure(key, unit, rounds) {
  return { key, unit, rounds, ...summarize(rounds) };
}

/**
 * Sets each compared figure's ratio to the same-named figure of its bench's baseline.
 * @param {Outcome[]} outcomes
 */
function addRatios(outcomes) {
  const figuresByKey = new Map(outcomes.flatMap((outcome) => outcome.figures.map((figure) => [figure.key, figure])));
  for (const { bench, figures } of outcomes) {
    if (bench.baseline === undefined) continue;
    for (const figure of figures) {
      const baselineKey = bench.baseline + figure.key.slice(bench.name.length);
      const baseline = figuresByKey.get(baselineKey);
      // An extra the baseline does not measure (e.g. a paired ratio) is printed without a ratio.
      if (figure.key !== bench.name && baseline === undefined && figuresByKey.has(bench.baseline)) continue;
      figure.baselineKey = baselineKey;
      if (baseline !== undefined && baseline.median !== 0) figure.ratio = figure.median / baseline.median;
    }
  }
}

function describeMachine() {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
  };
}

/**
 * @param {Outcome[]} outcomes
 * @param {Date} startedAt
 * @param {number} elapsedSeconds
 */
function printReport(outcomes, startedAt, elapsedSeconds) {
  const machine = describeMachine();
  const lines = [
    "",
    "Watchword benchmarks",
    `node ${machine.node} · ${machine.platform} · os.cpus().length = ${machine.cpus} (${machine.cpuModel})`,
    `started ${startedAt.toISOString()}, took ${elapsedSeconds.toFixed(0)} s`,
    "Figures are medians over the measured rounds (warm-up rounds discarded); min – max is their spread.",
    "",
  ];

  /** @type {string[][]} */
  const rows = [["benchmark", "median", "min – max", "unit", "rounds", "vs baseline"]];
  for (const { bench, figures, error } of outcomes) {
    if (error !== undefined) {
      rows.push([bench.name, "FAILED", "", bench.unit, "", ""]);
      continue;
    }
    for (const figure of figures) {
      rows.push([
        figure.key,
        formatNumber(figure.median),
        `${formatNumber(figure.min)} – ${formatNumber(figure.max)}`,
        figure.unit,
        String(figure.rounds.length),
        formatRatio(figure),
      ]);
    }
  }
  lines.push(...formatTable(rows, [false, true, true, false, true, false]), "");

  const nameWidth = Math.max(...outcomes.map(({ bench }) => bench.name.length));
  for (const { bench, error } of outcomes) {
    lines.push(`${bench.name.padEnd(nameWidth)}  ${bench.title}`);
    if (error !== undefined) lines.push(`${"".padEnd(nameWidth)}  FAILED: ${error}`);
  }
  console.log(lines.join("\n"));
}

/** @param {Figure} figure */
function formatRatio(figure) {
  if (figure.baselineKey === undefined) return "";
  if (figure.ratio === undefined) return `(no ${figure.baselineKey})`;
  return `${figure.ratio.toPrecision(3)} × ${figure.baselineKey}`;
}

/**
 * Thousands separated above 1000, three significant digits below.
 * @param {number} value
 */
function formatNumber(value) {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}

/**
 * @param {string[][]} rows  the first row is the header
 * @param {boolean[]} alignRight
 */
function formatTable(rows, alignRight) {
  const widths = alignRight.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  /** @param {string[]} row */
  const formatRow = (row) =>
    row
      .map((cell, column) => (alignRight[column] ? cell.padStart(/** @type {number} */ (widths[column])) : cell.padEnd(/** @type {number} */ (widths[column]))))
      .join("  ")
      .trimEnd();
  const [header, ...body] = rows;
  return [formatRow(/** @type {string[]} */ (header)), widths.map((width) => "-".repeat(width)).join("  "), ...body.map(formatRow)];
}

/** @param {Outcome} outcome */
function toJson({ bench, figures, error }) {
  return { name: bench.name, title: bench.title, baseline: bench.baseline, error, figures };
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
