// Delivers the audit stream to each SIEM destination: its events read in seq order from the
// destination's cursor, with the checkpoints the outbox holds for it placed after their event,
// in batches. The cursor moves only after the receiver has the batch, so a receiver that is away
// or a node that dies costs a repeat of the batch (the same ids), never a gap. One node delivers
// per destination at a time (services/outbox.ts's lease).
import type { SiemDestinationConfig } from "../config-siem.js";
import type { Clock } from "../core/clock.js";
import { siemCheckpointRecord, siemEventRecord, type SiemRecord } from "../core/siem-records.js";
import type { AuditCheckpoint } from "../store/audit-checkpoint-file.js";
import type { Store } from "../store/store.js";
import type { AuditCheckpointSink } from "./audit-checkpoints.js";
import { delivererHolderName, startDeliverer, type Deliverer, type DelivererTiming, type Outbox, type RoundResult } from "./outbox.js";
import { createSiemSender, type SenderTiming, type SiemSender } from "./siem-senders.js";

export const SIEM_KIND = "siem";
export const CHECKPOINT_KIND = "audit_checkpoint";
/** Records per delivery: one webhook request, one syslog connection. */
const BATCH = 200;

/** The outbox row of a SIEM destination. */
export const siemOutboxName = (name: string): string => `siem:${name}`;

type SiemStore = Pick<Store, "auditEvents" | "outbox">;

/** Checkpoints into the SIEM stream: one outbox message per destination, delivered after its event. */
export function createSiemCheckpointSink(deps: { store: SiemStore; destinations: readonly SiemDestinationConfig[]; clock: Clock; outbox: Pick<Outbox, "wake"> }): AuditCheckpointSink {
  return {
    async append(checkpoint: AuditCheckpoint) {
      const payload = JSON.stringify(siemCheckpointRecord(checkpoint));
      await deps.store.outbox.enqueueOutboxMessages(
        deps.destinations.map((d) => ({ destination: siemOutboxName(d.name), kind: CHECKPOINT_KIND, seq: checkpoint.seq, eventId: null, payload })),
        deps.clock.now(),
      );
      deps.outbox.wake();
    },
    async close() {},
  };
}

/** One round: the next batch after the cursor, sent, then the cursor moved (only by the lease holder, from where it was read). */
function siemRound(deps: { store: SiemStore; clock: Clock; name: string; holder: string; sender: SiemSender }) {
  const { store, clock, name, holder, sender } = deps;
  return async (state: { deliveredSeq: number }): Promise<RoundResult> => {
    const fromSeq = state.deliveredSeq;
    const events = await store.auditEvents.listAuditEvents({ afterSeq: fromSeq, limit: BATCH });
    const toSeq = events.at(-1)?.seq ?? fromSeq;
    const checkpoints = await store.outbox.listOutboxMessages(name, { limit: BATCH, now: clock.now(), throughSeq: toSeq });
    if (events.length === 0 && checkpoints.length === 0) return "idle";
    const records: SiemRecord[] = [];
    let next = 0;
    // A checkpoint at seq S follows event S.
    for (const event of events) {
      while (next < checkpoints.length && (checkpoints[next]!.seq ?? 0) < event.seq) records.push(JSON.parse(checkpoints[next++]!.payload) as SiemRecord);
      records.push(siemEventRecord(event));
    }
    for (; next < checkpoints.length; next += 1) records.push(JSON.parse(checkpoints[next]!.payload) as SiemRecord);
    await sender.send(records);
    await store.outbox.recordOutboxDelivery({ name, holder, fromSeq, toSeq, messageIds: checkpoints.map((c) => c.id), at: clock.now() });
    return "delivered";
  };
}

export interface SiemDelivery {
  stop(): Promise<void>;
}

/** Registers each configured destination (its cursor at the start it asks for) and starts its deliverer. */
export async function startSiemDelivery(deps: {
  store: SiemStore;
  outbox: Pick<Outbox, "onWake">;
  clock: Clock;
  destinations: readonly SiemDestinationConfig[];
  timing?: Partial<DelivererTiming>;
  senderTiming?: Partial<SenderTiming>;
  onFailure?: (name: string, reason: string) => void;
}): Promise<SiemDelivery> {
  const { store, clock, destinations } = deps;
  const holder = delivererHolderName();
  const deliverers: Deliverer[] = [];
  for (const destination of destinations) {
    const name = siemOutboxName(destination.name);
    const startSeq = destination.start === "now" ? await store.outbox.auditHeadSeq() : 0;
    await store.outbox.ensureOutboxDestination(name, SIEM_KIND, startSeq, clock.now());
    const sender = createSiemSender(destination, deps.senderTiming);
    deliverers.push(
      startDeliverer({
        store: store.outbox,
        outbox: deps.outbox,
        clock,
        name,
        holder,
        round: siemRound({ store, clock, name, holder, sender }),
        ...(deps.timing === undefined ? {} : { timing: deps.timing }),
        onFailure: (_name, reason) => deps.onFailure?.(destination.name, reason),
      }),
    );
  }
  return {
    async stop() {
      await Promise.all(deliverers.map((d) => d.stop()));
    },
  };
}
