// Order statistics for benchmark rounds and latency samples. Pure functions, no I/O.

/**
 * @param {ArrayLike<number>} values
 * @returns {Float64Array} a sorted copy
 */
function sortedCopy(values) {
  return Float64Array.from(values).sort();
}

/**
 * Median of the values (the mean of the two middle ones for an even count).
 * @param {ArrayLike<number>} values
 */
export function median(values) {
  const sorted = sortedCopy(values);
  if (sorted.length === 0) throw new Error("median of no values");
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? /** @type {number} */ (sorted[mid]) : (/** @type {number} */ (sorted[mid - 1]) + /** @type {number} */ (sorted[mid])) / 2;
}

/**
 * Nearest-rank percentile (p in 0..100), as HDR histograms and autocannon report it.
 * @param {ArrayLike<number>} values
 * @param {number} p
 */
export function percentile(values, p) {
  const sorted = sortedCopy(values);
  if (sorted.length === 0) throw new Error("percentile of no values");
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return /** @type {number} */ (sorted[rank - 1]);
}

/**
 * @param {ArrayLike<number>} values
 * @returns {{ median: number, min: number, max: number }}
 */
export function summarize(values) {
  const sorted = sortedCopy(values);
  return { median: median(sorted), min: /** @type {number} */ (sorted[0]), max: /** @type {number} */ (sorted[sorted.length - 1]) };
}
