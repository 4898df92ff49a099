// The audit log: reading it page by page, exporting it streamed, and verifying its chain
// (administrators and auditors); an entry's own events for its managers.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { AuditEventPage, AuditEventQuery, AuditEventView, AuditExportQuery, AuditVerificationReply, EntryAuditEventQuery, VerifyAuditRequest } from "../../contract/audit.js";
import { EntryIdParams } from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import type { AccessService } from "../../services/access.js";
import { createAuditReading } from "../../services/audit-reading.js";
import type { AuditQueryStore } from "../../store/audit-query.js";
import { verifyAuditLog, type AuditLogVerifier } from "../../services/audit-verify.js";
import { actorOf, requireSession } from "../authentication.js";

export function registerAuditRoutes(app: FastifyInstance, deps: { access: AccessService; store: { readonly auditQuery: AuditQueryStore } } & AuditLogVerifier): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const reading = createAuditReading({ store: deps.store, access: deps.access });
  const tags = ["audit"];

  typed.get(
    "/api/v1/audit/events",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Audit events, newest first, filtered and cursor-paged (administrators and auditors)",
        description:
          "Every filter given must hold. Pass the reply's nextCursor as cursor for the next, older page; events written meanwhile never repeat an event or leave a gap, they appear on a new first page. `watchword audit` lists the same.",
        querystring: AuditEventQuery,
        response: { 200: AuditEventPage, 400: Problem, 401: Problem, 403: Problem, 503: Problem },
      },
    },
    async (request) => reading.listEvents(actorOf(request), request.query),
  );

  typed.get(
    "/api/v1/entries/:id/audit-events",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "An entry's recent use: its audit events, newest first (the entry's managers, administrators and auditors)",
        description: "Who took codes, revealed recovery codes or changed the entry, when, and through what (web, API, CLI). Paged like GET /api/v1/audit/events.",
        params: EntryIdParams,
        querystring: EntryAuditEventQuery,
        response: { 200: AuditEventPage, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 503: Problem },
      },
    },
    async (request) => reading.listEntryEvents(actorOf(request), request.params.id, request.query),
  );

  typed.get(
    "/api/v1/audit/export",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Export audit events as CSV, JSON or JSON Lines, streamed (administrators and auditors)",
        description:
          "The same filters as GET /api/v1/audit/events, every matching event newest first, read from the database a page at a time while the reply is sent: an export of any size holds one page in memory. A reply cut short (the connection or the database failed) is an unfinished JSON array, or a CSV or JSON Lines file without its last lines; count the lines against the seq of the last event.",
        querystring: AuditExportQuery,
        produces: ["application/json", "application/jsonl", "text/csv"],
        response: {
          200: {
            description: "The events; attachment named watchword-audit-<time>.<format>.",
            content: {
              "application/json": { schema: Type.Array(AuditEventView) },
              "application/jsonl": { schema: Type.String({ description: "One AuditEvent per line." }) },
              "text/csv": { schema: Type.String({ description: "RFC 4180 with a header line; nested fields flattened (actor_type, target_id…); details as JSON." }) },
            },
          },
          400: Problem,
          401: Problem,
          403: Problem,
          503: Problem,
        },
      },
    },
    async (request, reply) => {
      const exported = reading.exportEvents(actorOf(request), request.query, Date.now());
      return reply
        .header("content-type", exported.contentType)
        .header("content-disposition", `attachment; filename="${exported.fileName}"`)
        .header("cache-control", "no-store")
        // A stream is sent as it is, never serialised: the schema above documents what it carries.
        .send(exported.body as never);
    },
  );

  typed.post(
    "/api/v1/audit/verify",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Verify the audit chain (administrators and auditors)",
        description:
          "Checks every event's keyed link, the chain's head and this node's checkpoints, and names the first event that was modified, deleted, inserted, reordered or cut off. The same is `watchword audit verify` on the server's machine.",
        body: VerifyAuditRequest,
        response: { 200: AuditVerificationReply, 400: Problem, 401: Problem, 403: Problem, 503: Problem },
      },
    },
    async (request) => {
      deps.access.requireAuditRead(actorOf(request));
      const verification = await verifyAuditLog(deps, { isFileRequired: false });
      const { isIntact, eventsChecked, keyedFrom, headSeq, checkpointsChecked, brokenAt, finding, message } = verification;
      return { intact: isIntact, eventsChecked, keyedFrom, headSeq, checkpointsChecked, brokenAt, finding, message };
    },
  );
}
