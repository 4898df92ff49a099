// The SIEM destinations' delivery state as administrators see it: how far each receiver is, what
// waits, why the last attempt failed. Names hosts and ports only, never a secret or a webhook's path.
import type { SiemDestinationConfig } from "../config-siem.js";
import type { Clock } from "../core/clock.js";
import { problem } from "../core/errors.js";
import type { AuditDestination } from "../contract/audit-destinations.js";
import type { OutboxStore } from "../store/outbox.js";
import type { Actor } from "./actor.js";
import type { AccessService } from "./access.js";
import { siemOutboxName } from "./siem-delivery.js";
import { siemTarget } from "./siem-senders.js";

export interface SiemDestinationService {
  listDestinations(actor: Actor): Promise<AuditDestination[]>;
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function createSiemDestinationService(deps: {
  store: { outbox: Pick<OutboxStore, "findOutboxDestination" | "countOutboxMessages" | "auditEventTimeAfter" | "auditHeadSeq"> };
  access: Pick<AccessService, "requireAdmin">;
  destinations: readonly SiemDestinationConfig[];
  clock: Clock;
}): SiemDestinationService {
  const { outbox } = deps.store;
  return {
    async listDestinations(actor) {
      deps.access.requireAdmin(actor, problem("siem_destinations_forbidden"));
      const headSeq = await outbox.auditHeadSeq();
      const now = deps.clock.now();
      return Promise.all(
        deps.destinations.map(async (destination): Promise<AuditDestination> => {
          const name = siemOutboxName(destination.name);
          const state = await outbox.findOutboxDestination(name);
          const deliveredSeq = state?.deliveredSeq ?? 0;
          const waiting = await outbox.countOutboxMessages(name);
          const oldest = deliveredSeq < headSeq ? await outbox.auditEventTimeAfter(deliveredSeq) : undefined;
          const isLeased = state !== undefined && state.leaseHolder !== null && state.leaseUntil > now;
          return {
            name: destination.name,
            transport: destination.transport,
            target: siemTarget(destination),
            deliveredSeq,
            headSeq,
            backlog: Math.max(0, headSeq - deliveredSeq) + waiting,
            lagSeconds: oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000),
            failures: state?.failures ?? 0,
            // A failure older than the last success is history, not the state.
            lastError: state !== undefined && state.lastError !== null && (state.lastSuccessAt ?? 0) <= (state.lastErrorAt ?? 0) ? state.lastError : null,
            lastErrorAt: isoOrNull(state?.lastErrorAt ?? null),
            lastSuccessAt: isoOrNull(state?.lastSuccessAt ?? null),
            // The holder name is host:pid:random; people need host:pid.
            deliverer: isLeased ? state.leaseHolder!.split(":").slice(0, 2).join(":") : null,
          };
        }),
      );
    },
  };
}
