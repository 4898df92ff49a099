// The administrators' MFA rule, on both databases: who must have a second factor (everyone or some
// groups) and which methods count; bad rules refused with nothing stored; administrators flagged
// while they have none and others use the vault; a user the rule names who has no method that
// counts signs in to a session that may only enrol (403 second_factor_enrolment_required for the
// rest), which becomes a full one once they enrol; group membership decides at the next sign-in.
// Such a session may also add a recovery method (part of the "Configure" flow, code read from a
// real SMTP server) and see and sign out the person's sessions, and still not change the password.
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import { rejection } from "../support/api-rejection.js";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417";
const STEP_MS = 30_000;

describe.each(databaseKinds)("the administrators' MFA rule, on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let smtp: SmtpReceiver;
  const clock = new ManualClock(Math.floor(Date.now() / STEP_MS) * STEP_MS + 10_000);
  const seeds = new Map<string, string>();
  const userIds = new Map<string, string>();
  let admin: WatchwordClient;
  let groupId = "";
  const codeOf = (username: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(seeds.get(username)!), digits: 6, period: 30 }).generate({ timestamp: clock.now() });

  const signIn = async (username: string) => {
    const client = server.newClient();
    const first = await client.startSignIn({ username, password: PASSWORD });
    if (first.status === "mfa_required") {
      clock.advance(STEP_MS);
      await client.finishSignIn({ method: "totp", code: codeOf(username) });
    }
    return client;
  };
  const enrolTotp = async (client: WatchwordClient, username: string) => {
    await client.reauthenticate({ password: PASSWORD });
    const enrolment = await client.startTotpEnrolment();
    seeds.set(username, enrolment.manualKey.replaceAll(" ", ""));
    clock.advance(STEP_MS);
    await client.confirmTotpEnrolment(enrolment.factorId, { code: codeOf(username), name: "Phone" });
  };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    db = await createTestDatabase(kind);
    server = await startTestApp(db, {
      clock,
      env: { WATCHWORD_PUBLIC_URL: "http://127.0.0.1:8080", WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, WATCHWORD_SMTP_FROM: "Watchword <watchword@example.com>" },
    });
    for (const [username, role] of [["ada", "admin"], ["mia", "member"], ["noa", "member"], ["ivo", "member"]] as const) {
      const user = await insertNewUser(server.vault.store.users, { username, role, password: Secret.fromUtf8(PASSWORD) }, clock.now());
      userIds.set(username, user.id);
      // Alone, ada signs in to a full session; once others exist she would have to enrol first (administrator-mfa.test.ts).
      if (username === "ada") admin = await signIn("ada");
    }
    groupId = (await admin.createGroup("Operations")).id;
    await admin.addGroupMember(groupId, userIds.get("mia")!);
    await admin.addGroupMember(groupId, userIds.get("ivo")!);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await smtp?.close();
  });

  it("flags an administrator without a second factor while others use the vault; only administrators read the rule", async () => {
    const rule = await admin.getMfaEnforcement();
    expect(rule).toMatchObject({ scope: "off", methods: [], groupIds: [], administratorsWithoutSecondFactor: 1 });
    expect(rule.warnings.map((w) => [w.key, w.params])).toEqual([["administrators_without_second_factor", { count: 1 }]]);
    const member = await signIn("noa");
    const refused = await rejection(member.getMfaEnforcement());
    expect([refused.status, refused.key]).toEqual([403, "mfa_enforcement_forbidden"]);
    expect((await rejection(member.setMfaEnforcement({ scope: "everyone", methods: ["totp"] }))).key).toBe("mfa_enforcement_forbidden");
  });

  it("refuses bad rules with a clear message and stores nothing", async () => {
    const cases: [Parameters<WatchwordClient["setMfaEnforcement"]>[0], number, string][] = [
      [{ scope: "everyone", methods: [] }, 400, "mfa_enforcement_methods_required"],
      [{ scope: "everyone", methods: ["recovery_code"] }, 400, "mfa_enforcement_method_fallback"],
      [{ scope: "groups", methods: ["totp"], groupIds: [] }, 400, "mfa_enforcement_groups_required"],
      [{ scope: "groups", methods: ["totp"], groupIds: ["7e0c8f3a-1b2d-4c5e-9f6a-0b1c2d3e4f5a"] }, 400, "mfa_enforcement_group_unknown"],
      // The administrator setting a rule is in it, and has no method of it yet.
      [{ scope: "groups", methods: ["totp"], groupIds: [groupId] }, 409, "mfa_enforcement_own_factor_required"],
    ];
    for (const [rule, status, key] of cases) {
      const refused = await rejection(admin.setMfaEnforcement(rule));
      expect([refused.status, refused.key], JSON.stringify(rule)).toEqual([status, key]);
    }
    const unknownMethod = await rejection(admin.setMfaEnforcement({ scope: "everyone", methods: ["sms" as "totp"] }));
    expect(unknownMethod.status).toBe(400);
    expect((await admin.getMfaEnforcement()).scope).toBe("off");
    expect((await admin.listAuditEvents({ action: "mfa_enforcement.changed" })).events).toEqual([]);
  });

  it("lets an administrator with a method set the rule for a group, audited", async () => {
    await enrolTotp(admin, "ada");
    const rule = await admin.setMfaEnforcement({ scope: "groups", methods: ["totp", "totp"], groupIds: [groupId] });
    expect(rule).toMatchObject({ scope: "groups", methods: ["totp"], groupIds: [groupId], administratorsWithoutSecondFactor: 0, warnings: [] });
    const [event] = (await admin.listAuditEvents({ action: "mfa_enforcement.changed" })).events;
    expect(event).toMatchObject({ actor: { name: "ada" }, outcome: "success", details: { scope: "groups", methods: ["totp"], groupIds: [groupId] } });
  });

  it("gives a member of the group without a factor a session that may only enrol, and a full one once enrolled", async () => {
    const mia = await signIn("mia");
    const session = await mia.getSession();
    expect(session.secondFactorEnrolment).toEqual({ methods: ["totp"], reason: "rule" });
    for (const call of [() => mia.listEntries(), () => mia.batchCodes(), () => mia.listGroups()]) {
      const refused = await rejection(call());
      expect([refused.status, refused.key]).toEqual([403, "second_factor_enrolment_required"]);
    }
    // The enrolment itself, and the recovery codes step, are open to it.
    expect((await mia.getRecoveryCodeStatus()).remaining).toBe(0);
    await enrolTotp(mia, "mia");
    expect((await mia.generateRecoveryCodes()).codes).toHaveLength(10);
    expect((await mia.getSession()).secondFactorEnrolment).toBeUndefined();
    expect((await mia.listEntries()).entries).toEqual([]);
  });

  it("lets a session that must enrol add a recovery method and see and sign out its sessions, and nothing more", async () => {
    const elsewhere = await signIn("ivo");
    const ivo = await signIn("ivo");
    expect((await ivo.getSession()).secondFactorEnrolment).toEqual({ methods: ["totp"], reason: "rule" });
    const listed = (await ivo.listOwnSessions()).sessions;
    expect(listed).toHaveLength(2);
    expect(listed.filter((s) => s.isCurrent)).toHaveLength(1);

    expect((await ivo.getRecoveryMethod()).method).toBeNull();
    await ivo.reauthenticate({ password: PASSWORD });
    const sent = await ivo.startRecoveryMethod({ channel: "email", address: "ivo.recovery@example.org" });
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes("ivo.recovery@example.org")).length, { timeout: 10_000 }).toBe(1);
    const code = /\b(\d{6})\b/.exec(smtp.inbox.filter((m) => m.to.includes("ivo.recovery@example.org")).at(-1)!.text)![1]!;
    expect((await ivo.confirmRecoveryMethod({ attemptToken: sent.attemptToken, code })).channel).toBe("email");
    expect((await ivo.getRecoveryMethod()).method).toMatchObject({ channel: "email" });

    expect(await ivo.endOtherSessions()).toEqual({ ended: 1 });
    expect((await rejection(elsewhere.getSession())).status).toBe(401);
    // Still a session that may only enrol: no password change, no entries.
    for (const call of [() => ivo.changePassword({ currentPassword: PASSWORD, newPassword: "quartz-meadow-ferry-2290" }), () => ivo.listEntries()]) {
      const refused = await rejection(call());
      expect([refused.status, refused.key]).toEqual([403, "second_factor_enrolment_required"]);
    }
    expect((await ivo.getSession()).secondFactorEnrolment).toEqual({ methods: ["totp"], reason: "rule" });
  });

  it("follows group membership at the next sign-in, and lifts the restriction when the rule no longer names the user", async () => {
    const before = await signIn("noa");
    expect((await before.getSession()).secondFactorEnrolment).toBeUndefined();
    await admin.addGroupMember(groupId, userIds.get("noa")!);
    // A session opened before stays as it was; the next sign-in is restricted.
    expect((await before.listEntries()).entries).toEqual([]);
    const after = await signIn("noa");
    expect((await after.getSession()).secondFactorEnrolment).toEqual({ methods: ["totp"], reason: "rule" });
    expect((await rejection(after.listEntries())).key).toBe("second_factor_enrolment_required");
    await admin.removeGroupMember(groupId, userIds.get("noa")!);
    expect((await after.listEntries()).entries).toEqual([]);
    expect((await after.getSession()).secondFactorEnrolment).toBeUndefined();
  });

  it("names everyone with scope everyone, the administrator setting it too, and nobody once it is off", async () => {
    // Ada's authenticator app does not count for a passkey-only rule, which she is in.
    const ownFactor = await rejection(admin.setMfaEnforcement({ scope: "everyone", methods: ["passkey"] }));
    expect([ownFactor.status, ownFactor.key]).toEqual([409, "mfa_enforcement_own_factor_required"]);
    await admin.setMfaEnforcement({ scope: "everyone", methods: ["totp", "passkey"] });
    expect((await (await signIn("ada")).getSession()).secondFactorEnrolment).toBeUndefined();
    const noa = await signIn("noa");
    expect((await noa.getSession()).secondFactorEnrolment).toEqual({ methods: ["totp", "passkey"], reason: "rule" });
    expect((await rejection(noa.getCode("7e0c8f3a-1b2d-4c5e-9f6a-0b1c2d3e4f5a"))).key).toBe("second_factor_enrolment_required");
    await admin.setMfaEnforcement({ scope: "off", methods: [] });
    expect((await noa.listEntries()).entries).toEqual([]);
    expect((await (await signIn("noa")).getSession()).secondFactorEnrolment).toBeUndefined();
  });

  it("lets a session that must enrol for push approval register its browser, and then use the vault", async () => {
    // Ada signed in with her app a moment ago (sudo mode): this browser becomes her push device.
    await admin.registerPushDevice({});
    await admin.setMfaEnforcement({ scope: "everyone", methods: ["push"] });
    const noa = await signIn("noa");
    expect((await noa.getSession()).secondFactorEnrolment).toEqual({ methods: ["push"], reason: "rule" });
    expect((await rejection(noa.listEntries())).key).toBe("second_factor_enrolment_required");
    expect((await noa.listPushDevices()).devices).toEqual([]);
    await noa.registerPushDevice({});
    expect((await noa.getSession()).secondFactorEnrolment).toBeUndefined();
    expect((await noa.listEntries()).entries).toEqual([]);
    await admin.setMfaEnforcement({ scope: "off", methods: [] });
  });
});
