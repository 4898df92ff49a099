// First-run setup through the one-time link.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Secret } from "../../core/secret.js";
import { CompleteSetupRequest, SetupStatusReply, SetupStatusRequest, SignInReply } from "../../contract/auth.js";
import { Problem } from "../../contract/problem.js";
import type { SetupService } from "../../services/setup.js";
import { originOf } from "../authentication.js";
import { startSession, type AuthRouteDeps } from "./auth.js";

export function registerSetupRoutes(app: FastifyInstance, deps: Pick<AuthRouteDeps, "sessions" | "devices" | "clock"> & { setup: SetupService }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    "/api/v1/setup/status",
    {
      schema: {
        tags: ["setup"],
        summary: "Check a setup link before showing its form",
        description: "404 when the link is unknown or expired, 409 when Watchword is already set up.",
        body: SetupStatusRequest,
        response: { 200: SetupStatusReply, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      await deps.setup.checkSetupToken(request.body.token);
      return { state: "ready" as const };
    },
  );

  typed.post(
    "/api/v1/setup",
    {
      schema: {
        tags: ["setup"],
        summary: "Create the first administrator and sign in",
        body: CompleteSetupRequest,
        response: { 200: SignInReply, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const { token, username, displayName, password } = request.body;
      const user = await deps.setup.completeSetup(token, { username, displayName, password: Secret.fromUtf8(password) }, originOf(request));
      return startSession(deps, request, reply, user, "browser");
    },
  );
}
