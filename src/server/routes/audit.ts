// The audit log: verifying its chain (administrators and auditors). Asked with
// `Accept: application/x-ndjson`, verification streams its progress, one JSON line after each page,
// and ends with the verdict line; any other Accept gets the one JSON reply.
import { PassThrough } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AUDIT_VERIFY_STREAM_TYPE, AuditVerificationLine, AuditVerificationReply, VerifyAuditRequest } from "../../contract/audit.js";
import { Problem } from "../../contract/problem.js";
import { isWatchwordError, problem } from "../../core/errors.js";
import type { AccessService } from "../../services/access.js";
import { verifyAuditLog, type AuditLogVerifier, type AuditVerification } from "../../services/audit-verify.js";
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

export function registerAuditRoutes(app: FastifyInstance, deps: { access: AccessService } & AuditLogVerifier): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    "/api/v1/audit/verify",
    {
      preHandler: requireSession,
      schema: {
        tags: ["audit"],
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
      deps.access.requireAuditRead(actorOf(request));
      if (!wantsVerificationStream(request.headers.accept)) {
        return reply.type("application/json").send(replyOf(await verifyAuditLog(deps, { isFileRequired: false })));
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
        (verification) => stream.end(`${JSON.stringify(replyOf(verification))}\n`),
        (error: unknown) => {
          if (aborted.signal.aborted) return void stream.destroy();
          stream.end(`${JSON.stringify(failureLine(request, error))}\n`);
        },
      );
      return reply.type(AUDIT_VERIFY_STREAM_TYPE).header("cache-control", "no-store").header("x-content-type-options", "nosniff").send(stream as never); // a stream of lines: not serialised against the schema
    },
  );
}
