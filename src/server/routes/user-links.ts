// The one-time links people open without a session: accepting an invitation and completing a
// password reset. Each checks its token first (for the page), then sets the password and signs in.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Secret } from "../../core/secret.js";
import { Problem } from "../../contract/problem.js";
import { AcceptInviteRequest, CompleteResetRequest, LinkStatusReply, LinkStatusRequest } from "../../contract/users.js";
import type { UserLinkService } from "../../services/user-links.js";
import { originOf } from "../authentication.js";
import { openChallenge, startSession, type AuthRouteDeps } from "./auth.js";
import { SignInOutcome } from "../../contract/second-factors.js";
import type { SecondFactors } from "../../services/second-factors.js";

const tags = ["setup"];

export function registerUserLinkRoutes(
  app: FastifyInstance,
  deps: Pick<AuthRouteDeps, "sessions" | "devices" | "clock" | "challenges"> & { links: UserLinkService; secondFactors: Pick<SecondFactors, "methodsOf"> },
): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { links } = deps;

  for (const [purpose, path, noun] of [
    ["invite", "/api/v1/invites/status", "an invitation link"],
    ["reset", "/api/v1/password-resets/status", "a password-reset link"],
  ] as const) {
    typed.post(
      path,
      {
        schema: {
          tags,
          summary: `Check ${noun} before showing its form`,
          description: "404 when the link is unknown or expired, 409 when it has been used.",
          body: LinkStatusRequest,
          response: { 200: LinkStatusReply, 400: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => {
        const { user, expiresAt } = await links.checkLink(purpose, request.body.token);
        return { username: user.username, displayName: user.displayName, expiresAt: new Date(expiresAt).toISOString() };
      },
    );
  }

  // Both set the password and sign in; only an invitation may also set the display name.
  for (const [purpose, path, summary, description, body] of [
    ["invite", "/api/v1/invites/accept", "Accept an invitation: choose a password and sign in", "The link works once. Audited as user.invite_accepted.", AcceptInviteRequest],
    ["reset", "/api/v1/password-resets/complete", "Complete a password reset: choose a new password and sign in", "The link works once; every other session of the user ends. Audited as user.password_reset.", CompleteResetRequest],
  ] as const) {
    typed.post(path, { schema: { tags, summary, description, body, response: { 200: SignInOutcome, 400: Problem, 404: Problem, 409: Problem } } }, async (request, reply) => {
      const { token, password: given, ...rest }: AcceptInviteRequest = request.body;
      const password = Secret.fromUtf8(given);
      try {
        const user = await links.completeLink(purpose, token, password, originOf(request), purpose === "invite" ? rest.displayName : undefined);
        // A link proves the address it was sent to, not the second factor: a user who has one
        // (a reset after enrolling) answers the same challenge as at sign-in.
        const methods = await deps.secondFactors.methodsOf(user.id);
        if (methods.length > 0) return await openChallenge(deps, reply, { user, keptDeviceToken: undefined, failuresFromOtherDevices: 0, isLockedForOtherDevices: false }, "browser", methods);
        // Not in sudo mode: the link proved an address, not a password the user already had.
        return await startSession(deps, request, reply, user, "browser", undefined, false);
      } finally {
        password.destroy();
      }
    });
  }
}
