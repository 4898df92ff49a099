// Liveness and readiness, for load balancers and orchestrators.
import type { FastifyInstance } from "fastify";
import { problem, unavailable } from "../../core/errors.js";
import { HealthReply, ReadinessReply } from "../../contract/health.js";
import { Problem } from "../../contract/problem.js";
import type { Store } from "../../store/store.js";

export function registerHealthRoutes(app: FastifyInstance, store: Pick<Store, "ping" | "migrationStatus">): void {
  app.get("/healthz", { schema: { tags: ["health"], summary: "The process is alive", response: { 200: HealthReply } } }, async () => ({
    status: "ok" as const,
  }));

  app.get(
    "/readyz",
    { schema: { tags: ["health"], summary: "The database is reachable and its schema is current", response: { 200: ReadinessReply, 503: Problem } } },
    async () => {
      try {
        await store.ping();
      } catch {
        throw unavailable(problem("database_unreachable"));
      }
      const status = await store.migrationStatus();
      if (!status.current) throw unavailable(problem("database_schema_not_current"));
      return { status: "ready" as const, database: "ok" as const, migrations: "current" as const };
    },
  );
}
