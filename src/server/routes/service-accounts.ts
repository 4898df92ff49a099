// Service accounts and their API tokens (administrators). The token itself is in one reply only:
// the 201 that creates it.
import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Problem } from "../../contract/problem.js";
import {
  ApiToken,
  ApiTokenIdParams,
  ApiTokenList,
  ApiTokenListQuery,
  CreateApiTokenRequest,
  CreatedApiToken,
  CreateServiceAccountRequest,
  ServiceAccount,
  ServiceAccountIdParams,
  ServiceAccountList,
} from "../../contract/service-accounts.js";
import type { ApiTokenView, ServiceAccountService, ServiceAccountView } from "../../services/service-accounts.js";
import type { ReauthenticationService } from "../../services/reauthentication.js";
import { SUDO_NOTE, actorOf, requireSession, requireSudo } from "../authentication.js";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const serviceAccountOf = (view: ServiceAccountView): ServiceAccount => ({
  id: view.account.id,
  name: view.account.name,
  description: view.account.description,
  createdAt: new Date(view.account.createdAt).toISOString(),
  disabledAt: iso(view.account.disabledAt),
  activeTokens: view.activeTokens,
});

export const apiTokenOf = ({ token, serviceAccountName, state }: ApiTokenView): ApiToken => ({
  id: token.id,
  serviceAccountId: token.serviceAccountId,
  serviceAccountName,
  label: token.label,
  scope: { entryIds: [...token.scope.entryIds], folderIds: [...token.scope.folderIds], permissions: [...token.scope.permissions] },
  allowedCidrs: [...token.allowedCidrs],
  expiresAt: iso(token.expiresAt),
  createdAt: new Date(token.createdAt).toISOString(),
  lastUsedAt: iso(token.lastUsedAt),
  lastUsedIp: token.lastUsedIp,
  revokedAt: iso(token.revokedAt),
  state,
});

export function registerServiceAccountRoutes(app: FastifyInstance, deps: { serviceAccounts: ServiceAccountService; reauthentication: Pick<ReauthenticationService, "requireRecent"> }): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { serviceAccounts } = deps;
  const tags = ["service accounts"];

  typed.get(
    "/api/v1/service-accounts",
    { preHandler: requireSession, schema: { tags, summary: "Service accounts (administrators)", response: { 200: ServiceAccountList, 401: Problem, 403: Problem } } },
    async (request) => ({ serviceAccounts: (await serviceAccounts.list(actorOf(request))).map(serviceAccountOf) }),
  );

  typed.post(
    "/api/v1/service-accounts",
    { preHandler: requireSession, schema: { tags, summary: "Create a service account (administrators)", body: CreateServiceAccountRequest, response: { 201: ServiceAccount, ...errors } } },
    async (request, reply) => reply.code(201).send(serviceAccountOf(await serviceAccounts.create(actorOf(request), request.body))),
  );

  for (const [verb, isDisabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    typed.post(
      `/api/v1/service-accounts/:id/${verb}`,
      {
        preHandler: requireSession,
        schema: {
          tags,
          summary: isDisabled ? "Disable a service account: every token it owns is refused from the next request" : "Enable a service account again",
          params: ServiceAccountIdParams,
          body: Type.Optional(Type.Object({}, { additionalProperties: false })),
          response: { 200: ServiceAccount, ...errors },
        },
      },
      async (request) => serviceAccountOf(await serviceAccounts.setDisabled(actorOf(request), request.params.id, isDisabled)),
    );
  }

  typed.post(
    "/api/v1/service-accounts/:id/tokens",
    {
      preHandler: requireSudo(deps.reauthentication),
      schema: {
        tags,
        summary: "Create an API token for a service account (administrators)",
        description: "The reply carries the token this once; Watchword keeps only its hash. A token reaches an entry only when the service account also holds a grant on it. " + SUDO_NOTE,
        params: ServiceAccountIdParams,
        body: CreateApiTokenRequest,
        response: { 201: CreatedApiToken, ...errors },
      },
    },
    async (request, reply) => {
      const { secret, view } = await serviceAccounts.createToken(actorOf(request), request.params.id, request.body);
      return reply.code(201).header("cache-control", "no-store").send({ token: secret, ...apiTokenOf(view) });
    },
  );

  typed.get(
    "/api/v1/api-tokens",
    { preHandler: requireSession, schema: { tags, summary: "API tokens with their scope and last use (administrators)", querystring: ApiTokenListQuery, response: { 200: ApiTokenList, 400: Problem, 401: Problem, 403: Problem, 404: Problem } } },
    async (request) => ({ tokens: (await serviceAccounts.listTokens(actorOf(request), request.query.serviceAccountId)).map(apiTokenOf) }),
  );

  typed.post(
    "/api/v1/api-tokens/:id/revoke",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Revoke an API token at once (administrators)", params: ApiTokenIdParams, body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 200: ApiToken, ...errors } },
    },
    async (request) => apiTokenOf(await serviceAccounts.revokeToken(actorOf(request), request.params.id)),
  );
}
