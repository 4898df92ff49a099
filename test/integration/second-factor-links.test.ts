// A password-reset link proves the address it was sent to, never the second factor: a user who
// enrolled an authenticator app and resets their password answers the same challenge as at
// sign-in before any session starts (the link used to sign them straight in). Both databases.
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const NEW_PASSWORD = "cobalt-meridian-tundra-6391";

describe.each(databaseKinds)("a password reset of a user with a second factor, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 10));

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("asks for the second factor before it signs anyone in, then signs in with it", async () => {
    const user = await insertNewUser(server.vault.store.users, { username: "tess", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const browser = server.newClient();
    await browser.startSignIn({ username: "tess", password: PASSWORD });
    await browser.reauthenticate({ password: PASSWORD });
    const enrolment = await browser.startTotpEnrolment();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.manualKey.replaceAll(" ", "")), digits: 6, period: 30 });
    await browser.confirmTotpEnrolment(enrolment.factorId, { code: totp.generate({ timestamp: clock.now() }) });

    const admin = await signedInClient(server, "ada", "admin");
    const token = new URL((await admin.issuePasswordReset(user.id)).link).hash.replace(/^#token=/, "");
    const visitor = server.newClient();
    const asked = await rejection(visitor.completePasswordReset({ token, password: NEW_PASSWORD }));
    expect([asked.status, asked.key, asked.params.methods]).toEqual([401, "second_factor_required", "totp"]);
    // No session yet: only the challenge cookie.
    expect((await rejection(visitor.getSession())).status).toBe(401);
    // The link is spent and the new password set; the second step finishes the sign-in.
    expect((await rejection(server.newClient().completePasswordReset({ token, password: NEW_PASSWORD }))).key).toBe("reset_link_used");
    clock.advance(30_000);
    const wrong = await rejection(visitor.finishSignIn({ method: "totp", code: "000000" }));
    expect(wrong.key).toBe("second_factor_code_wrong");
    const signedIn = await visitor.finishSignIn({ method: "totp", code: totp.generate({ timestamp: clock.now() }) });
    expect(signedIn.session.user.username).toBe("tess");
    expect((await visitor.getSession()).user.username).toBe("tess");
  });

  it("still signs in at once a user without a second factor", async () => {
    const user = await insertNewUser(server.vault.store.users, { username: "uma", role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const admin = await signedInClient(server, "ada", "admin");
    const token = new URL((await admin.issuePasswordReset(user.id)).link).hash.replace(/^#token=/, "");
    expect((await server.newClient().completePasswordReset({ token, password: NEW_PASSWORD })).session.user.username).toBe("uma");
  });
});
