// The Prometheus metrics of one node (prom-client, one registry per app): codes handed out,
// audit group commits, requests, the database pool, the outbox backlog, the process. Labels are
// closed sets (entry type, channel, route template, status): never an entry's name or id, a user,
// a raw URL or anything a caller typed, so neither cardinality nor privacy depends on the data.
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AuditBatchReport } from "../services/audit-log.js";
import type { Store } from "../store/store.js";

export interface Metrics {
  /** The exposition text, collected now (the pool and outbox backlog are read at each scrape). */
  scrape(): Promise<string>;
  readonly contentType: string;
  /** createAuditLog's onBatch. */
  observeAuditBatch(report: AuditBatchReport): void;
  /** Counts every reply by route template and status. */
  observeRequests(app: FastifyInstance): void;
}

const OTP_TYPES = new Set(["totp", "hotp", "steam"]);
const CHANNELS = new Set(["ui", "api", "cli"]);
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** A request that matched no route: its URL is whatever the caller sent, so it is not a label. */
const UNMATCHED = "(unmatched)";

/** The OTP type a code.issued event names in its details, from a closed set. */
function otpTypeOf(details: string): string {
  try {
    const type = (JSON.parse(details) as { type?: unknown }).type;
    return typeof type === "string" && OTP_TYPES.has(type) ? type : "other";
  } catch {
    return "other";
  }
}

export function createMetrics(deps: { store: Pick<Store, "poolStats" | "outbox">; onCollectError?: (error: unknown) => void }): Metrics {
  const { store } = deps;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "watchword_" });

  const codes = new Counter({
    name: "watchword_codes_issued_total",
    help: "Codes handed out (their audit event committed), by OTP type and channel.",
    labelNames: ["type", "channel"] as const,
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: "watchword_audit_commit_seconds",
    help: "Time from BEGIN to durable COMMIT of one audit group commit, by result.",
    labelNames: ["result"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: "watchword_audit_batch_size",
    help: "Requests sharing one audit group commit.",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [registry],
  });
  const auditEvents = new Counter({
    name: "watchword_audit_events_total",
    help: "Audit events committed.",
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: "watchword_http_request_duration_seconds",
    help: "Replies by method, route template and status code, with the time taken.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  new Gauge({
    name: "watchword_database_pool_connections",
    help: "This node's database connections, by state: open (total), idle, and the most it opens (max).",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const stats = store.poolStats();
      this.set({ state: "total" }, stats.total);
      this.set({ state: "idle" }, stats.idle);
      this.set({ state: "max" }, stats.max);
    },
  });
  new Gauge({
    name: "watchword_database_pool_waiting",
    help: "Queries waiting for a database connection on this node.",
    registers: [registry],
    collect() {
      this.set(store.poolStats().waiting);
    },
  });
  new Gauge({
    name: "watchword_outbox_backlog",
    help: "What waits to leave, per outbox destination: audit events not yet delivered (SIEM) plus waiting messages (checkpoints, alerts). Shared by every node.",
    labelNames: ["destination"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const [destinations, headSeq] = await Promise.all([store.outbox.listOutboxDestinations(), store.outbox.auditHeadSeq()]);
        for (const destination of destinations) {
          const messages = await store.outbox.countOutboxMessages(destination.name);
          const events = destination.kind === "siem" ? Math.max(0, headSeq - destination.deliveredSeq) : 0;
          this.set({ destination: destination.name }, events + messages);
        }
      } catch (error) {
        // The database is away: the scrape still answers (the pool gauges say why), without a backlog.
        deps.onCollectError?.(error);
      }
    },
  });

  return {
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
    observeAuditBatch(report) {
      commitSeconds.observe({ result: report.isCommitted ? "committed" : "failed" }, report.seconds);
      batchSize.observe(report.size);
      if (!report.isCommitted) return;
      auditEvents.inc(report.events.length);
      for (const event of report.events) {
        if (event.action !== "code.issued" || event.outcome !== "success") continue;
        codes.inc({ type: otpTypeOf(event.details), channel: CHANNELS.has(event.channel) ? event.channel : "other" });
      }
    },
    observeRequests(app) {
      app.addHook("onResponse", (request, reply, done) => {
        // The route's template (/api/v1/entries/:id/code), never the URL the caller sent.
        const route = request.routeOptions.url ?? UNMATCHED;
        const method = METHODS.has(request.method) ? request.method : "OTHER";
        requestSeconds.observe({ method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
        done();
      });
    },
  };
}
