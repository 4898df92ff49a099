// The SIEM destinations' delivery state (administrators): how far each receiver is, what waits, why the last attempt failed.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AuditDestinationList } from "../../contract/audit-destinations.js";
import { Problem } from "../../contract/problem.js";
import type { SiemDestinationService } from "../../services/siem-destinations.js";
import { actorOf, requireSession } from "../authentication.js";

export function registerAuditDestinationRoutes(app: FastifyInstance, deps: { destinations: SiemDestinationService }): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    "/api/v1/audit/destinations",
    {
      preHandler: requireSession,
      schema: {
        tags: ["audit"],
        summary: "SIEM destinations and their delivery state (administrators)",
        description:
          "Each configured SIEM destination (webhook, syslog over TCP, TLS or UDP) with the last audit event its receiver has, what waits for it, how long the oldest waiting event has waited, and why the last attempt failed. Names hosts and ports only. The same is `watchword audit destinations`.",
        response: { 200: AuditDestinationList, 401: Problem, 403: Problem },
      },
    },
    async (request) => ({ destinations: await deps.destinations.listDestinations(actorOf(request)) }),
  );
}
