// Liveness and readiness, for load balancers and orchestrators. /healthz touches nothing; /readyz
// checks what it promises (the database answers; a SQLite file is still the one opened, writable,
// with room on its disk; the schema is current) and names the check that failed.
import type { FastifyInstance } from "fastify";
import { HealthReply, NotReadyProblem, ReadinessReply, type ReadinessCheck } from "../../contract/health.js";
import { isWatchwordError, problem, type ProblemText } from "../../core/errors.js";
import type { Store } from "../../store/store.js";
import { sendProblem } from "../problems.js";

export function registerHealthRoutes(app: FastifyInstance, store: Pick<Store, "readiness" | "migrationStatus">): void {
  app.get("/healthz", { schema: { tags: ["health"], summary: "The process is alive", response: { 200: HealthReply } } }, async () => ({
    status: "ok" as const,
  }));

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        summary: "The database answers and can be written, and its schema is current",
        response: { 200: ReadinessReply, 503: NotReadyProblem },
      },
    },
    async (request, reply) => {
      const notReady = (check: ReadinessCheck, detail: ProblemText) => {
        request.log.warn({ check, msg: detail.key });
        return sendProblem(reply, request, "unavailable", detail, undefined, { check });
      };
      try {
        const failed = await store.readiness();
        if (failed !== undefined) return notReady(failed.check, failed.detail);
        const status = await store.migrationStatus();
        if (!status.current) return notReady("migrations", problem("database_schema_not_current"));
      } catch (error) {
        // The database went away between the checks: that is the "database" check failing, not a 500.
        if (isWatchwordError(error) && error.code === "unavailable") return notReady("database", error.problemText ?? problem("database_unreachable"));
        throw error;
      }
      return { status: "ready" as const, database: "ok" as const, migrations: "current" as const };
    },
  );
}
