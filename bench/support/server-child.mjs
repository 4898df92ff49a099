// Child-process entry for HTTP benchmarks: builds the Fastify app exported by the module named
// in argv[2], listens on 127.0.0.1 on an ephemeral port, reports the port to the parent over IPC
// and exits when the parent disconnects (or dies), so no server outlives a benchmark run.

const appModule = process.argv[2];
if (!appModule || !process.send) {
  console.error("server-child.mjs must be forked with an app module URL as its argument");
  process.exit(2);
}

/** @type {{ buildApp: () => Promise<import("fastify").FastifyInstance> }} */
const { buildApp } = await import(appModule);
const app = await buildApp();
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
if (address === null || typeof address === "string") throw new Error("server has no TCP address");

process.on("disconnect", () => {
  app.close().finally(() => process.exit(0));
});
process.send({ port: address.port });
