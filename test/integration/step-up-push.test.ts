// Step-up by push approval, on both databases: a person whose only second factor is push approval
// sends a request bound to this session's step-up, taps the number on their other device, and gets
// the entry's code; the approval is used once, lives 2 minutes (ManualClock), and serves no other
// session and no sudo mode. Each refusal says why in its own problem code, counts as no wrong code,
// is audited, and marks nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signInWithAuthenticator } from "../support/admin-authenticator.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe.each(databaseKinds)("step-up by push approval, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  let admin: WatchwordClient;
  let phone: WatchwordClient;
  /** Sessions of Mia's signed in before her phone approved sign-ins (the password was enough then). */
  const sessions: WatchwordClient[] = [];
  let noa: WatchwordClient;
  let deviceId = "";
  const ids = { vault: "", portal: "", plain: "" };

  const events = async (action: string) => (await server.vault.store.auditEvents.listAuditEvents({ afterSeq: 0, limit: 10_000 })).filter((e) => e.action === action);
  /** The one request waiting on the phone, answered with the number the session shows (or denied). */
  const answer = async (sent: { number: number }, how: "approve" | "deny" | "wrong" = "approve") => {
    const { requests } = await phone.listPushRequests();
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    const decision = how === "deny" ? { deny: true as const } : { number: how === "wrong" ? request.choices.find((n) => n !== sent.number)! : sent.number };
    return (await phone.decidePushRequest(request.id, decision)).outcome;
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    await insertNewUser(server.vault.store.users, { username: "ada", role: "admin", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    for (const username of ["mia", "noa"]) await insertNewUser(server.vault.store.users, { username, role: "member", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    admin = server.newClient();
    await signInWithAuthenticator(server.url, admin, { username: "ada", password: PASSWORD });
    noa = server.newClient();
    await noa.startSignIn({ username: "noa", password: PASSWORD });
    for (let i = 0; i < 5; i += 1) {
      const session = server.newClient({ headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0" } });
      await session.startSignIn({ username: "mia", password: PASSWORD });
      sessions.push(session);
    }
    // Mia's phone approves; it is her only second factor. The sign-in opened sudo mode for registering.
    phone = server.newClient();
    await phone.startSignIn({ username: "mia", password: PASSWORD });
    deviceId = (await phone.registerPushDevice({ name: "Pixel" })).id;
    expect(await phone.listFactors()).toEqual({ factors: [], methods: ["push"] });

    ids.vault = (await admin.createEntry({ name: "AWS root", seed: { secret: SEED } })).entry.id;
    ids.portal = (await admin.createEntry({ name: "Bank portal", templateId: "web-app-otp", seed: { secret: SEED }, fields: { password: "vault-password-planted-9931" } })).entry.id;
    ids.plain = (await admin.createEntry({ name: "Wiki", seed: { secret: SEED } })).entry.id;
    const users = (await admin.listUsers()).users;
    for (const username of ["mia", "noa"]) {
      for (const entryId of Object.values(ids)) await admin.createGrant({ principal: { kind: "user", id: users.find((u) => u.username === username)!.id }, scope: { kind: "entry", id: entryId }, permission: "use" });
    }
    for (const entryId of [ids.vault, ids.portal]) await admin.setEntryPolicy(entryId, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("steps up with an approved request of this session, then hands out the code and the secret field; used once", async () => {
    const laptop = sessions[0]!;
    expect((await rejection(laptop.getCode(ids.vault))).key).toBe("step_up_required");
    const none = await rejection(laptop.stepUp(ids.vault, { method: "push" }));
    expect([none.status, none.key]).toEqual([400, "step_up_push_not_requested"]);
    expect((await rejection(laptop.stepUpPushStatus(ids.vault))).key).toBe("push_request_not_found");

    const sent = await laptop.requestStepUpPush(ids.vault);
    expect(sent.number).toBeGreaterThanOrEqual(10);
    expect(Date.parse(sent.expiresAt) - clock.now()).toBe(2 * 60 * 1000);
    const [seen] = (await phone.listPushRequests()).requests;
    // The phone is told what it approves: a step-up, not a sign-in.
    expect(seen).toMatchObject({ username: "mia", browser: "Firefox", system: "Windows", purpose: "step_up" });
    expect(seen!.choices).toContain(sent.number);
    expect((await laptop.stepUpPushStatus(ids.vault)).status).toBe("pending");
    const pending = await rejection(laptop.stepUp(ids.vault, { method: "push" }));
    expect([pending.status, pending.key]).toEqual([400, "step_up_push_pending"]);

    expect(await answer(sent)).toBe("approved");
    expect((await laptop.stepUpPushStatus(ids.vault)).status).toBe("approved");
    const passed = await laptop.stepUp(ids.vault, { method: "push" });
    expect(passed.scope).toBe("entry");
    expect((await laptop.getCode(ids.vault)).code).toMatch(/^\d{6}$/);
    expect((await laptop.stepUpPushStatus(ids.vault)).status).toBe("used");

    // Used once: the same approval steps up nothing else.
    const twice = await rejection(laptop.stepUp(ids.portal, { method: "push" }));
    expect([twice.status, twice.key]).toEqual([400, "step_up_push_used"]);
    expect((await rejection(laptop.revealField(ids.portal, "password", "Paying an invoice"))).key).toBe("step_up_required");
    await answer(await laptop.requestStepUpPush(ids.portal));
    await laptop.stepUp(ids.portal, { method: "push" });
    expect((await laptop.revealField(ids.portal, "password", "Paying an invoice")).value).toBe("vault-password-planted-9931");

    const stepped = (await events("user.step_up_passed")).filter((e) => e.outcome === "success");
    expect(stepped.map((e) => [e.entryId, JSON.parse(String(e.details))])).toEqual([
      [ids.vault, { method: "push", factorId: deviceId, scope: "entry" }],
      [ids.portal, { method: "push", factorId: deviceId, scope: "entry" }],
    ]);
    const requested = (await events("user.push_requested")).filter((e) => String(e.details).includes("step_up"));
    expect(requested.map((e) => e.entryId)).toEqual([ids.vault, ids.portal]);
    const failed = (await events("user.step_up_failed")).map((e) => [e.outcome, e.reason]);
    expect(failed).toEqual([["denied", "push_not_requested"], ["denied", "push_pending"], ["denied", "replayed_code"]]);
  });

  it("refuses a request approved for another session, and one approved for sudo mode", async () => {
    const [, laptop, other, third] = sessions as [WatchwordClient, WatchwordClient, WatchwordClient, WatchwordClient];
    const sent = await laptop.requestStepUpPush(ids.vault);
    await answer(sent);
    const elsewhere = await rejection(other.stepUp(ids.vault, { method: "push" }));
    expect([elsewhere.status, elsewhere.key]).toEqual([400, "step_up_push_not_requested"]);
    expect((await rejection(other.stepUpPushStatus(ids.vault))).key).toBe("push_request_not_found");
    expect((await rejection(other.getCode(ids.vault))).key).toBe("step_up_required");

    // An approval to confirm it is you (sudo mode) is no step-up, and stays for what it was asked.
    clock.advance(11 * 60 * 1000); // past the sudo window of the sign-in; the laptop's request expires too
    const sudo = await third.requestReauthenticationPush({ password: PASSWORD });
    await answer(sudo);
    expect((await rejection(third.stepUp(ids.vault, { method: "push" }))).key).toBe("step_up_push_not_requested");
    await third.reauthenticate({ password: PASSWORD, method: "push" });

    // The laptop's own approval was left 11 minutes: expired, though approved.
    const late = await rejection(laptop.stepUp(ids.vault, { method: "push" }));
    expect([late.status, late.key]).toEqual([400, "step_up_push_expired"]);
  });

  it("refuses a denied request, a wrong number and an expired request, and counts none as a wrong code", async () => {
    const laptop = sessions[4]!;
    await answer(await laptop.requestStepUpPush(ids.vault), "deny");
    expect((await laptop.stepUpPushStatus(ids.vault)).status).toBe("denied");
    const denied = await rejection(laptop.stepUp(ids.vault, { method: "push" }));
    expect([denied.status, denied.key]).toEqual([400, "step_up_push_denied"]);
    await answer(await laptop.requestStepUpPush(ids.vault), "wrong");
    expect((await rejection(laptop.stepUp(ids.vault, { method: "push" }))).key).toBe("step_up_push_denied");

    await laptop.requestStepUpPush(ids.vault);
    clock.advance(2 * 60 * 1000);
    expect((await laptop.stepUpPushStatus(ids.vault)).status).toBe("expired");
    expect((await phone.listPushRequests()).requests).toEqual([]);
    const expired = await rejection(laptop.stepUp(ids.vault, { method: "push" }));
    expect([expired.status, expired.key]).toEqual([400, "step_up_push_expired"]);
    expect((await rejection(laptop.getCode(ids.vault))).key).toBe("step_up_required");

    // Three requests in 10 minutes that did not step up, then 429; the refusals above throttled
    // nothing (three counted failures would delay the next step-up: 429 second_factor_throttled).
    const exhausted = await rejection(laptop.requestStepUpPush(ids.vault));
    expect([exhausted.status, exhausted.key]).toEqual([429, "push_step_up_requests_exhausted"]);
    clock.advance(10 * 60 * 1000);
    // Requests that stepped up press nobody: four in a row (entries opened one after another) are fine.
    for (let i = 0; i < 4; i += 1) {
      await answer(await laptop.requestStepUpPush(ids.vault));
      await laptop.stepUp(ids.vault, { method: "push" });
    }
    expect((await laptop.getCode(ids.vault)).code).toMatch(/^\d{6}$/);
  });

  it("says why it sends nothing: no push device, no rule, an entry out of reach", async () => {
    const laptop = sessions[3]!;
    const noDevice = await rejection(noa.requestStepUpPush(ids.vault));
    expect([noDevice.status, noDevice.key]).toEqual([403, "step_up_factor_missing"]);
    const notAsked = await rejection(laptop.requestStepUpPush(ids.plain));
    expect([notAsked.status, notAsked.key]).toEqual([409, "step_up_not_required"]);
    const hidden = (await admin.createEntry({ name: "Payroll", seed: { secret: SEED } })).entry.id;
    expect((await rejection(laptop.requestStepUpPush(hidden))).status).toBe(404);
    expect((await rejection(laptop.stepUpPushStatus(hidden))).status).toBe(404);
    // The phone stepping up for itself: it cannot answer its own request, and no other device can.
    const alone = await rejection(phone.requestStepUpPush(ids.vault));
    expect([alone.status, alone.key]).toEqual([400, "push_no_other_device"]);
    expect((await phone.listPushRequests()).requests).toEqual([]);
  });
});
