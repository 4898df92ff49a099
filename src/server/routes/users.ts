// Administering vault users: unlocking an account that failed sign-ins have locked.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Problem } from "../../contract/problem.js";
import { UnlockUserReply, UnlockUserRequest } from "../../contract/users.js";
import type { AccountLockService } from "../../services/account-locks.js";
import { actorOf, requireSession } from "../authentication.js";
import { userSummaryOf } from "./reply-shapes.js";

export function registerUserRoutes(app: FastifyInstance, deps: { accountLocks: AccountLockService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    "/api/v1/users/unlock",
    {
      preHandler: requireSession,
      schema: {
        tags: ["users"],
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
}
