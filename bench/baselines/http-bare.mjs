// Baselines: requests/s, p99 latency and the server's CPU µs per request of a bare Fastify JSON
// route served from a child process on loopback, and that server's resident memory when idle.
// Watchword's HTTP routes and memory are quoted as ratios of these.

import { startServerProcess } from "../support/server-process.mjs";
import { runLoadRound } from "../support/http-load.mjs";
import { residentMegabytes } from "../support/process-stats.mjs";

const durationSeconds = 3;
/** How long a server is left alone after start before its memory is read. */
export const idleSettleMs = 1000;

/**
 * @param {number} connections
 * @returns {import("../run.mjs").Bench<import("../support/server-process.mjs").ServerProcess>}
 */
const bareRoute = (connections) => ({
  name: connections === 10 ? "http.bare" : `http.bare@${connections}`,
  title: `Fastify GET /bare {ok:true}, ${connections} connections, ${durationSeconds} s rounds`,
  unit: "req/s",
  extras: { p99: "ms", cpuUs: "µs/req", rss: "MB" },
  rounds: 5,
  warmup: 1,
  async setup() {
    const server = await startServerProcess(new URL("../servers/bare.mjs", import.meta.url));
    try {
      const reply = await fetch(`${server.origin}/bare`);
      const body = await reply.text();
      if (reply.status !== 200 || body !== '{"ok":true}') throw new Error(`GET /bare answered ${reply.status} ${body}`);
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
  run: async (server) => ({ ...(await runLoadRound(`${server.origin}/bare`, { connections, durationSeconds, serverPid: server.pid })), rss: residentMegabytes(server.pid) }),
  teardown: (server) => server.stop(),
});

/** @type {import("../run.mjs").Bench<undefined>} */
const bareMemory = {
  name: "rss.bare",
  title: "resident memory of the bare Fastify server, idle after start (a fresh process each round)",
  unit: "MB",
  rounds: 3,
  warmup: 0,
  async run() {
    const server = await startServerProcess(new URL("../servers/bare.mjs", import.meta.url));
    try {
      await new Promise((resolve) => setTimeout(resolve, idleSettleMs));
      return residentMegabytes(server.pid);
    } finally {
      await server.stop();
    }
  },
};

// 10 connections: a few scripts at once. 64: a busy fleet, where group commit shares more.
export default [bareRoute(10), bareRoute(64), bareMemory];
