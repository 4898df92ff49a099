// Groups of users (administrators): list with members, create, rename, delete, members.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { GroupId, UserId } from "../../core/ids.js";
import { Group, GroupIdParams, GroupList, GroupMemberParams, GroupNameRequest } from "../../contract/groups.js";
import { Problem } from "../../contract/problem.js";
import type { GroupService } from "../../services/groups.js";
import { actorOf, requireSession } from "../authentication.js";
import { groupOf } from "./people-shapes.js";

const tags = ["groups"];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };

export function registerGroupRoutes(app: FastifyInstance, deps: { groups: GroupService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { groups } = deps;
  const groupId = (params: { id: string }): GroupId => params.id as GroupId;

  typed.get(
    "/api/v1/groups",
    { preHandler: requireSession, schema: { tags, summary: "Every group with its members (administrators)", response: { 200: GroupList, 401: Problem, 403: Problem } } },
    async (request) => ({ groups: (await groups.listGroups(actorOf(request))).map(groupOf) }),
  );

  typed.post(
    "/api/v1/groups",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Create a group (administrators)", description: "Audited as group.created.", body: GroupNameRequest, response: { 201: Group, ...errors } },
    },
    async (request, reply) => reply.code(201).send(groupOf(await groups.createGroup(actorOf(request), request.body.name))),
  );

  typed.patch(
    "/api/v1/groups/:id",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Rename a group (administrators)", description: "Audited as group.renamed.", params: GroupIdParams, body: GroupNameRequest, response: { 200: Group, ...errors } },
    },
    async (request) => groupOf(await groups.renameGroup(actorOf(request), groupId(request.params), request.body.name)),
  );

  typed.delete(
    "/api/v1/groups/:id",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Delete a group (administrators)", description: "Its memberships and grants go with it. Audited as group.deleted.", params: GroupIdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await groups.deleteGroup(actorOf(request), groupId(request.params));
      return reply.code(204).send(null);
    },
  );

  typed.put(
    "/api/v1/groups/:id/members/:userId",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Add a member to a group (administrators)",
        description: "Adding a member twice changes nothing. Audited as group.member_added.",
        params: GroupMemberParams,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: Group, ...errors },
      },
    },
    async (request) => groupOf(await groups.addMember(actorOf(request), groupId(request.params), request.params.userId as UserId)),
  );

  typed.delete(
    "/api/v1/groups/:id/members/:userId",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Remove a member from a group (administrators)", description: "Audited as group.member_removed.", params: GroupMemberParams, response: { 200: Group, ...errors } },
    },
    async (request) => groupOf(await groups.removeMember(actorOf(request), groupId(request.params), request.params.userId as UserId)),
  );
}
