// Two `watchword serve` nodes on one private PostgreSQL behind a real HAProxy, under a bounded
// load of HOTP and TOTP code requests: one node SIGKILLed, the PostgreSQL server restarted, and
// every node's backends terminated; then the killed node started again where the balancer expects it. Every
// request gets its code with its audit event or a clean error a client can retry; no HOTP counter
// goes out twice (oathtool says which code each counter has); no audit event is lost or
// duplicated; the chain verifies; the nodes and the balancer recover by themselves. The figures
// (requests, errors by kind, recovery times) are printed.
import http from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BALANCER_PROBLEM_CODE, hasHaproxy, startLoadBalancer, type LoadBalancer } from "../support/load-balancer.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { hasPostgresBinaries, startPrivateCluster, type PrivateCluster } from "../support/postgres-cluster.js";
import { callWith, deployOnPostgres, expectEveryCodeAudited, SEED_B32, type CodeRequest, type Deployment, type WatchwordNode } from "../support/watchword-nodes.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (url: string) => Number(new URL(url).port);

interface Timed extends CodeRequest {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly retryAfter: string | null;
}

type Kind = "ok" | "node-503-unavailable" | "node-5xx-problem" | "balancer-5xx-retry-after" | "unclean";

/** What a client can do with a reply: use its code, or retry (a problem JSON 5xx; the balancer's carry Retry-After). */
function classify(reply: Timed): Kind {
  if (reply.status === 200) return "ok";
  if (reply.status < 500 || !reply.contentType.startsWith("application/problem+json")) return "unclean";
  let problem: { code?: string };
  try {
    problem = JSON.parse(reply.body) as { code?: string };
  } catch {
    return "unclean";
  }
  if (problem.code === BALANCER_PROBLEM_CODE) return reply.retryAfter === null ? "unclean" : "balancer-5xx-retry-after";
  if (reply.status === 503 && problem.code === "unavailable") return "node-503-unavailable";
  return "node-5xx-problem";
}

/**
 * One request through the balancer on a connection of its own. HAProxy closes a reused keep-alive
 * client connection silently when the node died under its request (so that a browser retries it);
 * on a fresh connection it answers its 502 instead, which is what this test classifies.
 */
function callFresh(baseUrl: string, token: string, method: "GET" | "POST", urlPath: string): Promise<Omit<Timed, "kind" | "startedAt" | "endedAt">> {
  return new Promise((resolve) => {
    const body = method === "POST" ? "{}" : undefined;
    const request = http.request(`${baseUrl}${urlPath}`, { method, agent: false, timeout: 25_000, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json", "content-length": "2" }) } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers["content-type"] ?? ""), retryAfter: (response.headers["retry-after"] as string | undefined) ?? null, body: text }));
      response.on("error", (error) => resolve({ status: 0, contentType: "", retryAfter: null, body: `response: ${error.message}` }));
    });
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", (error) => resolve({ status: 0, contentType: "", retryAfter: null, body: error.message }));
    request.end(body);
  });
}

/** Polls a URL's code route until it answers 200; resolves with the ms it took. */
async function timeUntilServing(baseUrl: string, token: string, entryId: string, from: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await callWith(baseUrl, token, "GET", `/api/v1/entries/${entryId}/code`, 5000)).status === 200) return Date.now() - from;
    await sleep(25);
  }
  throw new Error(`${baseUrl} did not serve within ${timeoutMs} ms`);
}

async function timeUntilState(lb: LoadBalancer, server: string, state: string, from: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await lb.states())[server]?.startsWith(state)) return Date.now() - from;
    await sleep(25);
  }
  throw new Error(`HAProxy did not see ${server} ${state} within ${timeoutMs} ms: ${JSON.stringify(await lb.states())}`);
}

describe.skipIf(!hasPostgresBinaries || !hasHaproxy)("two nodes on one PostgreSQL behind HAProxy, through faults under load", () => {
  let cluster: PrivateCluster;
  let deployment: Deployment;
  let lb: LoadBalancer;
  let admin: pg.Client;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    deployment = await deployOnPostgres(cluster.url, 2);
    lb = await startLoadBalancer(deployment.nodes.map((n) => portOf(n.url)));
    for (const name of ["node0", "node1"]) await timeUntilState(lb, name, "UP", Date.now());
    // Starting a node takes about 2 s on an idle machine, and tens of seconds on a shared one.
  }, 240_000);
  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    await lb?.stop();
    await deployment?.stop();
    await cluster?.remove();
  });

  it("hands out every code with exactly one audit event or a clean retryable error, and recovers by itself", async () => {
    const { token, hotpEntryId, totpEntryId } = deployment;
    const replies: Timed[] = [];
    let isDone = false;
    const client = async (offset: number) => {
      for (let i = 0; !isDone && i < 4000; i += 1) {
        const kind = (i + offset) % 2 === 0 ? "hotp" : "totp";
        const startedAt = Date.now();
        const reply = kind === "hotp" ? await callFresh(lb.url, token, "POST", `/api/v1/entries/${hotpEntryId}/code`) : await callFresh(lb.url, token, "GET", `/api/v1/entries/${totpEntryId}/code`);
        replies.push({ ...reply, kind, startedAt, endedAt: Date.now() });
        // A bounded load: a client told to retry waits as Retry-After (scaled down) says.
        if (reply.status !== 200) await sleep(100);
        else await sleep(5);
      }
    };
    const started = Date.now();
    const load = Promise.all(Array.from({ length: 6 }, (_, i) => client(i)));
    const figures: Record<string, number | string> = {};

    // 1. One node killed outright; the balancer routes around it.
    await sleep(3000);
    const victim: WatchwordNode = deployment.nodes[0]!;
    const killedAt = Date.now();
    victim.serve.child.kill("SIGKILL");
    figures["kill: balancer marks node0 DOWN (ms)"] = await timeUntilState(lb, "node0", "DOWN", killedAt);
    figures["kill: first code through the balancer after SIGKILL (ms)"] = await timeUntilServing(lb.url, token, totpEntryId, killedAt);
    const live = [deployment.nodes[1]!];
    await sleep(1500);
    const restartedAt = Date.now();

    // 2. The PostgreSQL server restarted (fast shutdown: every connection cut, 1.5 s away).
    const pgStoppedAt = Date.now();
    await cluster.stop();
    await sleep(1500);
    await cluster.start();
    const pgBackAt = Date.now();
    figures["pg restart: database away (ms)"] = pgBackAt - pgStoppedAt;
    const perNode = await Promise.all(live.map((n) => timeUntilServing(n.url, token, totpEntryId, pgBackAt)));
    figures["pg restart: every node serving again after PostgreSQL is back (max ms)"] = Math.max(...perNode);
    figures["pg restart: first code through the balancer after PostgreSQL is back (ms)"] = await timeUntilServing(lb.url, token, totpEntryId, pgBackAt);
    figures["pg restart: balancer marks node1 UP again (ms)"] = await timeUntilState(lb, "node1", "UP", pgBackAt);

    // 3. Every node's backends terminated (what a failover or an idle-killing proxy does).
    await sleep(1500);
    admin = new pg.Client({ connectionString: cluster.url, application_name: "fault-test" });
    await admin.connect();
    const patterns = live.map((n) => `watchword:${n.pid}@%`);
    const terminatedAt = Date.now();
    const terminated = await admin.query<{ n: number }>("select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name like any($1)", [patterns]);
    figures["terminate: backends terminated"] = terminated.rows[0]!.n;
    const afterTerminate = await Promise.all(live.map((n) => timeUntilServing(n.url, token, totpEntryId, terminatedAt)));
    figures["terminate: every node serving again (max ms)"] = Math.max(...afterTerminate);

    await sleep(2000);
    isDone = true;
    await load;
    const loadSeconds = (Date.now() - started) / 1000;

    // 4. The killed node started again where the balancer expects it (as its supervisor would), after the load:
    // a start takes about 2 s on an idle machine and tens of seconds on a busy shared one.
    const startedAgainAt = Date.now();
    const restarted = await deployment.startNode(portOf(victim.url));
    figures["restart: node0 listening again (ms)"] = Date.now() - startedAgainAt;
    figures["restart: balancer marks node0 UP (ms)"] = await timeUntilState(lb, "node0", "UP", startedAgainAt);
    expect((await restarted.call("GET", `/api/v1/entries/${totpEntryId}/code`)).status).toBe(200);
    live.push(restarted);

    // Every reply is a code or a clean error a client can retry.
    const byKind = new Map<Kind, number>();
    for (const reply of replies) byKind.set(classify(reply), (byKind.get(classify(reply)) ?? 0) + 1);
    const unclean = replies.filter((r) => classify(r) === "unclean");
    figures["load: seconds"] = loadSeconds.toFixed(1);
    figures["load: requests"] = replies.length;
    for (const [kind, count] of byKind) figures[`load: ${kind}`] = count;
    figures["load: failed-request window after SIGKILL (ms)"] = Math.max(0, ...replies.filter((r) => r.status !== 200 && r.startedAt >= killedAt && r.startedAt < restartedAt).map((r) => r.endedAt - killedAt));
    figures["load: failed-request window after PostgreSQL stop (ms)"] = Math.max(0, ...replies.filter((r) => r.status !== 200 && r.endedAt >= pgStoppedAt && r.startedAt < terminatedAt).map((r) => r.endedAt - pgStoppedAt));
    figures["load: failed requests after termination"] = replies.filter((r) => r.status !== 200 && r.endedAt >= terminatedAt).length;
    process.stdout.write(`\nnodes behind HAProxy — figures:\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`).join("\n")}\n`);
    const marks = { killedAt, pgStoppedAt, pgBackAt, terminatedAt };
    const when = (t: number) => Object.entries(marks).map(([k, v]) => `${k}${t - v >= 0 ? "+" : ""}${t - v}`).join(" ");
    expect(unclean.slice(0, 3).map((r) => `${r.kind} ${r.status} ${r.contentType} ${r.body.slice(0, 200)} started ${when(r.startedAt)} ended ${when(r.endedAt)}`)).toEqual([]);
    expect(byKind.get("ok") ?? 0).toBeGreaterThan(40);

    // Every code went out with its own audit event; no HOTP counter twice; the chain verifies.
    const counted = await expectEveryCodeAudited(deployment, replies);
    expect(counted.hotp).toBeGreaterThan(10);
    expect(counted.totp).toBeGreaterThan(10);

    // No event lost or duplicated: seq contiguous, and the events beyond the codes delivered are at
    // most the requests that failed (a node may commit and then die before its reply leaves).
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-audit-"));
    const store = openStore({ databaseUrl: deployment.databaseUrl, dataDir });
    const events = await store.auditEvents.listAuditEvents({ limit: 1_000_000 }).finally(() => store.close());
    await fs.rm(dataDir, { recursive: true, force: true });
    const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const issued = events.filter((e) => e.action === "code.issued" && e.outcome === "success");
    const delivered = counted.hotp + counted.totp;
    // The probes above (timeUntilServing) fetched TOTP codes too, each with its event.
    const failed = replies.length - (byKind.get("ok") ?? 0);
    expect(issued.length).toBeGreaterThanOrEqual(delivered);
    const issuedHotp = issued.filter((e) => e.entryId === hotpEntryId);
    expect(issuedHotp.length - counted.hotp).toBeLessThanOrEqual(failed);
    process.stdout.write(`  audit: ${events.length} events, seq ${seqs[0]}…${seqs.at(-1)} contiguous; code.issued ${issued.length} (HOTP ${issuedHotp.length}) for ${delivered} codes delivered to the load (HOTP ${counted.hotp}) and the recovery probes\n`);

    // oathtool, the independent implementation, says which code each counter has: every HOTP code
    // delivered is one counter's, and no counter's code was delivered twice.
    if (hasOathtool) {
      const counters = issuedHotp.map((e) => (JSON.parse(e.details) as { counter: number }).counter);
      const highest = Math.max(...counters);
      const hex = Buffer.from(
        SEED_B32.replace(/=+$/, "")
          .split("")
          .map((c) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c).toString(2).padStart(5, "0"))
          .join("")
          .match(/.{8}/g)!
          .map((b) => parseInt(b, 2)),
      ).toString("hex");
      const codes = runOathtool("--hotp", "-d", "8", "-c", "0", "-w", String(highest), hex).split("\n");
      const counterOf = new Map(codes.map((code, counter) => [code, counter]));
      const deliveredCounters = replies.filter((r) => r.kind === "hotp" && r.status === 200).map((r) => counterOf.get((JSON.parse(r.body) as { code: string }).code));
      expect(deliveredCounters.filter((c) => c === undefined)).toEqual([]);
      expect(new Set(deliveredCounters).size).toBe(deliveredCounters.length);
      const audited = new Set(counters);
      expect(deliveredCounters.every((c) => audited.has(c!))).toBe(true);
    }
    for (const node of live) expect(node.isAlive(), node.serve.errors().slice(-2000)).toBe(true);
  }, 180_000);
});
