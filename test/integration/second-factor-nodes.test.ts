// Replay refusal across two Watchword nodes sharing one PostgreSQL: each node has its own pool,
// keyring and caches, and a TOTP code accepted by one is refused by the other, also when both
// are asked at the same moment (the step is taken by one conditional UPDATE in the database).
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { TOTP, Secret as OtpSecret } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";

describe.runIf(databaseKinds.includes("postgres"))("second factors on two nodes sharing PostgreSQL", () => {
  let db: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 5));
  let key = "";
  let secondDir = "";
  const code = () => new TOTP({ secret: OtpSecret.fromBase32(key) }).generate({ timestamp: clock.now() });

  beforeAll(async () => {
    db = await createTestDatabase("postgres");
    // Two nodes as an operator runs them: one database, one master key, a data directory each.
    const masterKey = randomBytes(32).toString("base64");
    secondDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-node-two-"));
    one = await startTestApp(db, { clock, masterKey });
    two = await startTestApp({ ...db, dataDir: secondDir }, { clock, masterKey });
    await insertNewUser(one.vault.store.users, { username: "ren", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const browser = one.newClient();
    await browser.startSignIn({ username: "ren", password: PASSWORD });
    await browser.reauthenticate({ password: PASSWORD });
    const enrolment = await browser.startTotpEnrolment();
    key = enrolment.manualKey.replaceAll(" ", "");
    await browser.confirmTotpEnrolment(enrolment.factorId, { code: code() });
  }, 120_000);
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
    if (secondDir !== "") await fs.rm(secondDir, { recursive: true, force: true });
  });

  const challengeOn = async (node: TestApp) => {
    const client = node.newClient();
    const reply = await client.startSignIn({ username: "ren", password: PASSWORD, client: "cli" });
    if (reply.status !== "mfa_required") throw new Error("expected a challenge");
    return (c: string) => client.finishSignIn({ method: "totp", code: c, challengeToken: reply.challengeToken, client: "cli" });
  };

  it("refuses on the second node a code the first accepted", async () => {
    clock.advance(30_000);
    const onOne = await challengeOn(one);
    const onTwo = await challengeOn(two);
    expect((await onOne(code())).status).toBe("signed_in");
    const replayed = await rejection(onTwo(code()));
    expect([replayed.status, replayed.key]).toEqual([401, "second_factor_code_replayed"]);
  });

  it("accepts one of the same code sent to both nodes at once", async () => {
    for (let round = 0; round < 3; round += 1) {
      clock.advance(30_000);
      const answers = await Promise.all([await challengeOn(one), await challengeOn(two), await challengeOn(one), await challengeOn(two)]);
      const c = code();
      const outcomes = await Promise.allSettled(answers.map((answer) => answer(c)));
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes) if (o.status === "rejected") expect((o.reason as { key?: string }).key).toBe("second_factor_code_replayed");
    }
  });

  it("lets a challenge opened on one node be answered on the other", async () => {
    clock.advance(30_000);
    const client = one.newClient();
    const reply = await client.startSignIn({ username: "ren", password: PASSWORD, client: "cli" });
    if (reply.status !== "mfa_required") throw new Error("expected a challenge");
    const done = await two.newClient().finishSignIn({ method: "totp", code: code(), challengeToken: reply.challengeToken, client: "cli" });
    expect(done.status).toBe("signed_in");
  });
});
