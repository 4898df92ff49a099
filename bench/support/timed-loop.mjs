// Measures how many times a synchronous operation runs per second, in batches so that reading
// the clock costs nothing next to the operation itself.

/**
 * Runs `operation` repeatedly for about `durationMs` and returns operations per second.
 * The batch size grows until one batch takes at least ~2 ms, so clock reads stay negligible
 * even for sub-microsecond operations.
 * @param {() => unknown} operation
 * @param {number} durationMs
 */
export function measureOpsPerSecond(operation, durationMs) {
  const budget = BigInt(Math.round(durationMs * 1e6));
  const minBatchNs = 2_000_000n;
  let batch = 1;
  let operations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < budget) {
    const batchStart = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) operation();
    const now = process.hrtime.bigint();
    operations += batch;
    elapsed = now - start;
    if (now - batchStart < minBatchNs && batch < 1 << 24) batch *= 2;
  }
  return operations / (Number(elapsed) / 1e9);
}

/**
 * Runs `operation` back to back for about `durationMs` and returns completions per second.
 * For operations slow enough (≥ ~10 µs, such as a disk sync) that a clock read each time is free.
 * @param {() => unknown} operation
 * @param {number} durationMs
 */
export function measureSlowOpsPerSecond(operation, durationMs) {
  const start = performance.now();
  let operations = 0;
  let elapsed = 0;
  while (elapsed < durationMs) {
    operation();
    operations++;
    elapsed = performance.now() - start;
  }
  return operations / (elapsed / 1000);
}
