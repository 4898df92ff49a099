// Import work under load, over real HTTP: encrypted Aegis files whose password slots sit at the
// KDF caps run in worker threads, a bounded number at a time, while sign-in's argon2 stays fast;
// a full queue answers 503 with a sentence; a storm of wrong export passwords from one user is
// slowed down like failed sign-ins, on every node, until the delay has passed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { KDF_CAPS } from "../../src/core/intake/import-file.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";
import { aegisDb, encryptedAegis } from "../unit/intake/build-exports.js";

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const SIGN_IN_PASSWORD = "plum-orbit-lantern-4417";
const EXPORT_PASSWORD = Buffer.from("export password");
const vault = aegisDb([{ secret: "JBSWY3DPEHPK3PXP", issuer: "Heavy" }]);
/** One password slot at scrypt's caps (N = 2^20, r = 8: 1 GiB and seconds of CPU); the slot's key is a dummy, so the password never opens it. */
const heavyAegis = b64(encryptedAegis(vault, [{ password: EXPORT_PASSWORD, n: KDF_CAPS.scryptMaxN, r: 8, p: 1 }]));
const cheapAegis = b64(encryptedAegis(vault, [{ password: EXPORT_PASSWORD }]));

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeSignIns(server: TestApp, count: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await server.newClient().signIn({ username: "signer", password: SIGN_IN_PASSWORD });
    times.push(performance.now() - started);
  }
  return median(times);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the condition did not come true in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(databaseKinds)("import work under load on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    // One job at a time and one waiting, so that a full queue is reached with a handful of files.
    server = await startTestApp(db, { imports: { maxRunning: 1, maxWaiting: 1 } });
    await signedInClient(server, "signer", "member");
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it("keeps sign-in fast while heavy imports run, and answers a full queue with 503, Retry-After and a sentence", async () => {
    const unloaded = await timeSignIns(server, 3);
    const [first, second, third, fourth] = await Promise.all(["una", "ugo", "uma", "ulf"].map((name) => signedInClient(server, name, "member")));
    const outcome = (call: Promise<unknown>) => call.then(() => 200, (error: { status: number; message: string }) => error);
    const running = outcome(first!.createImport({ data: heavyAegis, password: EXPORT_PASSWORD.toString() }));
    await until(() => server.importStats().running === 1, 20_000);
    const waiting = outcome(second!.createImport({ data: heavyAegis, password: EXPORT_PASSWORD.toString() }));
    await until(() => server.importStats().waiting === 1, 20_000);

    // The queue is full: a third file is turned away at once, with a sentence and when to come back.
    const busy = await rejection(third!.createImport({ data: cheapAegis, password: EXPORT_PASSWORD.toString() }));
    expect([busy.status, busy.code, busy.message]).toEqual([503, "unavailable", "Imports are busy; try again in a minute."]);
    const raw = await fetch(`${server.url}/api/v1/imports`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${fourth!.token}` },
      body: JSON.stringify({ data: cheapAegis, password: EXPORT_PASSWORD.toString() }),
    });
    expect([raw.status, raw.headers.get("retry-after"), raw.headers.get("content-type")]).toEqual([503, "60", "application/problem+json; charset=utf-8"]);

    const loaded = await timeSignIns(server, 3);
    // Generous, for a shared machine; before import work left the main thread this took tens of seconds.
    expect(loaded, `sign-in took ${Math.round(loaded)} ms under load, ${Math.round(unloaded)} ms without`).toBeLessThan(Math.max(1500, 5 * unloaded));
    expect(server.importStats()).toEqual({ running: 1, waiting: 1 }); // the work was there all along

    // The two files that were taken ran to their end: the password opens neither slot.
    for (const result of await Promise.all([running, waiting])) expect(result).toMatchObject({ status: 400, message: expect.stringMatching(/password is wrong/) });
    expect(server.importStats()).toEqual({ running: 0, waiting: 0 });
  }, 120_000);
});

describe.each(databaseKinds)("wrong export passwords on %s", (kind) => {
  let db: TestDatabase;
  const clock = new ManualClock(Date.now());
  let nodes: TestApp[];
  let uploader: WatchwordClient & { token: string };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    nodes = [await startTestApp(db, { clock }), await startTestApp(db, { clock })];
    uploader = await signedInClient(nodes[0]!, "storm", "member");
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await db.drop();
  });

  it("slows one user's wrong passwords down like failed sign-ins, on every node, until the delay has passed", async () => {
    const token = uploader.token;
    const onNode = (i: number) => nodes[i % 2]!.newClient({ token });
    const failures = [];
    for (let i = 0; i < 6; i += 1) failures.push(await rejection(onNode(i).createImport({ data: cheapAegis, password: `guess ${i}` })));
    expect(failures.slice(0, 5).map((e) => [e.status, e.field])).toEqual(Array(5).fill([400, "password"]));
    expect(failures[5]!.status).toBe(429);
    expect(failures[5]!.message).toMatch(/Too many wrong passwords for import files\. Try again in \d+ seconds?\./);
    // The right password waits too: the delay is on key derivation, not on guesses.
    const raw = await fetch(`${nodes[1]!.url}/api/v1/imports`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ data: cheapAegis, password: "export password" }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThan(0);
    // Other people are not slowed down by it.
    const other = await signedInClient(nodes[1]!, "calm", "member");
    expect((await other.createImport({ data: cheapAegis, password: "export password" })).entries).toHaveLength(1);
    // Once the delay has passed, the right password opens the file.
    clock.advance(Number(raw.headers.get("retry-after")) * 1000);
    expect((await onNode(0).createImport({ data: cheapAegis, password: "export password" })).entries).toHaveLength(1);
  });
});
