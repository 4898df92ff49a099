// Serves the built web app, with the single-page fallback to index.html for its routes.
import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { problem } from "../core/errors.js";
import { sendProblem } from "./problems.js";

const API_PREFIXES = ["/api/", "/healthz", "/readyz"];

export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const indexFile = path.join(webDir, "index.html");
  const isBuilt = fs.existsSync(indexFile);
  if (isBuilt) {
    const assetsDir = path.join(webDir, "assets") + path.sep;
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      cacheControl: false,
      // Hashed assets never change: cache them for a year. index.html is re-checked every time.
      // Set here, for the files served, rather than by a hook that every API request would run.
      setHeaders: (response, file) => {
        if (file.startsWith(assetsDir)) response.setHeader("cache-control", "public, max-age=31536000, immutable");
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    if (isApi || request.method !== "GET" || !/\btext\/html\b|\*\/\*/.test(String(request.headers.accept ?? ""))) {
      return sendProblem(reply, request, "not_found", problem("route_not_found", { method: request.method, path: request.url.split("?")[0] ?? "/" }));
    }
    if (!isBuilt) {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The Watchword web app has not been built. Run `npm run build` and restart the server; the API is available at /api/docs.");
    }
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
}
