// The OpenAPI 3.1 description at /api/openapi.json and interactive docs at /api/docs.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { SESSION_COOKIE } from "./authentication.js";
import { finishOpenApiDocument, type OpenApiDocument } from "./openapi-document.js";

const TRY_IT_OUT =
  "**Trying it out here.** Reading (GET) works with the web app's session in this browser. Changes (POST, PUT, PATCH, DELETE) " +
  "need a bearer token, because this page cannot send the CSRF token a browser session needs: call POST /api/v1/auth/sign-in " +
  'with `{"username": "…", "password": "…", "client": "cli"}`, copy the `token` (ww_…) from the reply, and paste it under ' +
  "Authorize → bearer. `watchword login --print-token` prints one too.";

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Watchword API",
        version,
        description:
          "Shared one-time-password secrets: seeds go in, only codes come out.\n\n" +
          "**Errors** are application/problem+json (RFC 9457): `detail` says the problem in English; `key` and `params` name it " +
          "independently of language (translate by them), `field` names the request field it is about.\n\n" +
          "**Authentication.** Browsers use a session cookie and send X-CSRF-Token on state changes; scripts send " +
          "`Authorization: Bearer ww_…`.\n\n" +
          TRY_IT_OUT,
      },
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: 'A token (ww_…) from POST /api/v1/auth/sign-in with "client": "cli", or from `watchword login --print-token`. Needed here for every change.',
          },
          cookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "The web app's session: enough for reading here; changes also need its CSRF token." },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transformObject: (document) => ("openapiObject" in document ? (finishOpenApiDocument(document.openapiObject as OpenApiDocument) as typeof document.openapiObject) : document.swaggerObject),
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true, uiConfig: { docExpansion: "list", deepLinking: false } });
}
