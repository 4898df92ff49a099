// The audit log: verifying its chain (administrators and auditors).
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AuditVerificationReply, VerifyAuditRequest } from "../../contract/audit.js";
import { Problem } from "../../contract/problem.js";
import type { AccessService } from "../../services/access.js";
import { verifyAuditLog, type AuditLogVerifier } from "../../services/audit-verify.js";
import { actorOf, requireSession } from "../authentication.js";

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
