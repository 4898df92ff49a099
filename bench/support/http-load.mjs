// One round of HTTP load with autocannon's programmatic API: requests per second and the 99th
// percentile latency with sub-millisecond resolution (autocannon's own histogram counts whole
// milliseconds, too coarse on loopback, so latencies are collected from its response events).

import { createRequire } from "node:module";
import { cpuMicroseconds } from "./process-stats.mjs";
import { percentile } from "./stats.mjs";

/**
 * @typedef {object} LoadOptions
 * @property {number} connections
 * @property {number} durationSeconds
 * @property {string} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {number} [serverPid]  the server's process: the round then also reports its CPU µs per request
 */

/**
 * @typedef {object} AutocannonResult
 * @property {number} duration  seconds
 * @property {number} errors
 * @property {number} timeouts
 * @property {number} non2xx
 */
/**
 * @typedef {PromiseLike<AutocannonResult> & {
 *   on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): unknown
 * }} AutocannonInstance
 */
// autocannon 9 ships no type declarations: load it untyped and type the part used here.
/** @type {(options: object) => AutocannonInstance} */
const autocannon = createRequire(import.meta.url)("autocannon");

/**
 * @param {string} url
 * @param {LoadOptions} options
 * @returns {Promise<{ value: number, p99: number, cpuUs?: number }>} value in requests/s, p99 in ms,
 *   cpuUs the server's CPU time (user + system, from /proc) per completed request in µs
 */
export async function runLoadRound(url, options) {
  /** @type {number[]} */
  const latenciesMs = [];
  const cpuBefore = options.serverPid === undefined ? undefined : cpuMicroseconds(options.serverPid);
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    pipelining: 1,
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
  });
  instance.on("response", (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
  });
  const result = await instance;
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`load round against ${url} had ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx replies`);
  }
  if (latenciesMs.length === 0) throw new Error(`load round against ${url} completed no request`);
  const round = { value: latenciesMs.length / result.duration, p99: percentile(latenciesMs, 99) };
  if (options.serverPid === undefined || cpuBefore === undefined) return round;
  return { ...round, cpuUs: (cpuMicroseconds(options.serverPid) - cpuBefore) / latenciesMs.length };
}
