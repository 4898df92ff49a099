// The account-recovery method under /api/v1/account/recovery-method (sudo mode to change it), the
// recovery of lost second factors from the second step of a sign-in under /api/v1/auth/recovery,
// and administrators' decisions under /api/v1/account-recoveries.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { SignInReply } from "../../contract/auth.js";
import { Problem } from "../../contract/problem.js";
import {
  AccountRecovery,
  AccountRecoveryList,
  ConfirmRecoveryMethodRequest,
  ConfirmRecoveryRequest,
  OwnRecoveryMethod,
  RecoveryChallengeRequest,
  RecoveryMethod,
  RecoveryStatusReply,
  SentRecoveryCode,
  StartRecoveryMethodRequest,
} from "../../contract/recovery-method.js";
import type { AccountRecoveryService, RecoveryView } from "../../services/account-recovery.js";
import type { RecoveryMethodService, RecoveryMethodView } from "../../services/recovery-method.js";
import { actorOf, originOf, requireSession } from "../authentication.js";
import { CHALLENGE_COOKIE, CHALLENGE_COOKIE_OPTIONS, startSession, type AuthRouteDeps } from "./auth.js";

const SUDO = "Needs sudo mode (POST /api/v1/auth/reauthenticate within WATCHWORD_SUDO_MINUTES): 403 `reauthentication_required` otherwise.";
const iso = (ms: number): string => new Date(ms).toISOString();
const methodOf = (m: RecoveryMethodView) => ({ channel: m.channel, hint: m.hint, confirmedAt: iso(m.confirmedAt) });
const recoveryOf = (r: RecoveryView) => ({ id: r.id, username: r.username, status: r.status, channel: r.channel, requestedAt: iso(r.requestedAt), readyAt: iso(r.readyAt), isReady: r.isReady });
const RecoveryId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export function registerRecoveryMethodRoutes(
  app: FastifyInstance,
  deps: Pick<AuthRouteDeps, "sessions" | "devices" | "clock"> & { methods: RecoveryMethodService; recoveries: AccountRecoveryService },
): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { methods, recoveries } = deps;
  const challengeOf = (request: FastifyRequest, body: { client?: "browser" | "cli" | undefined; challengeToken?: string | undefined }) => {
    const client = body.client ?? "browser";
    return { client, token: client === "cli" ? body.challengeToken : request.cookies[CHALLENGE_COOKIE] };
  };

  typed.get(
    "/api/v1/account/recovery-method",
    { preHandler: requireSession, schema: { tags: ["account"], summary: "Your account-recovery method", description: "Its hint only, never the address; which channels this server can send; and a recovery of your account under way.", response: { 200: OwnRecoveryMethod, 401: Problem, 403: Problem } } },
    async (request) => {
      const view = await methods.view(actorOf(request));
      return {
        method: view.method === undefined ? null : methodOf(view.method),
        channels: view.channels,
        recovery: view.recovery === undefined ? null : recoveryOf({ ...view.recovery, username: request.session!.user.username, isReady: view.recovery.status === "approved" || view.recovery.readyAt <= deps.clock.now() }),
      };
    },
  );

  typed.post(
    "/api/v1/account/recovery-method",
    {
      preHandler: requireSession,
      schema: {
        tags: ["account"],
        summary: "Send a code to a new recovery address or number",
        description: `A 6-digit code, valid 10 minutes, to the address; asking again sends a new code and the one before stops working. At most 5 codes an hour (429). ${SUDO} Audited as user.recovery_code_sent.`,
        body: StartRecoveryMethodRequest,
        response: { 200: SentRecoveryCode, 400: Problem, 401: Problem, 403: Problem, 429: Problem, 503: Problem },
      },
    },
    async (request) => {
      const sent = await methods.startConfirmation(actorOf(request), request.body.channel, request.body.address);
      return { attemptToken: sent.token, channel: sent.channel, hint: sent.hint, expiresAt: iso(sent.expiresAt) };
    },
  );

  typed.post(
    "/api/v1/account/recovery-method/confirm",
    {
      preHandler: requireSession,
      schema: { tags: ["account"], summary: "Confirm the recovery method with its code", description: `Used once; 5 wrong codes end the attempt. ${SUDO} Audited as user.recovery_method_added.`, body: ConfirmRecoveryMethodRequest, response: { 200: RecoveryMethod, 400: Problem, 401: Problem, 403: Problem } },
    },
    async (request) => methodOf(await methods.confirm(actorOf(request), request.body.attemptToken, request.body.code)),
  );

  typed.delete(
    "/api/v1/account/recovery-method",
    { preHandler: requireSession, schema: { tags: ["account"], summary: "Remove your recovery method", description: `${SUDO} Audited as user.recovery_method_removed.`, response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem } } },
    async (request, reply) => {
      await methods.remove(actorOf(request));
      return reply.code(204).send(null);
    },
  );

  typed.post(
    "/api/v1/account/recovery/cancel",
    { preHandler: requireSession, schema: { tags: ["account"], summary: "Cancel a recovery of your account", description: "For a recovery you did not ask for. Audited as user.recovery_cancelled.", body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem } } },
    async (request, reply) => {
      await methods.cancelRecovery(actorOf(request));
      return reply.code(204).send(null);
    },
  );

  typed.post(
    "/api/v1/auth/recovery/status",
    {
      schema: { tags: ["auth"], summary: "What a sign-in's second step can do about lost factors", description: "For the user whose password was just right (the challenge): where a recovery code would go (its hint), and a recovery under way.", body: RecoveryChallengeRequest, response: { 200: RecoveryStatusReply, 400: Problem, 401: Problem } },
    },
    async (request) => {
      const { client, token } = challengeOf(request, request.body);
      const status = await recoveries.status(token, client);
      return { method: status.method ?? null, recovery: status.recovery === undefined ? null : recoveryOf(status.recovery) };
    },
  );

  typed.post(
    "/api/v1/auth/recovery/start",
    {
      schema: {
        tags: ["auth"],
        summary: "Send a recovery code to the account's recovery method",
        description: "From the second step of a sign-in (the challenge). Asking again supersedes the code before; at most 5 codes an hour. The recovery method is never a sign-in factor: the code only opens a recovery. Audited as user.recovery_code_sent.",
        body: RecoveryChallengeRequest,
        response: { 200: SentRecoveryCode, 400: Problem, 401: Problem, 409: Problem, 429: Problem, 503: Problem },
      },
    },
    async (request) => {
      const { client, token } = challengeOf(request, request.body);
      const sent = await recoveries.start(token, client, originOf(request));
      return { attemptToken: sent.token, channel: sent.channel, hint: sent.hint, expiresAt: iso(sent.expiresAt) };
    },
  );

  typed.post(
    "/api/v1/auth/recovery/confirm",
    {
      schema: {
        tags: ["auth"],
        summary: "Open an account recovery with the code",
        description: "The user and the administrators are told. It can finish once an administrator approves it, or after WATCHWORD_RECOVERY_WAIT_HOURS (default 72). Audited as user.recovery_requested.",
        body: ConfirmRecoveryRequest,
        response: { 200: AccountRecovery, 400: Problem, 401: Problem, 409: Problem, 429: Problem },
      },
    },
    async (request) => {
      const { client, token } = challengeOf(request, request.body);
      return recoveryOf(await recoveries.confirm(token, client, request.body.attemptToken, request.body.code, originOf(request)));
    },
  );

  typed.post(
    "/api/v1/auth/recovery/complete",
    {
      schema: {
        tags: ["auth"],
        summary: "Finish a ready account recovery and sign in",
        description: "Removes every second factor, passkey and sign-in recovery code of the account and ends its sessions, then signs in as the sign-in does: set up new factors next. 409 `recovery_not_ready` until approved or the waiting period is over. Audited as user.recovery_completed.",
        body: RecoveryChallengeRequest,
        response: { 200: SignInReply, 400: Problem, 401: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const { client, token } = challengeOf(request, request.body);
      const user = await recoveries.complete(token, client, originOf(request));
      if (client === "browser") reply.clearCookie(CHALLENGE_COOKIE, CHALLENGE_COOKIE_OPTIONS);
      return startSession(deps, request, reply, user, client);
    },
  );

  typed.get(
    "/api/v1/account-recoveries",
    { preHandler: requireSession, schema: { tags: ["users"], summary: "Account recoveries under way (administrators)", response: { 200: AccountRecoveryList, 401: Problem, 403: Problem } } },
    async (request) => ({ recoveries: (await recoveries.list(actorOf(request))).map(recoveryOf) }),
  );

  for (const verb of ["approve", "deny"] as const) {
    typed.post(
      `/api/v1/account-recoveries/:id/${verb}`,
      {
        preHandler: requireSession,
        schema: {
          tags: ["users"],
          summary: verb === "approve" ? "Approve an account recovery (administrators)" : "Deny an account recovery (administrators)",
          description: verb === "approve" ? "The user may finish it at once. Audited as user.recovery_approved." : "The user's factors stay. Audited as user.recovery_denied.",
          params: RecoveryId,
          body: Type.Optional(Type.Object({}, { additionalProperties: false })),
          response: { 200: AccountRecovery, 401: Problem, 403: Problem, 404: Problem },
        },
      },
      async (request) => recoveryOf(await (verb === "approve" ? recoveries.approve : recoveries.deny)(actorOf(request), request.params.id)),
    );
  }
}
