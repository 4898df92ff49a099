// Starts approval-node.mjs (a second node: its own process and connection on the same database)
// and hands out its approvals as promises.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { DatabaseTarget } from "../../src/store/connect.js";
import type { ApprovalOutcome } from "../../src/store/access-requests.js";

const SCRIPT = path.resolve("test/support/approval-node.mjs");
const BUILT_STORE = path.resolve("dist/node/store/store.js");

export interface SecondNode {
  approve(decider: Record<string, unknown> & { holdMs?: number }): Promise<ApprovalOutcome>;
  stop(): Promise<void>;
}

export async function startSecondNode(target: DatabaseTarget): Promise<SecondNode> {
  if (!existsSync(BUILT_STORE)) throw new Error(`${BUILT_STORE} is missing: run \`npm run build\` first (npm test does).`);
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(target)], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const waiting = new Map<number, { resolve: (o: ApprovalOutcome) => void; reject: (e: Error) => void }>();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve, reject) => {
    ready = resolve;
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`approval node exited with ${code} before it was ready`)));
  });
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const message = JSON.parse(line) as { ready?: true; id?: number; outcome?: ApprovalOutcome; error?: string };
    if (message.ready) return ready();
    const pending = waiting.get(message.id!);
    waiting.delete(message.id!);
    if (message.error !== undefined) pending?.reject(new Error(message.error));
    else pending?.resolve(message.outcome!);
  });
  await isReady;
  let next = 0;
  return {
    approve(decider) {
      const id = (next += 1);
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.stdin.write(`${JSON.stringify({ id, ...decider })}\n`);
      });
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
