// Grants (add, list, revoke), the principal picker, and a folder's page with its approver group.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { FolderIdParams } from "../../contract/entries.js";
import { CreateGrantRequest, FolderPage, GrantIdParams, GrantList, GrantListQuery, GrantView, PrincipalList, PrincipalQuery, SetApproverGroupRequest } from "../../contract/grants.js";
import { Problem } from "../../contract/problem.js";
import type { Clock } from "../../core/clock.js";
import type { GrantService } from "../../services/grants.js";
import { actorOf, requireSession } from "../authentication.js";
import { folderPageOf, grantViewOf, namedPrincipalOf } from "./grant-shapes.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };

export function registerGrantRoutes(app: FastifyInstance, deps: { grants: GrantService; clock: Clock }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { grants, clock } = deps;
  const tags = ["grants"];

  typed.post(
    "/api/v1/grants",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Grant a user, group or service account a permission on an entry or folder",
        description: "For administrators and those who manage the entry or folder. Audited as grant.created; 409 when the same live grant exists.",
        body: CreateGrantRequest,
        response: { 201: GrantView, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(grantViewOf(await grants.add(actorOf(request), request.body), clock.now())),
  );

  typed.get(
    "/api/v1/grants",
    { preHandler: requireSession, schema: { tags, summary: "Grants of an entry or folder, live, expired and (on asking) revoked", querystring: GrantListQuery, response: { 200: GrantList, ...errors } } },
    async (request) => {
      const { entryId, folderId, includeRevoked } = request.query;
      const list = await grants.list(actorOf(request), { entryId, folderId, includeRevoked: includeRevoked === "true" });
      const now = clock.now();
      return { grants: list.map((g) => grantViewOf(g, now)) };
    },
  );

  typed.delete(
    "/api/v1/grants/:id",
    { preHandler: requireSession, schema: { tags, summary: "Revoke a grant", description: "Denies at the very next request. Audited as grant.revoked.", params: GrantIdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await grants.revoke(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  typed.get(
    "/api/v1/principals",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Find users, groups and service accounts to grant to (those who may grant)", querystring: PrincipalQuery, response: { 200: PrincipalList, 400: Problem, 401: Problem, 403: Problem } },
    },
    async (request) => ({ principals: (await grants.searchPrincipals(actorOf(request), request.query)).map(namedPrincipalOf) }),
  );

  typed.get(
    "/api/v1/folders/:id",
    { preHandler: requireSession, schema: { tags: ["folders"], summary: "A folder's page: its grants and approver group (administrators and the folder's managers)", params: FolderIdParams, response: { 200: FolderPage, ...errors } } },
    async (request) => folderPageOf(await grants.folderPage(actorOf(request), request.params.id), clock.now()),
  );

  typed.put(
    "/api/v1/folders/:id/approver-group",
    {
      preHandler: requireSession,
      schema: {
        tags: ["folders"],
        summary: "Choose the group that approves access requests for a folder (administrators)",
        description: "groupId null: no approver group. Audited as folder.approver_group_set.",
        params: FolderIdParams,
        body: SetApproverGroupRequest,
        response: { 200: FolderPage, ...errors },
      },
    },
    async (request) => folderPageOf(await grants.setApproverGroup(actorOf(request), request.params.id, request.body.groupId), clock.now()),
  );
}
