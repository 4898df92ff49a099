// Watchword deployed on PostgreSQL as an operator runs it: `init` and `user add` with the CLI, then
// several `watchword serve` processes on one database; a bounded load of code requests against
// them; and the check of every reply against the audit log the nodes wrote.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as OTPAuth from "otpauth";
import { expect } from "vitest";
import { createClient } from "../../src/client/client.js";
import { openStore } from "../../src/store/store.js";
import { cleanEnv, runCli, startServe, type CliResult, type ServeProcess } from "./cli.js";

export const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // RFC 4226's test key
const PASSWORD = "amber-quartz-meadow-1977";
/** HOTP codes of 8 digits: a chance match of two counters' codes is rare, and still handled. */
const HOTP_DIGITS = 8;

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  /** The Retry-After header, when the reply has one. */
  readonly retryAfter: string | null;
  readonly body: string;
}

export interface WatchwordNode {
  readonly serve: ServeProcess;
  readonly url: string;
  /** Its backends carry application_name "watchword:<pid>@<host>". */
  readonly pid: number;
  isAlive(): boolean;
  /** One authenticated API request; status 0 when no answer came (refused, reset, timed out). */
  call(method: "GET" | "POST", urlPath: string): Promise<Reply>;
}

export interface Deployment {
  readonly nodes: readonly WatchwordNode[];
  /** The administrator's bearer token, good on every node. */
  readonly token: string;
  readonly databaseUrl: string;
  readonly totpEntryId: string;
  readonly hotpEntryId: string;
  /** Everything every node printed, stdout and stderr. */
  output(): string;
  /** `watchword audit verify --json` on the deployment's database and shared data directory (the nodes' checkpoints). */
  verifyAudit(): Promise<CliResult>;
  /** Starts one more node on the deployment (on the given port: a node restarted where the load balancer expects it). */
  startNode(port?: number): Promise<WatchwordNode>;
  stop(): Promise<void>;
}

/** One authenticated API request to a base URL; status 0 when no answer came (refused, reset, timed out). */
export async function callWith(baseUrl: string, token: string, method: "GET" | "POST", urlPath: string, timeoutMs = 30_000): Promise<Reply & { retryAfter: string | null }> {
  try {
    const response = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
      ...(method === "POST" ? { body: "{}" } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", retryAfter: response.headers.get("retry-after"), body: await response.text() };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${(error.cause as NodeJS.ErrnoException).code ?? ""} ${error.cause.message})` : "";
    return { status: 0, contentType: "", retryAfter: null, body: (error instanceof Error ? error.message : String(error)) + cause };
  }
}

export async function deployOnPostgres(databaseUrl: string, nodeCount: number): Promise<Deployment> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-nodes-"));
  const env = cleanEnv({ DATABASE_URL: databaseUrl, WATCHWORD_MASTER_KEY: randomBytes(32).toString("base64") });
  const init = await runCli(["init", "--data-dir", dataDir], { env });
  if (init.code !== 0) throw new Error(`watchword init failed: ${init.stderr}`);
  const added = await runCli(["user", "add", "admin", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { env, input: PASSWORD });
  if (added.code !== 0) throw new Error(`watchword user add failed: ${added.stderr}`);
  const serves: ServeProcess[] = [];
  try {
    for (let i = 0; i < nodeCount; i += 1) serves.push(await startServe(["--data-dir", dataDir], env));
  } catch (error) {
    await Promise.all(serves.map((s) => s.stop()));
    throw error;
  }
  const { token } = await createClient({ baseUrl: serves[0]!.url }).signIn({ username: "admin", password: PASSWORD, client: "cli" });
  const admin = createClient({ baseUrl: serves[0]!.url, token: token! });
  const totp = await admin.createEntry({ name: "AWS root", seed: { secret: SEED_B32 } });
  const hotp = await admin.createEntry({ name: "VPN token", seed: { uri: `otpauth://hotp/VPN?secret=${SEED_B32}&counter=0&digits=${HOTP_DIGITS}` } });
  const nodeOf = (serve: ServeProcess): WatchwordNode => ({
    serve,
    url: serve.url,
    pid: serve.child.pid!,
    isAlive: () => serve.child.exitCode === null && serve.child.signalCode === null,
    call: (method, urlPath) => callWith(serve.url, token!, method, urlPath),
  });
  const nodes = serves.map(nodeOf);
  return {
    nodes,
    token: token!,
    databaseUrl,
    totpEntryId: totp.entry.id,
    hotpEntryId: hotp.entry.id,
    output: () => serves.map((s) => s.output() + s.errors()).join("\n"),
    verifyAudit: () => runCli(["audit", "verify", "--json", "--data-dir", dataDir], { env, timeoutMs: 60_000 }),
    async startNode(port) {
      const serve = await startServe(["--data-dir", dataDir, ...(port === undefined ? [] : ["--port", String(port)])], env);
      serves.push(serve);
      return nodeOf(serve);
    },
    async stop() {
      await Promise.all(serves.map((s) => (s.child.exitCode === null ? s.stop() : undefined)));
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asserts that a reply is the problem a person sees while the database is away or busy. */
export function expectUnavailable(reply: Reply): void {
  expect(reply.status, reply.body).toBe(503);
  expect(reply.contentType).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(reply.body) as { code: string; detail: string };
  expect(problem.code).toBe("unavailable");
  expect(problem.detail).toMatch(/^The (database|audit log) .*try again/i);
  expect(reply.retryAfter, "a 503 says when to try again").toMatch(/^[1-9]\d*$/);
}

export interface CodeRequest extends Reply {
  readonly kind: "totp" | "hotp";
}

/**
 * Requests codes from every node, `workersPerNode` at a time, alternating HOTP (POST, advances the
 * counter) and TOTP (GET) until `isDone()` or a bound of requests per worker. Returns every reply.
 */
export async function requestCodes(deployment: Deployment, options: { workersPerNode: number; isDone: () => boolean; maxPerWorker?: number }): Promise<CodeRequest[]> {
  const replies: CodeRequest[] = [];
  const maxPerWorker = options.maxPerWorker ?? 2000;
  const worker = async (node: WatchwordNode, offset: number) => {
    for (let i = 0; i < maxPerWorker && !options.isDone(); i += 1) {
      const kind = (i + offset) % 2 === 0 ? "hotp" : "totp";
      const reply = kind === "hotp" ? await node.call("POST", `/api/v1/entries/${deployment.hotpEntryId}/code`) : await node.call("GET", `/api/v1/entries/${deployment.totpEntryId}/code`);
      replies.push({ ...reply, kind });
      // A node that does not answer at all is not hammered in a tight loop.
      if (reply.status === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all(deployment.nodes.flatMap((node) => Array.from({ length: options.workersPerNode }, (_, w) => worker(node, w))));
  return replies;
}

/**
 * Checks what the nodes handed out against what they audited: the chain is whole, no HOTP counter
 * was audited twice, every HOTP code in a 200 reply belongs to an audited counter (and no audited
 * counter's code went out twice), and every TOTP code in a 200 reply has its own audit event.
 */
export async function expectEveryCodeAudited(deployment: Deployment, replies: readonly CodeRequest[]): Promise<{ hotp: number; totp: number }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-audit-"));
  const store = openStore({ databaseUrl: deployment.databaseUrl, dataDir });
  let events;
  try {
    events = await store.auditEvents.listAuditEvents({ limit: 1_000_000 });
  } finally {
    await store.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  const verified = await deployment.verifyAudit();
  expect([verified.code, verified.stderr]).toEqual([0, ""]);
  expect(JSON.parse(verified.stdout)).toMatchObject({ intact: true, eventsChecked: events.length });
  const issued = events.filter((e) => e.action === "code.issued" && e.outcome === "success").map((e) => ({ entryId: e.entryId, details: JSON.parse(e.details) as { counter?: number; validFrom?: number } }));

  const secret = OTPAuth.Secret.fromBase32(SEED_B32);
  const counters = issued.filter((e) => e.entryId === deployment.hotpEntryId).map((e) => e.details.counter!);
  expect(new Set(counters).size).toBe(counters.length);
  const auditedHotp = new Map<string, number>();
  for (const counter of counters) {
    const code = OTPAuth.HOTP.generate({ secret, counter, digits: HOTP_DIGITS });
    auditedHotp.set(code, (auditedHotp.get(code) ?? 0) + 1);
  }
  const auditedTotp = new Map<number, number>();
  for (const e of issued.filter((e) => e.entryId === deployment.totpEntryId)) auditedTotp.set(e.details.validFrom!, (auditedTotp.get(e.details.validFrom!) ?? 0) + 1);

  let hotp = 0;
  let totp = 0;
  for (const reply of replies.filter((r) => r.status === 200)) {
    const { code, validFrom } = JSON.parse(reply.body) as { code: string; validFrom: number };
    if (reply.kind === "hotp") {
      const left = auditedHotp.get(code) ?? 0;
      expect(left, `HOTP code ${code} was handed out without an audited counter of its own`).toBeGreaterThan(0);
      auditedHotp.set(code, left - 1);
      hotp += 1;
    } else {
      expect(code).toBe(OTPAuth.TOTP.generate({ secret, timestamp: validFrom * 1000 }));
      const left = auditedTotp.get(validFrom) ?? 0;
      expect(left, `a TOTP code of ${validFrom} was handed out without its audit event`).toBeGreaterThan(0);
      auditedTotp.set(validFrom, left - 1);
      totp += 1;
    }
  }
  return { hotp, totp };
}
