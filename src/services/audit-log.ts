// Writes audit events before answers leave: a request's event commits before its code, recovery
// code or secret is returned, or the request fails (audit-or-fail, as in HashiCorp Vault).
// Concurrent requests share one transaction and one fsync (group commit), so durable auditing
// does not cap the code endpoint at the disk's fsync rate.
import { randomUUID } from "node:crypto";
import type { AuditOutcome } from "../core/audit-chain.js";
import type { Clock } from "../core/clock.js";
import { isWatchwordError, unavailable } from "../core/errors.js";
import type { NewAuditEvent } from "../store/audit-events.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { Actor } from "./actor.js";

export interface AuditFacts {
  readonly action: string;
  readonly outcome?: AuditOutcome;
  readonly entry?: { readonly id: string; readonly name: string };
  readonly reason?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface CommitUnit<T> {
  /** Writes that must commit together with the events (a counter, a used recovery code). */
  readonly work?: (tx: TransactionScope) => Promise<T>;
  /** The events to write, given the work's result. */
  readonly events: (result: T) => readonly AuditFacts[];
}

export interface AuditLog {
  /** Resolves with the work's result once its events are durably committed; rejects otherwise. */
  commit<T>(actor: Actor, unit: CommitUnit<T>): Promise<T>;
}

export const AUDIT_FAILED = "The audit log could not be written, so nothing was handed out. Try again, and tell your administrator if it keeps happening.";
const MAX_BATCH = 512;

interface Pending {
  readonly actor: Actor;
  readonly unit: CommitUnit<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export function eventOf(actor: Actor, facts: AuditFacts, at: number): NewAuditEvent {
  return {
    id: randomUUID(),
    at,
    actorType: actor.kind,
    actorId: actor.userId,
    actorName: actor.username,
    action: facts.action,
    outcome: facts.outcome ?? "success",
    entryId: facts.entry?.id ?? null,
    entryName: facts.entry?.name ?? null,
    reason: facts.reason ?? null,
    ip: actor.origin.ip,
    userAgent: actor.origin.userAgent,
    channel: actor.origin.channel,
    details: JSON.stringify(facts.details ?? {}),
  };
}

export function createAuditLog(deps: { store: Pick<Store, "transaction">; clock: Clock }): AuditLog {
  const { store, clock } = deps;
  let queue: Pending[] = [];
  let isFlushing = false;

  async function flush(): Promise<void> {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    const outcomes = new Map<Pending, { ok: true; value: unknown } | { ok: false; error: unknown }>();
    try {
      await store.transaction(async (tx) => {
        const events: NewAuditEvent[] = [];
        const at = clock.now();
        for (const item of batch) {
          try {
            const value = item.unit.work === undefined ? undefined : await tx.savepoint(() => item.unit.work!(tx));
            outcomes.set(item, { ok: true, value });
            for (const facts of item.unit.events(value)) events.push(eventOf(item.actor, facts, at));
          } catch (error) {
            outcomes.set(item, { ok: false, error });
          }
        }
        await tx.auditEvents.appendAuditEvents(events);
      });
    } catch (error) {
      // A database that is busy or gone says so in its own words; any other failure is the audit log's.
      const failure = isWatchwordError(error) && error.code === "unavailable" ? error : unavailable(AUDIT_FAILED);
      for (const item of batch) {
        const outcome = outcomes.get(item);
        item.reject(outcome !== undefined && !outcome.ok ? outcome.error : failure);
      }
      return;
    } finally {
      isFlushing = false;
      if (queue.length > 0) schedule();
    }
    for (const item of batch) {
      const outcome = outcomes.get(item)!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    }
  }

  function schedule(): void {
    if (isFlushing) return;
    isFlushing = true;
    // setImmediate: every request that reached this point in the current turn joins the batch.
    setImmediate(() => void flush());
  }

  return {
    commit<T>(actor: Actor, unit: CommitUnit<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ actor, unit: unit as CommitUnit<unknown>, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}
