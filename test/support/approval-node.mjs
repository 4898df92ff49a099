// A second Watchword node for approval races: its own process and database connection, running
// the built store (dist/), told what to approve on stdin (one JSON line per approval) and
// answering with the outcome on stdout. A SQLite "node" must be another process: two connections
// in one process would wait for each other's write lock on the one event-loop thread.
//
// Usage: node approval-node.mjs '{"databaseUrl":…,"dataDir":…,"postgresSchema":…}'
import readline from "node:readline";
import { openStore } from "../../dist/node/store/store.js";

const store = openStore(JSON.parse(process.argv[2] ?? "{}"));
await store.ping();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line.trim() === "") continue;
  const { id, holdMs = 0, ...decider } = JSON.parse(line);
  try {
    const outcome = await store.transaction(async (tx) => {
      const result = await tx.accessRequests.approveRequest(decider);
      // Keeps the transaction (and the request's row lock) open while the other node tries.
      if (holdMs > 0) await sleep(holdMs);
      return result;
    });
    process.stdout.write(`${JSON.stringify({ id, outcome })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id, error: error instanceof Error ? error.message : String(error) })}\n`);
  }
}
await store.close();
