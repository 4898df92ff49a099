// The outbox: what leaves Watchword after an audit event (SIEM deliveries, alerts) is decided in
// the transaction that writes the event, and delivered afterwards by one deliverer per
// destination across every node. Producers add rows inside the audit batch's transaction
// (createAuditLog's onAppended); deliverers hold a lease row, deliver, and only then move their
// cursor or remove their rows, so a crash at any point repeats a delivery and never loses one.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { NewOutboxMessage, OutboxDestinationState, OutboxStore } from "../store/outbox.js";
import type { TransactionScope } from "../store/store.js";
import type { AppendedAuditEvent } from "./audit-log.js";

/** Decides, inside the audit batch's transaction, which messages its events call for. */
export type OutboxProducer = (events: readonly AppendedAuditEvent[], tx: TransactionScope) => Promise<readonly NewOutboxMessage[]> | readonly NewOutboxMessage[];

export interface Outbox {
  /** Adds a producer (alerts, say); its messages commit with the events or not at all. */
  addProducer(producer: OutboxProducer): void;
  /** createAuditLog's onAppended. */
  onAppended(tx: TransactionScope, events: readonly AppendedAuditEvent[]): Promise<void>;
  /** Called after each commit: this node's deliverers look at once instead of at their next poll. */
  wake(): void;
  /** Runs `listener` on each wake; returns a function that removes it. */
  onWake(listener: () => void): () => void;
}

export function createOutbox(deps: { clock: Clock }): Outbox {
  const producers: OutboxProducer[] = [];
  const listeners = new Set<() => void>();
  return {
    addProducer(producer) {
      producers.push(producer);
    },
    async onAppended(tx, events) {
      for (const producer of producers) {
        const messages = await producer(events, tx);
        await tx.outbox.enqueueOutboxMessages(messages, deps.clock.now());
      }
    },
    wake() {
      for (const listener of listeners) listener();
    },
    onWake(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A delivery attempt that failed, in a sentence fit for an administrator: no secret, no URL path. */
export class DeliveryFailure extends Error {
  override readonly name = "DeliveryFailure";
}

/** What one round of delivery did: "delivered" something (look again at once) or found nothing ("idle"). */
export type RoundResult = "delivered" | "idle";

export interface DelivererOptions {
  readonly store: Pick<OutboxStore, "acquireOutboxLease" | "releaseOutboxLease" | "findOutboxDestination" | "recordOutboxFailure">;
  readonly outbox: Pick<Outbox, "onWake">;
  readonly clock: Clock;
  readonly name: string;
  /** Who holds the lease: this process, unique across nodes. */
  readonly holder: string;
  /** Delivers the next batch while the lease is held; throws DeliveryFailure (or anything) when the receiver is away. */
  readonly round: (state: OutboxDestinationState) => Promise<RoundResult>;
  /**
   * A read that says whether there is anything to deliver: when given and false, the loop sleeps
   * without taking the lease, so an idle destination writes nothing (on SQLite a lease write
   * waiting on another process's lock would hold up the reads queued behind it).
   */
  readonly hasWork?: () => Promise<boolean>;
  readonly timing?: Partial<DelivererTiming>;
  /** Told of failures (logged as warnings by the caller); never given a secret. */
  readonly onFailure?: (name: string, error: string) => void;
}

export interface DelivererTiming {
  /** How long a lease lasts without renewal; another node takes over after it. */
  readonly leaseMs: number;
  /** How often an idle deliverer looks for events committed by other nodes, and a non-holder for a free lease. */
  readonly pollMs: number;
  /** Retry delays after failures: first, doubling up to max. */
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
}

const DEFAULT_TIMING: DelivererTiming = { leaseMs: 15_000, pollMs: 1_000, retryMinMs: 500, retryMaxMs: 60_000 };

export interface Deliverer {
  stop(): Promise<void>;
}

/** A name for this process as lease holder: the host and pid for people, a random part for uniqueness. */
export const delivererHolderName = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export const reasonOfDeliveryError = (error: unknown): string => {
  if (error instanceof DeliveryFailure) return error.message;
  const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
  return code === undefined ? "delivery failed" : `delivery failed (${code})`;
};

/** Runs one destination's delivery loop until stopped: lease, round, back-off, never skipping. */
export function startDeliverer(options: DelivererOptions): Deliverer {
  const { store, clock, name, holder, round } = options;
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  let isStopped = false;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  const removeWake = options.outbox.onWake(() => {
    woken = true;
    wakeUp?.();
  });
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (isStopped || woken) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  const backOff = (failures: number): number => Math.min(timing.retryMaxMs, timing.retryMinMs * 2 ** Math.min(failures, 20)) * (0.75 + Math.random() * 0.5);

  async function loop(): Promise<void> {
    let failures = 0;
    while (!isStopped) {
      woken = false;
      let isHolder = false;
      try {
        if (options.hasWork !== undefined && !(await options.hasWork())) {
          await sleep(timing.pollMs);
          continue;
        }
        const now = clock.now();
        isHolder = await store.acquireOutboxLease(name, holder, now, now + timing.leaseMs);
        if (!isHolder) {
          await sleep(timing.pollMs);
          continue;
        }
        const state = await store.findOutboxDestination(name);
        if (state === undefined) return;
        const result = await round(state);
        failures = 0;
        if (result === "idle") await sleep(timing.pollMs);
      } catch (error) {
        failures += 1;
        const reason = reasonOfDeliveryError(error);
        options.onFailure?.(name, reason);
        if (isHolder) await store.recordOutboxFailure({ name, holder, error: reason, at: clock.now() }).catch(() => undefined);
        // A wake means new events, not a receiver back: failures wait their full delay.
        const until = clock.now() + backOff(failures - 1);
        while (!isStopped && clock.now() < until) {
          woken = false;
          await sleep(until - clock.now());
        }
      }
    }
  }

  const running = loop();
  return {
    async stop() {
      isStopped = true;
      removeWake();
      wakeUp?.();
      await running;
      // One last round, so what shutdown wrote (the final checkpoint) leaves now if the receiver is up.
      try {
        const now = clock.now();
        const state = (await store.acquireOutboxLease(name, holder, now, now + timing.leaseMs)) ? await store.findOutboxDestination(name) : undefined;
        if (state !== undefined) await round(state);
      } catch {
        // It waits in the outbox for the next node or start.
      }
      await store.releaseOutboxLease(name, holder).catch(() => undefined);
    },
  };
}
