// The bare Fastify app the HTTP baseline measures: one JSON route, no plugins, no logging.
// Anything Watchword's own routes add (auth, schemas, audit) is measured against this.

import Fastify from "fastify";

export async function buildApp() {
  const app = Fastify({ logger: false });
  app.get("/bare", async () => ({ ok: true }));
  return app;
}
