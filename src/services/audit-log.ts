// Writes audit events before answers leave: a request's event commits before its code, recovery
// code or secret is returned, or the request fails (audit-or-fail, as in HashiCorp Vault).
// Concurrent requests share one transaction and one fsync (group commit), so durable auditing
// does not cap the code endpoint at the disk's fsync rate, and no request fails because another
// request of its batch could not be written.
import { randomUUID } from "node:crypto";
import type { AuditOutcome } from "../core/audit-chain.js";
import type { Clock } from "../core/clock.js";
import { isWatchwordError, problem, unavailable } from "../core/errors.js";
import type { AuditHead, NewAuditEvent } from "../store/audit-events.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { Actor, RequestOrigin, ServiceAccountActor } from "./actor.js";

/** What an event is about, of any kind: its target_type, target_id and target_name columns (migration 0008). */
export interface AuditTarget {
  readonly type: AuditTargetType;
  readonly id: string;
  readonly name?: string | null | undefined;
}

export type AuditTargetType =
  | "entry"
  | "folder"
  | "user"
  | "group"
  | "grant"
  | "service_account"
  | "api_token"
  | "template"
  | "import"
  | "access_request"
  | "session"
  | "vault";

/** On whose approval the actor acted: the access request whose approval created the grant used, and who approved it. */
export interface AuditApproval {
  readonly requestId: string;
  readonly grantId: string;
  readonly approvers: readonly { readonly id: string; readonly name: string }[];
}

export interface AuditFacts {
  readonly action: string;
  readonly outcome?: AuditOutcome;
  /** The entry (entry_id, entry_name); it is also the target unless `target` names another, and its folder the event's folder. */
  readonly entry?: { readonly id: string; readonly name: string; readonly folderId?: string | null | undefined };
  /** What the event is about when it is not the entry (or there is none). */
  readonly target?: AuditTarget;
  /** The folder the event concerns, when neither `entry` nor a folder `target` says it. */
  readonly folderId?: string | null;
  /** Recorded as details.approvedBy. */
  readonly approvedBy?: AuditApproval;
  readonly reason?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Someone at the server's own machine running a local admin verb (`watchword user unlock`): no
 * vault user and no session, so the event names the operating-system account that ran it.
 */
export interface LocalOperator {
  readonly kind: "local";
  readonly userId: null;
  readonly username: string;
  readonly origin: RequestOrigin;
}

/** Someone not signed in: a failed sign-in under a name no user has (the name typed is not recorded: it may be a password). */
export interface AnonymousCaller {
  readonly kind: "anonymous";
  readonly userId: null;
  readonly username: "";
  readonly origin: RequestOrigin;
}

/** Who an audit event says acted: a signed-in user, a script's service account, an operator on the server's machine, or no one known. */
export type AuditActor = Pick<Actor, "kind" | "userId" | "username" | "origin"> | ServiceAccountActor | LocalOperator | AnonymousCaller;

export interface CommitUnit<T> {
  /** Writes that must commit together with the events (a counter, a used recovery code). */
  readonly work?: (tx: TransactionScope) => Promise<T>;
  /** The events to write, given the work's result. */
  readonly events: (result: T) => readonly AuditFacts[];
}

export interface AuditLog {
  /** Resolves with the work's result once its events are durably committed; rejects otherwise. */
  commit<T>(actor: AuditActor, unit: CommitUnit<T>): Promise<T>;
}

/** An event as appended, with the seq the chain gave it (what an outbox producer reads). */
export type AppendedAuditEvent = NewAuditEvent & { readonly seq: number };

export const AUDIT_FAILED = problem("audit_failed");

/** Refusals a service wrote its own denied event for: the server's denial hook (server/audit-denials.ts) writes no second one. */
const deniedAndAudited = new WeakSet<object>();
export const markDenialAudited = <E extends object>(error: E): E => (deniedAndAudited.add(error), error);
export const isDenialAudited = (error: unknown): boolean => typeof error === "object" && error !== null && deniedAndAudited.has(error);
const MAX_BATCH = 512;

interface Pending {
  readonly actor: AuditActor;
  readonly unit: CommitUnit<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** A batch's transaction failed; `isRolledBack` when it failed inside, before any commit. */
class BatchFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly isRolledBack: boolean,
    readonly outcomes: ReadonlyMap<Pending, Outcome>,
  ) {
    super("The audit batch could not be committed.");
  }
}

/** Who the event names: a user by id and username, an operator by their account, a service account by id and name with the token's id (never the token). */
function actorColumns(actor: AuditActor): Pick<NewAuditEvent, "actorType" | "actorId" | "actorName"> & { tokenId?: string } {
  if (actor.kind === "service_account") return { actorType: actor.kind, actorId: actor.serviceAccountId, actorName: actor.name, tokenId: actor.token.id };
  return { actorType: actor.kind, actorId: actor.userId, actorName: actor.username };
}

/** The target and folder columns: the named target, else the entry; the folder from the entry, the facts, or a folder target. */
function targetColumns(facts: AuditFacts): Pick<NewAuditEvent, "targetType" | "targetId" | "targetName" | "folderId"> {
  const target = facts.target ?? (facts.entry === undefined ? undefined : { type: "entry" as const, id: facts.entry.id, name: facts.entry.name });
  const folderId = facts.entry?.folderId ?? facts.folderId ?? (target?.type === "folder" ? target.id : null);
  return { targetType: target?.type ?? null, targetId: target?.id ?? null, targetName: target?.name ?? null, folderId };
}

function detailsOf(facts: AuditFacts, tokenId: string | undefined): string {
  const details = facts.approvedBy === undefined ? (facts.details ?? {}) : { ...facts.details, approvedBy: facts.approvedBy };
  return JSON.stringify(tokenId === undefined ? details : { ...details, apiTokenId: tokenId });
}

export function eventOf(actor: AuditActor, facts: AuditFacts, at: number): NewAuditEvent {
  const { tokenId, ...who } = actorColumns(actor);
  return {
    id: randomUUID(),
    at,
    ...who,
    action: facts.action,
    outcome: facts.outcome ?? "success",
    entryId: facts.entry?.id ?? null,
    entryName: facts.entry?.name ?? null,
    reason: facts.reason ?? null,
    ip: actor.origin.ip,
    userAgent: actor.origin.userAgent,
    channel: actor.origin.channel,
    details: detailsOf(facts, tokenId),
    ...targetColumns(facts),
  };
}

/** One batch as the metrics see it (server/metrics.ts): how many requests shared it, how long it took, what it wrote. */
export interface AuditBatchReport {
  /** Commit units (requests) in the batch. */
  readonly size: number;
  /** From BEGIN to durable COMMIT (or to the failure). */
  readonly seconds: number;
  readonly isCommitted: boolean;
  /** The events committed; empty when the batch failed. */
  readonly events: readonly NewAuditEvent[];
}

export function createAuditLog(deps: {
  store: Pick<Store, "transaction">;
  clock: Clock;
  /** Told the chain's new head after each batch commits (services/audit-checkpoints.ts). */
  onCommitted?: (head: AuditHead) => void;
  /** Runs inside each batch's transaction once its events are appended: outbox rows written here commit with them or not at all (services/outbox.ts). */
  onAppended?: (tx: TransactionScope, events: readonly AppendedAuditEvent[]) => Promise<void>;
  /** Told of each batch tried, after it committed or failed; must not throw. */
  onBatch?: (report: AuditBatchReport) => void;
}): AuditLog {
  const { store, clock } = deps;
  let queue: Pending[] = [];
  let isFlushing = false;

  /**
   * Runs one batch in one transaction. Resolves with each item's outcome once it committed;
   * rejects with `{ isRolledBack }` telling whether the failure certainly undid everything (it
   * came from inside the transaction), or may have happened at or after the commit.
   */
  async function runBatch(batch: readonly Pending[]): Promise<Map<Pending, Outcome>> {
    const outcomes = new Map<Pending, Outcome>();
    let isInside = false;
    let head: AuditHead | undefined;
    const started = performance.now();
    const events: NewAuditEvent[] = [];
    try {
      await store.transaction(async (tx) => {
        isInside = true;
        events.length = 0;
        const at = clock.now();
        for (const item of batch) {
          try {
            const { work } = item.unit;
            // The events are made inside the item's savepoint too: if making them throws, its writes go.
            const { value, facts } =
              work === undefined
                ? { value: undefined, facts: item.unit.events(undefined) }
                : await tx.savepoint(async () => {
                    const result = await work(tx);
                    return { value: result, facts: item.unit.events(result) };
                  });
            outcomes.set(item, { ok: true, value });
            for (const fact of facts) events.push(eventOf(item.actor, fact, at));
          } catch (error) {
            outcomes.set(item, { ok: false, error });
          }
        }
        const appended = await tx.auditEvents.appendAuditEvents(events);
        if (appended !== undefined && deps.onAppended !== undefined) {
          const first = appended.seq - events.length + 1;
          await deps.onAppended(tx, events.map((event, i) => ({ ...event, seq: first + i })));
        }
        head = appended;
        isInside = false;
      });
    } catch (error) {
      deps.onBatch?.({ size: batch.length, seconds: (performance.now() - started) / 1000, isCommitted: false, events: [] });
      throw new BatchFailure(error, isInside, outcomes);
    }
    deps.onBatch?.({ size: batch.length, seconds: (performance.now() - started) / 1000, isCommitted: true, events });
    if (head !== undefined) deps.onCommitted?.(head);
    return outcomes;
  }

  /**
   * Commits a batch; when the database refuses it from inside the transaction (one item's event
   * breaks a constraint, say), everything was rolled back, so the batch is split in halves and
   * each half tried again: a faulty item ends up alone and fails alone, in about 2·log2(n) tries,
   * while the others commit once (when every item fails, as on a full disk, that is 2n − 1 quick
   * failures for n items). A failure at or after the commit (the disk, the connection) is
   * never retried: the commit may have happened, and retrying could advance a counter twice.
   */
  async function commitBatch(batch: readonly Pending[]): Promise<void> {
    let outcomes: Map<Pending, Outcome>;
    try {
      outcomes = await runBatch(batch);
    } catch (error) {
      const failure = error as BatchFailure;
      // A database that is busy or gone says so in its own words, and splitting would only wait again.
      const isDatabaseAway = isWatchwordError(failure.cause) && failure.cause.code === "unavailable";
      if (failure.isRolledBack && !isDatabaseAway && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await commitBatch(batch.slice(0, half));
        await commitBatch(batch.slice(half));
        return;
      }
      for (const item of batch) {
        const outcome = failure.outcomes.get(item);
        const rejection = isDatabaseAway ? failure.cause : Object.assign(unavailable(AUDIT_FAILED), { cause: failure.cause });
        item.reject(outcome !== undefined && !outcome.ok ? outcome.error : rejection);
      }
      return;
    }
    for (const item of batch) {
      const outcome = outcomes.get(item)!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    }
  }

  async function flush(): Promise<void> {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    try {
      await commitBatch(batch);
    } finally {
      isFlushing = false;
      if (queue.length > 0) schedule();
    }
  }

  function schedule(): void {
    if (isFlushing) return;
    isFlushing = true;
    // setImmediate: every request that reached this point in the current turn joins the batch.
    setImmediate(() => void flush());
  }

  return {
    commit<T>(actor: AuditActor, unit: CommitUnit<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ actor, unit: unit as CommitUnit<unknown>, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}
