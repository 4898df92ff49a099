// The audit log: reading it page by page, exporting it streamed, and verifying its chain
// (administrators and auditors); an entry's own events for its managers. Asked with
// `Accept: application/x-ndjson`, verification streams its progress, one JSON line after each page,
// and ends with the verdict line; any other Accept gets the one JSON reply.
import { PassThrough, type Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  AUDIT_VERIFY_STREAM_TYPE,
  AuditEventPage,
  AuditEventQuery,
  AuditEventView,
  AuditExportQuery,
  AuditVerificationLine,
  AuditVerificationReply,
  EntryAuditEventQuery,
  VerifyAuditRequest,
} from "../../contract/audit.js";
import { EntryIdParams } from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import { isWatchwordError, problem } from "../../core/errors.js";
import type { AccessService } from "../../services/access.js";
import { createAuditReading } from "../../services/audit-reading.js";
import type { AuditQueryStore } from "../../store/audit-query.js";
import type { AuditLog } from "../../services/audit-log.js";
import { auditVerification, verifyAuditLog, type AuditLogVerifier, type AuditVerification } from "../../services/audit-verify.js";
import { actorOf, requireSession } from "../authentication.js";
import { problemBody } from "../problems.js";

const replyOf = (verification: AuditVerification): AuditVerificationReply => {
  const { isIntact, eventsChecked, keyedFrom, headSeq, checkpointsChecked, brokenAt, finding, message } = verification;
  return { intact: isIntact, eventsChecked, keyedFrom, headSeq, checkpointsChecked, brokenAt, finding, message };
};

/** Whether the asker prefers the stream: application/x-ndjson named in Accept with a q above 0. */
export function wantsVerificationStream(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(",").some((part) => {
    const [type, ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (type !== AUDIT_VERIFY_STREAM_TYPE) return false;
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** The problem line ending a stream that failed once begun; an unexpected error is logged and said vaguely. */
function failureLine(request: FastifyRequest, error: unknown) {
  if (isWatchwordError(error) && error.problemText !== undefined) {
    if (error.code === "internal" || error.code === "unavailable") request.log.error({ code: error.code, msg: error.message }, "audit verification stopped");
    return problemBody(request, error.code, error.problemText);
  }
  request.log.error({ err: error }, "audit verification stopped");
  return problemBody(request, "internal", problem("internal_error", { requestId: request.id }));
}

export function registerAuditRoutes(app: FastifyInstance, deps: { access: AccessService; store: { readonly auditQuery: AuditQueryStore }; auditLog: AuditLog } & AuditLogVerifier): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const reading = createAuditReading({ store: deps.store, access: deps.access, auditLog: deps.auditLog });
  const tags = ["audit"];
  // Exports still being sent. A server that stops ends them: graceful shutdown waits for replies
  // in flight, and an export whose client stopped reading would otherwise keep it waiting for ever.
  const openExports = new Set<Readable>();
  app.addHook("preClose", (done) => {
    for (const body of openExports) body.destroy();
    done();
  });

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
      const exported = await reading.exportEvents(actorOf(request), request.query, Date.now());
      openExports.add(exported.body);
      exported.body.once("close", () => openExports.delete(exported.body));
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
          "Checks every event's keyed link, the chain's head and this node's checkpoints, and names the first event that was modified, deleted, inserted, reordered or cut off. The same is `watchword audit verify` on the server's machine.\n\n" +
          "**Progress.** Send `Accept: application/x-ndjson` to have the reply streamed as JSON Lines: `{\"checked\":0,\"total\":m}` first, one such line after each page of events, and last the verdict (the JSON reply, told by its `intact`) — or, if verification fails once the stream has begun, a problem (told by its `status` and `key`). Refusals before the stream begins are ordinary problem replies.",
        body: VerifyAuditRequest,
        response: {
          200: {
            description: "The verdict; or, asked for application/x-ndjson, progress lines and then the verdict.",
            content: { "application/json": { schema: AuditVerificationReply }, [AUDIT_VERIFY_STREAM_TYPE]: { schema: AuditVerificationLine } },
          },
          400: Problem,
          401: Problem,
          403: Problem,
          503: Problem,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      deps.access.requireAuditRead(actor);
      if (!wantsVerificationStream(request.headers.accept)) {
        const verification = await verifyAuditLog(deps, { isFileRequired: false });
        await auditVerification(deps.auditLog, actor, verification);
        return reply.type("application/json").send(replyOf(verification));
      }
      const stream = new PassThrough();
      const aborted = new AbortController();
      // The asker gone: stop reading pages (the verdict would reach no one).
      reply.raw.once("close", () => {
        if (reply.raw.writableFinished) return;
        aborted.abort();
        // A half-answered connection is let go at once: it must not keep the server from closing.
        request.raw.socket.destroy();
      });
      const line = (value: unknown) => stream.write(`${JSON.stringify(value)}\n`);
      // The first line waits for the chain's state to be read, so that a failure to read even that
      // (the database unreachable) is an ordinary problem reply with its status.
      let started: () => void = () => undefined;
      const begun = new Promise<void>((resolve) => (started = resolve));
      const verifying = verifyAuditLog(deps, {
        isFileRequired: false,
        signal: aborted.signal,
        onProgress: (checked, total) => {
          line({ checked, total });
          started();
        },
      });
      await Promise.race([begun, verifying]);
      void verifying.then(
        async (verification) => {
          // The verdict line follows its event: an asker who saw it can find it in the log.
          await auditVerification(deps.auditLog, actor, verification).catch((error: unknown) => request.log.error({ err: error }, "audit verification not audited"));
          stream.end(`${JSON.stringify(replyOf(verification))}\n`);
        },
        (error: unknown) => {
          if (aborted.signal.aborted) return void stream.destroy();
          stream.end(`${JSON.stringify(failureLine(request, error))}\n`);
        },
      );
      return reply.type(AUDIT_VERIFY_STREAM_TYPE).header("cache-control", "no-store").header("x-content-type-options", "nosniff").send(stream as never); // a stream of lines: not serialised against the schema
    },
  );
}
