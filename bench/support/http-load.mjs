// One round of HTTP load with autocannon's programmatic API: requests per second and the 99th
// percentile latency with sub-millisecond resolution (autocannon's own histogram counts whole
// milliseconds, too coarse on loopback, so latencies are collected from its response events).

import { createRequire } from "node:module";
import { percentile } from "./stats.mjs";

/**
 * @typedef {object} LoadOptions
 * @property {number} connections
 * @property {number} durationSeconds
 * @property {string} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
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
 * @returns {Promise<{ value: number, p99: number }>} value in requests/s, p99 in ms
 */
export async function runLoadRound(url, options) {
  /** @type {number[]} */
  const latenciesMs = [];
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
  return {
    value: latenciesMs.length / result.duration,
    p99: percentile(latenciesMs, 99),
  };
}
