// Sign-in recovery codes as a way through the second step, and second-factor throttling across
// challenges, on both databases: a code is offered beside the authenticator app (never alone),
// works once, and wrong answers count per account whatever challenge they came through.
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";

describe.each(databaseKinds)("recovery codes and throttling in the second step, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 10));
  let codes: readonly string[] = [];

  const startCli = (username: string) => server.newClient().startSignIn({ username, password: PASSWORD, client: "cli" });
  async function challengeOf(username: string): Promise<{ client: WatchwordClient; token: string; methods: readonly string[] }> {
    const client = server.newClient();
    const reply = await client.startSignIn({ username, password: PASSWORD, client: "cli" });
    if (reply.status !== "mfa_required") throw new Error("expected a second step");
    return { client, token: reply.challengeToken!, methods: reply.challenge.methods };
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    for (const username of ["ria", "sol"]) await insertNewUser(server.vault.store.users, { username, role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    // ria: an authenticator app, then recovery codes; sol: recovery codes only.
    for (const username of ["ria", "sol"]) {
      const browser = server.newClient();
      await browser.startSignIn({ username, password: PASSWORD });
      if (username === "ria") {
        await browser.reauthenticate({ password: PASSWORD });
        const enrolment = await browser.startTotpEnrolment();
        const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.manualKey.replaceAll(" ", "")), digits: 6, period: 30 });
        await browser.confirmTotpEnrolment(enrolment.factorId, { code: totp.generate({ timestamp: clock.now() }) });
        codes = (await browser.generateRecoveryCodes()).codes;
      } else {
        await browser.generateRecoveryCodes();
      }
    }
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("never asks for a second step of someone whose only 'factor' is a set of recovery codes", async () => {
    expect((await startCli("sol")).status).toBe("signed_in");
  });

  it("offers a recovery code beside the app, accepts one once, and says a malformed one is not a code", async () => {
    const first = await challengeOf("ria");
    expect(first.methods).toEqual(["totp", "recovery_code"]);
    const malformed = await rejection(first.client.finishSignIn({ method: "recovery_code", code: "not-a-code", challengeToken: first.token, client: "cli" }));
    expect([malformed.status, malformed.key]).toEqual([400, "recovery_code_malformed"]);
    const signedIn = await first.client.finishSignIn({ method: "recovery_code", code: codes[0]!.toLowerCase(), challengeToken: first.token, client: "cli" });
    expect(signedIn.status).toBe("signed_in");
    expect(await server.newClient({ token: signedIn.token! }).getRecoveryCodeStatus()).toMatchObject({ remaining: 9, total: 10 });

    const again = await challengeOf("ria");
    const reused = await rejection(again.client.finishSignIn({ method: "recovery_code", code: codes[0]!, challengeToken: again.token, client: "cli" }));
    expect([reused.status, reused.key]).toEqual([401, "second_factor_code_wrong"]);
  });

  it("counts wrong second steps per account across challenges: after three, the next waits (429)", async () => {
    // The used code above was the first wrong answer; two more, each through a challenge of its own.
    for (let i = 0; i < 2; i += 1) {
      const challenge = await challengeOf("ria");
      const wrong = await rejection(challenge.client.finishSignIn({ method: "totp", code: "000000", challengeToken: challenge.token, client: "cli" }));
      expect(wrong.status).toBe(401);
    }
    // A fresh challenge does not start the count again.
    const fresh = await challengeOf("ria");
    const waiting = await rejection(fresh.client.finishSignIn({ method: "recovery_code", code: codes[1]!, challengeToken: fresh.token, client: "cli" }));
    expect([waiting.status, waiting.key]).toEqual([429, "second_factor_throttled"]);
    // The right code after the wait goes through, and clears the count.
    clock.advance(2_000);
    expect((await fresh.client.finishSignIn({ method: "recovery_code", code: codes[1]!, challengeToken: fresh.token, client: "cli" })).status).toBe("signed_in");
  });
});
