// The OpenAPI 3.1 description at /api/openapi.json and interactive docs at /api/docs.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { SESSION_COOKIE } from "./authentication.js";

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Watchword API",
        version,
        description:
          "Shared one-time-password secrets: seeds go in, only codes come out. Errors are application/problem+json (RFC 9457). " +
          "Browsers authenticate with a session cookie and send X-CSRF-Token on state changes; scripts send `Authorization: Bearer ww_…`.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "A token from `watchword login --print-token`." },
          cookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true, uiConfig: { docExpansion: "list", deepLinking: false } });
}
