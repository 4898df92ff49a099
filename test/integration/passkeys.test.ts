// Passkeys and security keys over real HTTP on both databases, answered by a software
// authenticator (test/support/software-authenticator.ts): registering in sudo mode (a fresh
// sign-in or a re-authentication), listing, renaming, removing; signing in with a passkey alone;
// and every hostile answer (replayed, cross-origin, another session's or browser's challenge, a counter going back, an
// unknown key, a disabled user, malformed and oversized bodies) refused, audited, nothing changed.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config.js";
import { systemClock } from "../../src/core/clock.js";
import { createPasskeySignInService } from "../../src/services/passkey-sign-in.js";
import type { StoredAuditEvent } from "../../src/store/audit-events.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import { signInWithAuthenticator } from "../support/admin-authenticator.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // signedInClient's
const ORIGIN = "https://vault.example.test";
const RP_ID = "vault.example.test";

describe.each(databaseKinds)("passkeys on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let maraId: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { env: { WATCHWORD_PUBLIC_URL: ORIGIN } });
    await signedInClient(server, "root", "admin");
    await signedInClient(server, "mara", "member");
    await signedInClient(server, "nils", "member");
    maraId = (await server.vault.store.users.findUserByUsername("mara"))!.id;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  /** Mara's keys from earlier tests go: with one, her password sign-in would ask for it as a second factor. */
  async function forgetPasskeysOfMara() {
    for (const passkey of await server.vault.store.passkeys.listPasskeysOfUser(maraId as never)) await server.vault.store.passkeys.deletePasskey(maraId as never, passkey.id);
  }
  /** A browser signed in with the password (session cookie, CSRF token). */
  async function browserOf(username: string) {
    const browser = server.newClient();
    // The administrator among others answers with the test authenticator (admin-authenticator.ts).
    await signInWithAuthenticator(server.url, browser, { username, password: PASSWORD });
    return browser;
  }
  const headSeq = async () => (await server.vault.store.auditEvents.readAuditChainState()).head.seq;
  async function eventsOf(act: () => Promise<unknown>): Promise<StoredAuditEvent[]> {
    const before = await headSeq();
    await act();
    return server.vault.store.auditEvents.listAuditEvents({ afterSeq: before, limit: 1000 });
  }
  /** What must not change when an answer is refused: the keys (with counters) and the sessions. */
  const storedState = async () => ({
    passkeys: await server.vault.store.passkeys.listPasskeysOfUser(maraId as never),
    sessions: (await dumpDatabase(db)).match(/ww_s_/g)?.length ?? 0,
  });

  /** Registers a passkey for `username` in `browser` and returns the authenticator holding it. */
  async function register(browser: Awaited<ReturnType<typeof browserOf>>, name: string, authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID)) {
    const { options } = await browser.passkeyRegistrationOptions();
    const passkey = await browser.registerPasskey({ name, credential: authenticator.register(options as never) });
    return { authenticator, passkey };
  }

  it("registers a passkey after the password, lists it with when it was last used, renames and removes it, each audited", async () => {
    const browser = await browserOf("mara");
    const { options } = await browser.passkeyRegistrationOptions();
    const o = options as unknown as { rp: { id: string }; authenticatorSelection: Record<string, string>; excludeCredentials: unknown[] };
    expect(o.rp.id).toBe(RP_ID);
    expect(o.authenticatorSelection).toMatchObject({ residentKey: "preferred", userVerification: "preferred" });
    expect(o.excludeCredentials).toEqual([]);
    const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const added = await eventsOf(() => browser.registerPasskey({ name: "  YubiKey 5C ", credential: authenticator.register(options as never) }));
    expect(added.map((e) => [e.action, e.outcome])).toEqual([["user.passkey_added", "success"]]);
    const [listed] = (await browser.listPasskeys()).passkeys;
    expect(listed).toMatchObject({ name: "YubiKey 5C", lastUsedAt: null, isDiscoverable: true, deviceType: "singleDevice" });

    // The next options exclude the key already registered.
    const again = (await browser.passkeyRegistrationOptions()).options as unknown as { excludeCredentials: { id: string }[] };
    expect(again.excludeCredentials.map((c) => c.id)).toEqual([authenticator.credentials[0]!.id.toString("base64url")]);

    const renamed = await eventsOf(() => browser.renamePasskey(listed!.id, "Desk key"));
    expect(renamed.map((e) => e.action)).toEqual(["user.passkey_renamed"]);
    expect((await browser.listPasskeys()).passkeys.map((p) => p.name)).toEqual(["Desk key"]);
    // Another user cannot see, rename or remove it.
    const nils = await browserOf("nils");
    expect((await nils.listPasskeys()).passkeys).toEqual([]);
    expect((await rejection(nils.renamePasskey(listed!.id, "Mine now"))).key).toBe("passkey_not_found");
    expect((await rejection(nils.removePasskey(listed!.id))).status).toBe(404);
    const removed = await eventsOf(() => browser.removePasskey(listed!.id));
    expect(removed.map((e) => e.action)).toEqual(["user.passkey_removed"]);
    expect((await browser.listPasskeys()).passkeys).toEqual([]);
  });

  it("refuses registration outside sudo mode, and an answer for another session, origin or replayed", async () => {
    const browser = await browserOf("mara");
    const before = await storedState();
    // The sign-in's sudo window has passed: options need a re-authentication first.
    const idHash = createHash("sha256").update(browser.jar.cookies.get("__Host-ww_session")!).digest("hex");
    await server.vault.store.sessions.markReauthenticated(idHash, Date.now() - 11 * 60 * 1000);
    const stale = await rejection(browser.passkeyRegistrationOptions());
    expect([stale.status, stale.key]).toEqual([403, "reauthentication_required"]);
    await browser.reauthenticate({ password: PASSWORD });

    // Options asked for by one session, answered in another of the same user.
    const { options } = await browser.passkeyRegistrationOptions();
    const other = await browserOf("mara");
    const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const answer = authenticator.register(options as never);
    const stolen = await eventsOf(async () => expect((await rejection(other.registerPasskey({ name: "Stolen", credential: answer }))).key).toBe("passkey_challenge_invalid"));
    expect(stolen.map((e) => [e.action, e.outcome, e.reason])).toEqual([["user.passkey_added", "failure", "challenge_invalid"]]);
    // Another origin, in this session.
    const fresh = (await browser.passkeyRegistrationOptions()).options;
    const phished = await eventsOf(async () =>
      expect((await rejection(browser.registerPasskey({ name: "Phished", credential: authenticator.register(fresh as never, { origin: "https://vault.example.test.evil.example" }) }))).key).toBe("passkey_not_verified"),
    );
    expect(phished.map((e) => e.reason)).toEqual(["wrong_origin"]);
    // The same answer twice: the challenge was used by the first.
    const once = (await browser.passkeyRegistrationOptions()).options;
    const good = new SoftwareAuthenticator(ORIGIN, RP_ID).register(once as never, { origin: "http://vault.example.test" });
    expect((await rejection(browser.registerPasskey({ name: "Plain http", credential: good }))).key).toBe("passkey_not_verified");
    expect((await rejection(browser.registerPasskey({ name: "Plain http", credential: good }))).key).toBe("passkey_challenge_invalid");
    expect(await storedState()).toEqual(before);
  });

  it("signs in with a passkey alone: a session as a password sign-in gives, last use recorded, audited", async () => {
    const { authenticator, passkey } = await register(await browserOf("mara"), "Laptop");
    const browser = server.newClient();
    const { options } = await browser.passkeySignInOptions();
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: "required" });
    expect((options as { allowCredentials?: unknown[] }).allowCredentials ?? []).toEqual([]);
    expect(browser.jar.cookies.get("__Host-ww_passkey")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const events = await eventsOf(async () => {
      const reply = await browser.signInWithPasskey({ credential: authenticator.assert(options as never) });
      expect(reply).toMatchObject({ status: "signed_in", session: { user: { username: "mara" } } });
    });
    expect(events.map((e) => [e.action, e.outcome, e.actorName])).toEqual([["user.signed_in", "success", "mara"]]);
    expect(JSON.parse(String(events[0]!.details))).toMatchObject({ method: "passkey", passkeyId: passkey.id });
    expect(browser.jar.cookies.get("__Host-ww_session")).toMatch(/^ww_s_/);
    expect(browser.jar.cookies.has("__Host-ww_passkey")).toBe(false);
    expect((await browser.getSession()).user.username).toBe("mara");
    const [used] = (await browser.listPasskeys()).passkeys.filter((p) => p.id === passkey.id);
    expect(used!.lastUsedAt).not.toBeNull();
  });

  it("refuses a replayed, cross-origin, other-browser, counter-going-back, unknown-key, unverified and disabled-user assertion: audited, counted, nothing changed", async () => {
    await server.vault.store.signInFailures.clearFailures("account", "mara");
    await server.vault.store.signInFailures.clearFailures("ip", "127.0.0.1");
    await forgetPasskeysOfMara();
    const { authenticator, passkey: phone } = await register(await browserOf("mara"), "Phone");
    const signIn = async (forge: (options: never) => unknown, browser = server.newClient()) => {
      const { options } = await browser.passkeySignInOptions();
      return { browser, options, attempt: () => browser.signInWithPasskey({ credential: forge(options as never) as never }) };
    };
    /** One refusal: its problem, one audit event with its reason, the failure counted (against the account when the key was known), nothing else changed. */
    const refusedWith = async (attempt: () => Promise<unknown>, key: string, reason: string) => {
      const before = await storedState();
      const events = await eventsOf(async () => expect((await rejection(attempt())).key).toBe(key));
      expect(events.map((e) => [e.action, e.outcome, e.reason])).toEqual([["user.signed_in", "failure", reason]]);
      expect(await storedState()).toEqual(before);
      const isKeyKnown = !["challenge_invalid", "unknown_credential"].includes(reason);
      expect((await server.vault.store.signInFailures.readFailures("account", "mara"))?.failures ?? 0).toBe(isKeyKnown ? 1 : 0);
      expect((await server.vault.store.signInFailures.readFailures("ip", "127.0.0.1"))?.failures).toBe(1);
      // Cleared, so that the growing delays of the next attempts do not hide their reasons.
      await server.vault.store.signInFailures.clearFailures("account", "mara");
      await server.vault.store.signInFailures.clearFailures("ip", "127.0.0.1");
    };

    // Replay: a good assertion, used once, sent again (a new session the first time, nothing the second).
    const first = await signIn((o) => authenticator.assert(o));
    const answer = authenticator.assert(first.options as never);
    await first.browser.signInWithPasskey({ credential: answer });
    const replayer = server.newClient();
    replayer.jar.cookies.set("__Host-ww_passkey", "a".repeat(43));
    await refusedWith(() => replayer.signInWithPasskey({ credential: answer }), "passkey_challenge_invalid", "challenge_invalid");
    // The same browser again, its binding cookie put back: the challenge is used.
    const again = server.newClient();
    const stale = await again.passkeySignInOptions();
    const boundCookie = again.jar.cookies.get("__Host-ww_passkey")!;
    const once = authenticator.assert(stale.options as never);
    await again.signInWithPasskey({ credential: once });
    const back = server.newClient();
    back.jar.cookies.set("__Host-ww_passkey", boundCookie);
    await refusedWith(() => back.signInWithPasskey({ credential: once }), "passkey_challenge_invalid", "challenge_invalid");

    // Another browser's challenge: options asked in one, answered from another.
    const victim = server.newClient();
    const victimOptions = (await victim.passkeySignInOptions()).options;
    const attacker = server.newClient();
    await attacker.passkeySignInOptions();
    await refusedWith(() => attacker.signInWithPasskey({ credential: authenticator.assert(victimOptions as never) }), "passkey_challenge_invalid", "challenge_invalid");

    const crossOrigin = await signIn((o) => authenticator.assert(o, undefined, { origin: "https://evil.example" }));
    await refusedWith(crossOrigin.attempt, "passkey_sign_in_failed", "wrong_origin");
    const otherRp = await signIn((o) => authenticator.assert(o, undefined, { rpId: "evil.example" }));
    await refusedWith(otherRp.attempt, "passkey_sign_in_failed", "wrong_rp_id");
    // The counter the server holds is the last one it accepted (refused answers did not move it).
    const stored = (await server.vault.store.passkeys.listPasskeysOfUser(maraId as never)).find((p) => p.id === phone.id);
    const counter = stored!.counter;
    expect(counter).toBe(2);
    const goingBack = await signIn((o) => authenticator.assert(o, undefined, { counter: counter - 1 }));
    await refusedWith(goingBack.attempt, "passkey_counter_went_back", "counter_went_back");
    const sameCounter = await signIn((o) => authenticator.assert(o, undefined, { counter }));
    await refusedWith(sameCounter.attempt, "passkey_counter_went_back", "counter_went_back");
    const unverified = await signIn((o) => authenticator.assert(o, undefined, { isUserVerified: false }));
    await refusedWith(unverified.attempt, "passkey_sign_in_failed", "user_not_verified");
    const stranger = new SoftwareAuthenticator(ORIGIN, RP_ID);
    stranger.register({ challenge: "x", rp: { id: RP_ID }, user: { id: maraId } });
    const unknown = await signIn((o) => stranger.assert(o));
    await refusedWith(unknown.attempt, "passkey_sign_in_failed", "unknown_credential");
    const forged = await signIn((o) => authenticator.assert(o, undefined, { signWith: stranger.credentials[0]! }));
    await refusedWith(forged.attempt, "passkey_sign_in_failed", "bad_signature");
    const wrongType = await signIn((o) => authenticator.assert(o, undefined, { type: "webauthn.create" }));
    await refusedWith(wrongType.attempt, "passkey_sign_in_failed", "not_verified");

    // A disabled user's passkey no longer signs in.
    const root = await browserOf("root");
    await root.disableUser(maraId);
    const disabled = await signIn((o) => authenticator.assert(o));
    await refusedWith(disabled.attempt, "passkey_sign_in_failed", "user_disabled");
    await root.enableUser(maraId);
    const good = await signIn((o) => authenticator.assert(o));
    expect((await good.attempt()).status).toBe("signed_in");
  });

  it("is throttled like password sign-ins: after repeated failures from an address the next try waits, audited as denied", async () => {
    const now = Date.now();
    for (let i = 0; i < 40; i += 1) await server.vault.store.signInFailures.recordFailure("ip", "127.0.0.1", now);
    const browser = server.newClient();
    const { options } = await browser.passkeySignInOptions();
    const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
    authenticator.register({ challenge: "x", rp: { id: RP_ID }, user: { id: maraId } });
    const events = await eventsOf(async () => {
      const refused = await rejection(browser.signInWithPasskey({ credential: authenticator.assert(options as never) }));
      expect([refused.status, refused.key]).toEqual([429, "sign_in_throttled"]);
    });
    expect(events.map((e) => [e.action, e.outcome, e.reason])).toEqual([["user.signed_in", "denied", "sign_in_throttled"]]);
    await server.vault.store.signInFailures.clearFailures("ip", "127.0.0.1");
  });

  it("refuses malformed and oversized bodies with catalogued problems, storing nothing", async () => {
    await forgetPasskeysOfMara();
    const browser = await browserOf("mara");
    const before = await storedState();
    const post = (path: string, body: string) =>
      browser.jar.fetch(`${server.url}${path}`, { method: "POST", body, headers: { "content-type": "application/json", "x-csrf-token": "" } });
    const anonymous = server.newClient();
    const anonymousPost = async (body: unknown, raw?: string) => {
      const reply = await anonymous.jar.fetch(`${server.url}/api/v1/auth/passkey/verify`, { method: "POST", body: raw ?? JSON.stringify(body), headers: { "content-type": "application/json" } });
      return { status: reply.status, key: ((await reply.json()) as { key?: string }).key };
    };
    const good = { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA" }, clientExtensionResults: {} };
    expect(await anonymousPost({})).toMatchObject({ status: 400 });
    expect(await anonymousPost(undefined, "{not json")).toMatchObject({ status: 400 });
    expect(await anonymousPost({ credential: { ...good, type: "password" } })).toMatchObject({ status: 400 });
    expect(await anonymousPost({ credential: { ...good, id: "not base64url!" } })).toMatchObject({ status: 400 });
    expect(await anonymousPost({ credential: { ...good, extra: 1 } })).toMatchObject({ status: 400 });
    expect(await anonymousPost({ credential: { ...good, response: { ...good.response, signature: "A".repeat(3000) } } })).toMatchObject({ status: 400 });
    expect(await anonymousPost({ credential: { ...good, response: { ...good.response, clientDataJSON: "A".repeat(40_000) } } })).toEqual({ status: 413, key: "body_too_large" });
    // Well formed, but its clientDataJSON is no JSON: refused before any key is looked at.
    await anonymous.passkeySignInOptions();
    expect(await anonymousPost({ credential: good })).toEqual({ status: 400, key: "passkey_response_invalid" });
    // Registration: malformed names and answers.
    const { options } = await browser.passkeyRegistrationOptions();
    const answer = new SoftwareAuthenticator(ORIGIN, RP_ID).register(options as never);
    expect((await rejection(browser.registerPasskey({ name: "   ", credential: answer }))).key).toBe("passkey_name_required");
    expect((await rejection(browser.registerPasskey({ name: "x".repeat(65), credential: answer }))).status).toBe(400);
    expect((await rejection(browser.renamePasskey("not-a-uuid", "Key"))).status).toBe(400);
    // A valid-looking registration without the CSRF token: refused before anything is read.
    expect((await post("/api/v1/account/passkeys/options", "{}")).status).toBe(403);
    expect(await storedState()).toEqual(before);
  });

  it("keeps passkeys off without a public address with a domain name (503, catalogued), and no key material in logs or the database", async () => {
    expect(loadServerConfig({}, {}).webauthn).toBeUndefined();
    expect(loadServerConfig({}, { WATCHWORD_PUBLIC_URL: "http://127.0.0.1:8080" }).webauthn).toBeUndefined();
    expect(loadServerConfig({}, { WATCHWORD_PUBLIC_URL: "https://vault.example.com/" }).webauthn).toEqual({ rpId: "vault.example.com", rpName: "Watchword", origin: "https://vault.example.com" });
    expect(loadServerConfig({}, { WATCHWORD_PUBLIC_URL: "https://vault.example.com:8443", WATCHWORD_WEBAUTHN_RP_ID: "example.com" }).webauthn).toMatchObject({ rpId: "example.com", origin: "https://vault.example.com:8443" });
    expect(() => loadServerConfig({}, { WATCHWORD_PUBLIC_URL: "https://vault.example.com", WATCHWORD_WEBAUTHN_RP_ID: "other.example" })).toThrow(/WATCHWORD_WEBAUTHN_RP_ID/);
    const off = createPasskeySignInService({ store: server.vault.store, auditLog: undefined as never, clock: systemClock, relyingParty: undefined });
    const refused = await off.signInOptions("binding").catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "unavailable", key: "passkeys_not_configured" });
    const logs = server.logs.join("\n");
    expect(logs).not.toContain(PASSWORD);
    const dump = await dumpDatabase(db);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toMatch(/-----BEGIN/);
  });
});
