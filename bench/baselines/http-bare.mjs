// Baseline: requests/s and p99 latency of a bare Fastify JSON route served from a child process
// on loopback. Watchword's HTTP routes are quoted as a ratio of this.

import { startServerProcess } from "../support/server-process.mjs";
import { runLoadRound } from "../support/http-load.mjs";

const durationSeconds = 3;

/**
 * @param {number} connections
 * @returns {import("../run.mjs").Bench<import("../support/server-process.mjs").ServerProcess>}
 */
const bareRoute = (connections) => ({
  name: connections === 10 ? "http.bare" : `http.bare@${connections}`,
  title: `Fastify GET /bare {ok:true}, ${connections} connections, ${durationSeconds} s rounds`,
  unit: "req/s",
  extras: { p99: "ms" },
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
  run: (server) => runLoadRound(`${server.origin}/bare`, { connections, durationSeconds }),
  teardown: (server) => server.stop(),
});

// 10 connections: a few scripts at once. 64: a busy fleet, where group commit shares more.
export default [bareRoute(10), bareRoute(64)];
