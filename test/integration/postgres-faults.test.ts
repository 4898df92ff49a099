// The faults a PostgreSQL deployment meets, against real `watchword serve` processes: its backends
// terminated (what a restart, a failover or an idle-killing proxy does), idle and under load, a
// lock held by another connection, and a whole PostgreSQL server restarted under load (a private
// cluster: the shared one on 5432 is never stopped). Nodes stay up, answer 503 with a sentence
// while the database is away, and serve again by themselves; every code handed out is audited.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDefaultUser } from "../../src/store/connect.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";
import { hasPostgresBinaries, startPrivateCluster, type PrivateCluster } from "../support/postgres-cluster.js";
import { deployOnPostgres, expectEveryCodeAudited, expectUnavailable, requestCodes, type Deployment, type Reply, type WatchwordNode } from "../support/watchword-nodes.js";

/** A password in the database URL. Trust authentication never asks for it; no reply or log line may show it. */
const PLANTED_PASSWORD = "planted-pg-password-7Qx2";

function withPassword(url: string, options?: string): string {
  const parsed = new URL(withDefaultUser(url));
  parsed.password = PLANTED_PASSWORD;
  if (options !== undefined) parsed.searchParams.set("options", options);
  return parsed.toString();
}

/** Ends every backend of the given nodes, found by their application_name; returns how many. */
async function terminateBackends(admin: pg.Client, nodes: readonly WatchwordNode[]): Promise<number> {
  const patterns = nodes.map((n) => `watchword:${n.pid}@%`);
  const result = await admin.query<{ n: number }>("select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name like any($1)", [patterns]);
  return result.rows[0]!.n;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the node hands out a code again. */
async function expectServesAgain(node: WatchwordNode, deployment: Deployment, timeoutMs = 15_000): Promise<void> {
  let last: Reply | undefined;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    last = await node.call("GET", `/api/v1/entries/${deployment.totpEntryId}/code`);
    if (last.status === 200) return;
    await sleep(100);
  }
  throw new Error(`The node did not serve again within ${timeoutMs} ms; last reply ${last?.status}: ${last?.body}`);
}

function expectNoLeak(deployment: Deployment, replies: readonly Reply[]): void {
  expect(deployment.output()).not.toContain(PLANTED_PASSWORD);
  for (const reply of replies) expect(reply.body).not.toContain(PLANTED_PASSWORD);
}

describe.skipIf(!databaseKinds.includes("postgres"))("PostgreSQL connections cut under a running node", () => {
  let db: TestDatabase;
  let deployment: Deployment;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    deployment = await deployOnPostgres(withPassword(TEST_DATABASE_URL, `-c search_path=${db.postgresSchema}`), 2);
    admin = new pg.Client({ connectionString: withDefaultUser(TEST_DATABASE_URL), options: `-c search_path=${db.postgresSchema}`, application_name: "fault-test" });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await deployment?.stop();
    await db?.drop();
  });

  it("survives its idle connections being terminated, and serves again by itself", async () => {
    const [node] = deployment.nodes;
    for (let i = 0; i < 4; i += 1) expect((await node!.call("GET", `/api/v1/entries/${deployment.totpEntryId}/code`)).status).toBe(200);
    expect(await terminateBackends(admin, [node!])).toBeGreaterThan(0);
    await sleep(300);
    expect(node!.isAlive(), node!.serve.errors().slice(-3000)).toBe(true);
    const replies: Reply[] = [];
    for (let i = 0; i < 6; i += 1) {
      const reply = await node!.call("GET", `/api/v1/entries/${deployment.totpEntryId}/code`);
      replies.push(reply);
      if (reply.status !== 200) expectUnavailable(reply);
    }
    await expectServesAgain(node!, deployment);
    expect((await node!.call("GET", "/readyz")).status).toBe(200);
    expect(node!.isAlive(), node!.serve.errors().slice(-3000)).toBe(true);
    expectNoLeak(deployment, replies);
  });

  it("answers 503 within the lock timeout when another connection holds the HOTP entry's row, and stays responsive", async () => {
    const [node] = deployment.nodes;
    await admin.query("begin");
    try {
      await admin.query("select id from entries where id = $1 for update", [deployment.hotpEntryId]);
      const started = Date.now();
      const pending = node!.call("POST", `/api/v1/entries/${deployment.hotpEntryId}/code`);
      await sleep(500);
      const health = Date.now();
      expect((await node!.call("GET", "/healthz")).status).toBe(200);
      expect(Date.now() - health).toBeLessThan(1000);
      const reply = await pending;
      expect(Date.now() - started).toBeLessThan(10_000);
      expectUnavailable(reply);
      expect(JSON.parse(reply.body).detail).toMatch(/busy/);
    } finally {
      await admin.query("rollback");
    }
    expect((await node!.call("POST", `/api/v1/entries/${deployment.hotpEntryId}/code`)).status).toBe(200);
  });

  it("answers 503 within the lock timeout when another connection holds the audit chain's head", async () => {
    const [node] = deployment.nodes;
    await admin.query("begin");
    try {
      await admin.query("select seq from audit_head where id = 1 for update");
      const started = Date.now();
      const pending = node!.call("GET", `/api/v1/entries/${deployment.totpEntryId}/code`);
      await sleep(500);
      expect((await node!.call("GET", "/healthz")).status).toBe(200);
      const reply = await pending;
      expect(Date.now() - started).toBeLessThan(10_000);
      expectUnavailable(reply);
    } finally {
      await admin.query("rollback");
    }
    expect((await node!.call("GET", `/api/v1/entries/${deployment.totpEntryId}/code`)).status).toBe(200);
  });

  it("survives repeated terminations under load on two nodes: every code handed out is audited, no HOTP counter twice", async () => {
    let isDone = false;
    const load = requestCodes(deployment, { workersPerNode: 6, isDone: () => isDone });
    let terminated = 0;
    for (let round = 0; round < 20; round += 1) {
      await sleep(200);
      terminated += await terminateBackends(admin, deployment.nodes);
    }
    await sleep(300);
    isDone = true;
    const replies = await load;
    expect(terminated).toBeGreaterThan(20);
    for (const node of deployment.nodes) expect(node.isAlive(), node.serve.errors().slice(-3000)).toBe(true);
    for (const reply of replies) if (reply.status !== 200) expectUnavailable(reply);
    for (const node of deployment.nodes) await expectServesAgain(node, deployment);
    const counted = await expectEveryCodeAudited(deployment, replies);
    expect(counted.hotp).toBeGreaterThan(20);
    expect(counted.totp).toBeGreaterThan(20);
    expectNoLeak(deployment, replies);
  }, 90_000);
});

describe.skipIf(!hasPostgresBinaries)("a PostgreSQL server restarted under load", () => {
  let cluster: PrivateCluster;
  let deployment: Deployment;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    deployment = await deployOnPostgres(withPassword(cluster.url), 2);
  }, 120_000);
  afterAll(async () => {
    await deployment?.stop();
    await cluster?.remove();
  });

  it("answers 503 and says not ready while the database is down, then serves again by itself", async () => {
    let isDone = false;
    const load = requestCodes(deployment, { workersPerNode: 4, isDone: () => isDone });
    await sleep(1000);
    await cluster.stop();
    const outage: Reply[] = [];
    for (const node of deployment.nodes) {
      const ready = await node.call("GET", "/readyz");
      outage.push(ready);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ code: "unavailable" });
      const code = await node.call("GET", `/api/v1/entries/${deployment.totpEntryId}/code`);
      outage.push(code);
      expectUnavailable(code);
      expect(JSON.parse(code.body).detail).toBe("The database cannot be reached; try again in a moment.");
    }
    await sleep(1000);
    await cluster.start();
    for (const node of deployment.nodes) await expectServesAgain(node, deployment);
    await sleep(1000);
    isDone = true;
    const replies = await load;
    for (const node of deployment.nodes) {
      expect(node.isAlive(), node.serve.errors().slice(-3000)).toBe(true);
      expect((await node.call("GET", "/readyz")).status).toBe(200);
    }
    for (const reply of replies) if (reply.status !== 200) expectUnavailable(reply);
    expect(replies.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    const counted = await expectEveryCodeAudited(deployment, replies);
    expect(counted.hotp).toBeGreaterThan(10);
    expectNoLeak(deployment, [...replies, ...outage]);
  }, 90_000);
});
