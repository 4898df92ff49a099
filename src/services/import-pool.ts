// Runs the reading of uploads (import-reading.ts) in worker threads, a bounded number at a time,
// so that import work never runs on the event loop or on libuv's shared thread pool, where
// sign-in's argon2 runs. The bounds are per node: at most `maxRunning` jobs at once, sized so that
// that many jobs at the per-file caps fit the memory budget and leave a core to the server; at most
// `maxWaiting` more wait; a file that finds the queue full is turned away at once (503, Retry-After).
// The worker threads run at a lower CPU priority, each with a heap limit and a time limit per job.
// piscina (and its workers) load at the first upload: a server that never imports never pays for them.
import os from "node:os";
import type { Piscina } from "piscina";
import { WatchwordError, invalidInput, problem, type ProblemText } from "../core/errors.js";
import { KDF_CAPS } from "../core/intake/export-crypto.js";
import type { Secret } from "../core/secret.js";
import type { ImportFormatName } from "../contract/imports.js";
import type { ReadUpload } from "./import-reading.js";
import { JOB_STARTED, packUpload, unpackResult, type PackedResult, type PackedUpload } from "./import-transfer.js";

const MIB = 1024 * 1024;
/** V8 heap of one worker: a 20 MiB export parsed as JSON, with room to spare. */
const WORKER_HEAP_MB = 384;
/**
 * The most memory one job may take: scrypt at the caps needs 128 × N × r bytes (N × r ≤ 2^23:
 * 1 GiB), more than KeePass's Argon2 cap (512 MiB) or a picture at the pixel cap; plus the heap,
 * the WebAssembly decoders and the thread's stack.
 */
export const JOB_MEMORY_BYTES = 128 * KDF_CAPS.scryptMaxWork + WORKER_HEAP_MB * MIB + 64 * MIB;
/**
 * A job not done this long after a thread took it is stopped, and its thread ends. Within the caps
 * a file takes seconds. The wait before a thread takes it is bounded by the queue: at most
 * `maxWaiting / maxRunning` jobs ahead of it per thread, each within this limit. The clock starts
 * when the job is taken, so that a thread's own start (loading its modules) never counts against
 * the file. A thread stopped inside a KDF call ends when that call returns (native code is not
 * interrupted), so for at most one KDF call its work overlaps its replacement's.
 */
const JOB_TIME_LIMIT_MS = 5 * 60 * 1000;
/** Workers that sit idle this long end, and their memory with them. */
const IDLE_THREAD_MS = 15 * 1000;
/** Lower CPU priority (nice) of the worker threads, where the platform allows it. */
const WORKER_NICE_INCREMENT = 10;
const WAITING_PER_RUNNING = 4;

export const IMPORTS_BUSY = problem("imports_busy");

export interface ImportPoolOptions {
  /** Memory import work may use on this node, in bytes (WATCHWORD_IMPORT_MEMORY_MB). */
  readonly memoryBudgetBytes: number;
  /** Jobs at once; by default as many as the budget holds, leaving one core to the server. */
  readonly maxRunning?: number;
  /** Jobs that may wait; by default four per running one. */
  readonly maxWaiting?: number;
  /**
   * The worker's module: by default the compiled import-worker.js beside this file. Code that runs
   * from the TypeScript sources passes a loader for them (test/support/import-worker.mjs).
   */
  readonly workerModule?: string;
  /** How long a job may take once a thread has taken it (5 minutes). */
  readonly jobTimeLimitMs?: number;
}

export interface ImportPoolStats {
  /** Jobs a worker thread has taken and not finished. */
  readonly running: number;
  /** Jobs admitted and not yet taken (worker threads starting count here). */
  readonly waiting: number;
}

export interface ImportPool {
  /** Reads the upload in a worker thread; throws unavailable (503) at once when the queue is full. */
  read(bytes: Uint8Array, format: ImportFormatName, password: Secret | undefined, keyFile?: Secret): Promise<ReadUpload>;
  stats(): ImportPoolStats;
  /** Ends the worker threads; jobs still running fail. */
  close(): Promise<void>;
}

/** Jobs at once for a budget: what the memory holds, at most one less than the cores, at least one. */
export function runningJobsFor(memoryBudgetBytes: number, cores: number): number {
  return Math.max(1, Math.min(Math.floor(memoryBudgetBytes / JOB_MEMORY_BYTES), cores - 1));
}

const tooSlow = (ms: number): ProblemText =>
  ms >= 60_000 ? problem("import_too_slow_minutes", { count: Math.round(ms / 60_000) }) : problem("import_too_slow_seconds", { count: Math.round(ms / 1000) });
const isAbort = (error: unknown): boolean => error instanceof Error && error.name === "AbortError";
const isOutOfMemory = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY";

export function createImportPool(options: ImportPoolOptions): ImportPool {
  const maxRunning = options.maxRunning ?? runningJobsFor(options.memoryBudgetBytes, os.availableParallelism());
  const maxWaiting = options.maxWaiting ?? WAITING_PER_RUNNING * maxRunning;
  const jobTimeLimitMs = options.jobTimeLimitMs ?? JOB_TIME_LIMIT_MS;
  const filename = options.workerModule ?? new URL("./import-worker.js", import.meta.url).href;
  let pool: Promise<Piscina<PackedUpload, PackedResult>> | undefined;
  let inFlight = 0;
  let begun = 0;
  let finished = 0;
  let isClosed = false;
  /** Why the current pool ended, when a worker failed outside any job. */
  let failure: unknown;
  /**
   * The clocks of jobs admitted and not yet taken, in order. piscina hands jobs to threads in the
   * order they were run, and a thread says when it takes one (JOB_STARTED) before anything else,
   * so each message starts the clock of the oldest job still waiting.
   */
  const untaken: Array<() => void> = [];

  const start = async (): Promise<Piscina<PackedUpload, PackedResult>> => {
    const { Piscina } = await import("piscina");
    failure = undefined;
    const started = new Piscina<PackedUpload, PackedResult>({
      filename,
      minThreads: 0,
      maxThreads: maxRunning,
      maxQueue: maxWaiting,
      idleTimeout: IDLE_THREAD_MS,
      niceIncrement: WORKER_NICE_INCREMENT,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    // A worker that fails before taking a job (its module does not load) leaves the jobs waiting
    // for good: end this pool, failing them with that error, and start afresh at the next upload.
    started.on("message", (message: unknown) => {
      if (message !== JOB_STARTED) return;
      begun += 1;
      untaken.shift()?.();
    });
    started.on("error", (error: unknown) => {
      failure = error;
      pool = undefined;
      void started.destroy();
    });
    return started;
  };

  return {
    async read(bytes, format, password, keyFile) {
      if (isClosed) throw new WatchwordError("unavailable", problem("imports_stopping"), { retryAfterSeconds: 60 });
      if (inFlight >= maxRunning + maxWaiting) throw new WatchwordError("unavailable", IMPORTS_BUSY, { retryAfterSeconds: 60 });
      inFlight += 1;
      const stop = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const startClock = (): void => {
        timer = setTimeout(() => stop.abort(), jobTimeLimitMs);
      };
      try {
        const { upload, transfer } = packUpload(bytes, format, password, keyFile);
        const threads = await (pool ??= start());
        untaken.push(startClock);
        const result = await threads.run(upload, { transferList: transfer, signal: stop.signal });
        return unpackResult(result);
      } catch (error) {
        if (isAbort(error)) {
          throw new WatchwordError("unavailable", tooSlow(jobTimeLimitMs), { retryAfterSeconds: 60 });
        }
        if (isOutOfMemory(error)) throw invalidInput(problem("import_too_much_memory"), "file");
        throw failure ?? error;
      } finally {
        clearTimeout(timer);
        const waiting = untaken.indexOf(startClock);
        if (waiting >= 0) untaken.splice(waiting, 1);
        inFlight -= 1;
        // Jobs are taken in order; one that ends without being taken (stopped while waiting) is not counted.
        if (finished < begun) finished += 1;
      }
    },
    stats() {
      const running = Math.min(inFlight, begun - finished);
      return { running, waiting: inFlight - running };
    },
    async close() {
      isClosed = true;
      if (pool !== undefined) await (await pool).destroy();
    },
  };
}
