// Administering vault users (administrators): list, invite, roles, disable and enable, links to
// set a password, delete, and unlocking an account that failed sign-ins have locked.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { UserId } from "../../core/ids.js";
import { Problem } from "../../contract/problem.js";
import { ChangeRoleRequest, DeleteUserQuery, InviteUserRequest, UnlockUserReply, UnlockUserRequest, User, UserIdParams, UserLinkReply, UserList } from "../../contract/users.js";
import type { AccountLockService } from "../../services/account-locks.js";
import type { PeopleService } from "../../services/people.js";
import type { ReauthenticationService } from "../../services/reauthentication.js";
import { SUDO_NOTE, actorOf, requireSession, requireSudo } from "../authentication.js";
import { requestBaseUrl, userLinkReplyOf, userViewOf } from "./people-shapes.js";
import { userSummaryOf } from "./reply-shapes.js";

const tags = ["users"];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };

export function registerUserRoutes(app: FastifyInstance, deps: { accountLocks: AccountLockService; people: PeopleService; reauthentication: Pick<ReauthenticationService, "requireRecent"> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { people } = deps;
  const sudo = requireSudo(deps.reauthentication);
  const idOf = (params: { id: string }): UserId => params.id as UserId;

  typed.post(
    "/api/v1/users/unlock",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Unlock an account that failed sign-ins have locked (administrators)",
        description:
          "Forgets the account's failed sign-ins from browsers and CLIs that never signed in to it, so it can sign in from anywhere again. Audited as user.unlocked. The same is `watchword user unlock NAME` on the server's machine.",
        body: UnlockUserRequest,
        response: { 200: UnlockUserReply, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 503: Problem },
      },
    },
    async (request) => {
      const result = await deps.accountLocks.unlock(actorOf(request), request.body.username);
      return { user: userSummaryOf(result.user), wasLocked: result.wasLocked, failedSignInsCleared: result.failedSignInsCleared };
    },
  );

  typed.get(
    "/api/v1/users",
    { preHandler: requireSession, schema: { tags, summary: "Every user (administrators)", response: { 200: UserList, 401: Problem, 403: Problem } } },
    async (request) => ({ users: (await people.listUsers(actorOf(request))).map(userViewOf) }),
  );

  typed.post(
    "/api/v1/users",
    {
      preHandler: sudo,
      schema: {
        tags,
        summary: "Invite a user (administrators)",
        description:
          "Creates the user without a password and answers a one-time link (valid 7 days) where they choose one; the link is shown once and stored only as a hash. When SMTP is configured and an e-mail address is given, the link is also mailed; a failed mail is a warning (mail_not_sent), never a lost invitation. Audited as user.invited. " + SUDO_NOTE,
        body: InviteUserRequest,
        response: { 201: UserLinkReply, ...errors },
      },
    },
    async (request, reply) => {
      const result = await people.invite(actorOf(request), request.body, requestBaseUrl(request));
      return reply.code(201).send(userLinkReplyOf(result));
    },
  );

  typed.post(
    "/api/v1/users/:id/invite",
    {
      preHandler: sudo,
      schema: {
        tags,
        summary: "Issue a new invitation link for a user who has not accepted theirs (administrators)",
        description: "The previous invitation link stops working. Audited as user.invite_reissued. " + SUDO_NOTE,
        params: UserIdParams,
        response: { 200: UserLinkReply, ...errors },
      },
    },
    async (request) => userLinkReplyOf(await people.reissueInvite(actorOf(request), idOf(request.params), requestBaseUrl(request))),
  );

  typed.post(
    "/api/v1/users/:id/password-reset",
    {
      preHandler: sudo,
      schema: {
        tags,
        summary: "Issue a one-time password-reset link (administrators)",
        description: "Valid 24 hours, shown once, mailed when SMTP is configured. Using it sets a new password and ends every session of the user. Audited as user.password_reset_issued. " + SUDO_NOTE,
        params: UserIdParams,
        response: { 200: UserLinkReply, ...errors },
      },
    },
    async (request) => userLinkReplyOf(await people.issuePasswordReset(actorOf(request), idOf(request.params), requestBaseUrl(request))),
  );

  typed.put(
    "/api/v1/users/:id/role",
    {
      preHandler: sudo,
      schema: {
        tags,
        summary: "Change a user's role (administrators)",
        description: "409 last_admin when it would leave no enabled administrator. Audited as user.role_changed. " + SUDO_NOTE,
        params: UserIdParams,
        body: ChangeRoleRequest,
        response: { 200: User, ...errors },
      },
    },
    async (request) => userViewOf(await people.changeRole(actorOf(request), idOf(request.params), request.body.role)),
  );

  for (const [verb, summary, description] of [
    ["disable", "Disable a user (administrators)", "Every session of the user ends at once. 409 last_admin for the last enabled administrator. Audited as user.disabled."],
    ["enable", "Enable a disabled user again (administrators)", "Audited as user.enabled."],
  ] as const) {
    typed.post(
      `/api/v1/users/:id/${verb}`,
      { preHandler: sudo, schema: { tags, summary, description: `${description} ${SUDO_NOTE}`, params: UserIdParams, body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 200: User, ...errors } } },
      async (request) => userViewOf(await people[verb](actorOf(request), idOf(request.params))),
    );
  }

  typed.delete(
    "/api/v1/users/:id",
    {
      preHandler: sudo,
      schema: {
        tags,
        summary: "Delete a user; their entries pass to another user (administrators)",
        description:
          "`entriesTo` names the enabled, non-auditor user who receives the entries; it is required when the user owns any (409 user_owns_entries otherwise). One transaction: the entries move, the user, their sessions and memberships go. Audited as user.deleted. " + SUDO_NOTE,
        params: UserIdParams,
        querystring: DeleteUserQuery,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await people.deleteUser(actorOf(request), idOf(request.params), request.query.entriesTo as UserId | undefined);
      return reply.code(204).send(null);
    },
  );
}
