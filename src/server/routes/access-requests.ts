// Access requests, emergency access, entry access policies and in-app notifications. Thin: each
// handler calls one service and shapes the reply.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  AccessRequest,
  AccessRequestCount,
  AccessRequestList,
  AccessRequestListQuery,
  ApproveAccessRequest,
  CreateAccessRequest,
  DecideAccessRequest,
  EmergencyCodeReply,
  EmergencyCodeRequest,
  EntryPolicyReply,
  EntryPolicyRequest,
  MarkNotificationsRead,
  NotificationCount,
  NotificationList,
} from "../../contract/access-requests.js";
import { EntryIdParams } from "../../contract/entries.js";
import { Problem } from "../../contract/problem.js";
import type { AccessRequestService } from "../../services/access-requests.js";
import type { EntryPolicyService } from "../../services/entry-policies.js";
import type { NotificationService } from "../../services/notifications.js";
import { actorOf, requireSession } from "../authentication.js";
import { accessRequestOf, notificationOf } from "./access-request-shapes.js";
import { codeReplyOf } from "./entry-shapes.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };
const RequestIdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const tags = ["access requests"];

export function registerAccessRequestRoutes(app: FastifyInstance, deps: { requests: AccessRequestService; policies: EntryPolicyService; notifications: NotificationService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { requests, policies, notifications } = deps;

  typed.post(
    "/api/v1/access-requests",
    { preHandler: requireSession, schema: { tags, summary: "Ask for use or recover of an entry or folder, for a while, with a reason", body: CreateAccessRequest, response: { 201: AccessRequest, ...errors } } },
    async (request, reply) => reply.code(201).send(accessRequestOf(await requests.create(actorOf(request), request.body))),
  );

  typed.get(
    "/api/v1/access-requests",
    {
      preHandler: requireSession,
      schema: { tags, summary: "The caller's requests (mine), those waiting for the caller's approval (to-approve) or emergency uses waiting for review (to-review)", querystring: AccessRequestListQuery, response: { 200: AccessRequestList, 400: Problem, 401: Problem, 503: Problem } },
    },
    async (request) => ({ requests: (await requests.list(actorOf(request), request.query.view ?? "mine")).map(accessRequestOf) }),
  );

  typed.get(
    "/api/v1/access-requests/count",
    { preHandler: requireSession, schema: { tags, summary: "How many requests wait for the caller (for a header badge; cheap to poll)", response: { 200: AccessRequestCount, 401: Problem, 503: Problem } } },
    async (request) => requests.count(actorOf(request)),
  );

  typed.get(
    "/api/v1/access-requests/:id",
    { preHandler: requireSession, schema: { tags, summary: "One request: the requester's own, or one the caller approves", params: RequestIdParams, response: { 200: AccessRequest, ...errors } } },
    async (request) => accessRequestOf(await requests.get(actorOf(request), request.params.id)),
  );

  typed.post(
    "/api/v1/access-requests/:id/approve",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Approve (optionally shortening the duration); the last approval needed creates a grant that expires by itself", description: "A requester never approves their own request (403 access_request_own).", params: RequestIdParams, body: ApproveAccessRequest, response: { 200: AccessRequest, ...errors } },
    },
    async (request) => accessRequestOf(await requests.approve(actorOf(request), request.params.id, request.body)),
  );

  typed.post(
    "/api/v1/access-requests/:id/deny",
    { preHandler: requireSession, schema: { tags, summary: "Deny a pending request, with a comment", params: RequestIdParams, body: DecideAccessRequest, response: { 200: AccessRequest, ...errors } } },
    async (request) => accessRequestOf(await requests.deny(actorOf(request), request.params.id, request.body)),
  );

  typed.post(
    "/api/v1/access-requests/:id/review",
    { preHandler: requireSession, schema: { tags, summary: "Review an emergency use (break glass) after the fact", params: RequestIdParams, body: DecideAccessRequest, response: { 200: AccessRequest, ...errors } } },
    async (request) => accessRequestOf(await requests.review(actorOf(request), request.params.id, request.body)),
  );

  typed.post(
    "/api/v1/access-requests/:id/cancel",
    { preHandler: requireSession, schema: { tags, summary: "Withdraw one's own pending request", params: RequestIdParams, body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 200: AccessRequest, ...errors } } },
    async (request) => accessRequestOf(await requests.cancel(actorOf(request), request.params.id)),
  );

  typed.post(
    "/api/v1/entries/:id/emergency-code",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Break glass: the code of an entry that needs approval, at once, against a mandatory reason",
        description: "Only where the entry allows emergency access. One code.issued audit event marks it emergency; the use is listed for approvers until one reviews it.",
        params: EntryIdParams,
        body: EmergencyCodeRequest,
        response: { 200: EmergencyCodeReply, ...errors },
      },
    },
    async (request) => {
      const { code, requestId } = await requests.emergencyCode(actorOf(request), request.params.id, request.body.reason);
      return { ...codeReplyOf(code), accessRequestId: requestId };
    },
  );

  typed.get(
    "/api/v1/entries/:id/policy",
    { preHandler: requireSession, schema: { tags, summary: "The entry's access policy, and what the caller may do with it", params: EntryIdParams, response: { 200: EntryPolicyReply, ...errors } } },
    async (request) => policies.get(actorOf(request), request.params.id),
  );

  typed.put(
    "/api/v1/entries/:id/policy",
    { preHandler: requireSession, schema: { tags, summary: "Set approval required (N approvers) and emergency access (managers)", params: EntryIdParams, body: EntryPolicyRequest, response: { 200: EntryPolicyReply, ...errors } } },
    async (request) => policies.set(actorOf(request), request.params.id, request.body),
  );

  typed.get(
    "/api/v1/notifications",
    { preHandler: requireSession, schema: { tags: ["notifications"], summary: "In-app notifications: decisions on the caller's requests, requests and emergency uses waiting for the caller", response: { 200: NotificationList, 401: Problem, 503: Problem } } },
    async (request) => {
      const { notifications: items, unread } = await notifications.list(actorOf(request));
      return { notifications: items.map(notificationOf), unread };
    },
  );

  typed.get(
    "/api/v1/notifications/count",
    { preHandler: requireSession, schema: { tags: ["notifications"], summary: "Unread notifications", response: { 200: NotificationCount, 401: Problem, 503: Problem } } },
    async (request) => notifications.unreadCount(actorOf(request)),
  );

  typed.post(
    "/api/v1/notifications/read",
    { preHandler: requireSession, schema: { tags: ["notifications"], summary: "Mark notifications read (up to a time, default now)", body: MarkNotificationsRead, response: { 204: Type.Null(), 400: Problem, 401: Problem, 403: Problem, 503: Problem } } },
    async (request, reply) => {
      await notifications.markRead(actorOf(request), request.body.until === undefined ? undefined : Date.parse(request.body.until));
      return reply.code(204).send(null);
    },
  );
}
