// A user's own sign-in recovery codes and sessions, through the HTTP API on both databases: ten
// distinct codes of 80 bits shown once and stored only as salted hashes (the planted codes are
// searched for in every table, the SQLite files, the audit log and the server's log), each
// accepted once, a new set ending the old one, and bad input refused with nothing changed; the
// sessions list in plain words, signing out one session and every other one.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import type { UserId } from "../../src/core/ids.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { createAuditLog } from "../../src/services/audit-log.js";
import { createSignInRecoveryCodeService, type SignInRecoveryCodeService } from "../../src/services/sign-in-recovery-codes.js";
import type { StoredAuditEvent } from "../../src/store/audit-events.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable, readSqliteFiles } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "heron-cobalt-window-5521";
const COOKIE = "__Host-ww_session";
const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const origin = { ip: "198.51.100.23", userAgent: CHROME_LINUX, channel: "ui" as const };

describe.each(databaseKinds)("sign-in recovery codes and sessions on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let codes: SignInRecoveryCodeService;
  const shown: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    codes = createSignInRecoveryCodeService({ store: server.vault.store, auditLog: createAuditLog({ store: server.vault.store, clock: systemClock }), clock: systemClock });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  async function addUser(username: string): Promise<UserId> {
    return (await insertNewUser(server.vault.store.users, { username, role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now())).id;
  }
  async function browserOf(username: string, userAgent = CHROME_LINUX) {
    const browser = server.newClient({ headers: { "user-agent": userAgent } });
    await browser.signIn({ username, password: PASSWORD });
    await browser.getSession();
    return browser;
  }
  const headSeq = async () => (await server.vault.store.auditEvents.readAuditChainState()).head.seq;
  async function eventsOf(act: () => Promise<unknown>): Promise<StoredAuditEvent[]> {
    const before = await headSeq();
    await act();
    return server.vault.store.auditEvents.listAuditEvents({ afterSeq: before, limit: 1000 });
  }
  const storedRows = (userId: UserId) => server.vault.store.signInRecoveryCodes.listUnused(userId);

  it("makes ten distinct codes of 80 bits, shown once, with how many remain and when they were made", async () => {
    await addUser("rita");
    const rita = await browserOf("rita");
    expect(await rita.getRecoveryCodeStatus()).toEqual({ remaining: 0, total: 0, generatedAt: null });
    const events = await eventsOf(async () => {
      const made = await rita.generateRecoveryCodes();
      shown.push(...made.codes);
    });
    expect(shown).toHaveLength(10);
    expect(new Set(shown).size).toBe(10);
    // 16 base32 characters each: 80 bits, above the 64 NIST SP 800-63B §5.1.2.1 asks for.
    for (const code of shown) expect(code).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    const status = await rita.getRecoveryCodeStatus();
    expect(status).toMatchObject({ remaining: 10, total: 10 });
    expect(Date.parse(status.generatedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(events.map((e) => [e.action, e.outcome, e.actorName, e.targetName])).toEqual([["user.recovery_codes_generated", "success", "rita", "rita"]]);
  });

  it("stores only salted hashes: no code appears in any table, the SQLite files, the audit log or the server's log", async () => {
    const forms = shown.flatMap((code) => [code, code.replaceAll("-", ""), code.toLowerCase()]);
    const everywhere = [await dumpEveryTable(db), await readSqliteFiles(db), server.logs.join("\n")].join("\n");
    for (const form of forms) expect(everywhere).not.toContain(form);
    const rows = await storedRows((await server.vault.store.users.findUserByUsername("rita"))!.id);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.salt)).size).toBe(10);
    // Not a bare SHA-256 of the code either: the salt is in every hash.
    const bare = new Set(shown.map((code) => createHash("sha256").update(code.replaceAll("-", "")).digest("hex")));
    for (const row of rows) expect(bare.has(row.codeHash)).toBe(false);
  });

  it("accepts each code once, however it is typed, and tells how many remain; a used code is refused; both audited", async () => {
    const ritaId = (await server.vault.store.users.findUserByUsername("rita"))!.id;
    const typed = ` ${shown[0]!.toLowerCase().replaceAll("-", " ")} `;
    const events = await eventsOf(async () => {
      expect(await codes.use(ritaId, typed, origin)).toEqual({ accepted: true, remaining: 9 });
      expect(await codes.use(ritaId, shown[0]!, origin)).toEqual({ accepted: false });
      expect(await codes.use(ritaId, shown[1]!.replaceAll("-", ""), origin)).toEqual({ accepted: true, remaining: 8 });
    });
    expect(events.map((e) => [e.action, e.outcome, e.reason, e.actorName, e.ip])).toEqual([
      ["user.recovery_code_used", "success", null, "rita", origin.ip],
      ["user.recovery_code_used", "failure", "wrong_code", "rita", origin.ip],
      ["user.recovery_code_used", "success", null, "rita", origin.ip],
    ]);
    expect(JSON.parse(events[2]!.details)).toEqual({ remaining: 8 });
    for (const code of shown) expect(JSON.stringify(events)).not.toContain(code.replaceAll("-", ""));
    expect(await codes.count(ritaId)).toMatchObject({ remaining: 8, total: 10 });
  });

  it("lets exactly one of two simultaneous submissions of a code through", async () => {
    const ritaId = (await server.vault.store.users.findUserByUsername("rita"))!.id;
    const results = await Promise.all([codes.use(ritaId, shown[2]!, origin), codes.use(ritaId, shown[2]!, origin)]);
    expect(results.filter((r) => r.accepted)).toHaveLength(1);
    expect((await codes.count(ritaId)).remaining).toBe(7);
  });

  it("refuses malformed, oversized and hostile submissions without touching the set", async () => {
    const ritaId = (await server.vault.store.users.findUserByUsername("rita"))!.id;
    const before = await storedRows(ritaId);
    const hostile = ["", "   ", "ABCD-EFGH", `${shown[3]}X`, shown[3]!.replace(/.$/, "1"), "x".repeat(100_000), `${shown[3]!}${" ".repeat(60)}`, "' or 1=1 --", "\u0000".repeat(16), "ÀBCD-EFGH-IJKL-MNOP"];
    for (const input of hostile) expect(await codes.use(ritaId, input, origin), JSON.stringify(input.slice(0, 20))).toEqual({ accepted: false });
    expect(await storedRows(ritaId)).toEqual(before);
    // The right code still works afterwards: nothing above spent it.
    expect(await codes.use(ritaId, shown[3]!, origin)).toEqual({ accepted: true, remaining: 6 });
  });

  it("replaces the whole set at once: every old code stops working, the new ones work", async () => {
    const ritaId = (await server.vault.store.users.findUserByUsername("rita"))!.id;
    const rita = await browserOf("rita");
    const renewed = await rita.generateRecoveryCodes();
    expect(renewed.codes.filter((code) => shown.includes(code))).toEqual([]);
    expect(await rita.getRecoveryCodeStatus()).toMatchObject({ remaining: 10, total: 10 });
    for (const old of shown.slice(4)) expect(await codes.use(ritaId, old, origin)).toEqual({ accepted: false });
    expect(await codes.use(ritaId, renewed.codes[9]!, origin)).toEqual({ accepted: true, remaining: 9 });
    shown.splice(0, shown.length, ...renewed.codes);
  });

  it("makes codes only in sudo mode, and refuses bad bodies with 4xx and nothing changed", async () => {
    const ritaId = (await server.vault.store.users.findUserByUsername("rita"))!.id;
    const rita = await browserOf("rita");
    const before = await storedRows(ritaId);
    // The sign-in's sudo window (WATCHWORD_SUDO_MINUTES, 10 by default) has passed.
    const idHash = createHash("sha256").update(rita.jar.cookies.get(COOKIE)!).digest("hex");
    await server.vault.store.sessions.markReauthenticated(idHash, Date.now() - 11 * 60 * 1000);
    const stale = await rejection(rita.generateRecoveryCodes());
    expect([stale.status, stale.key]).toEqual([403, "reauthentication_required"]);
    expect(await storedRows(ritaId)).toEqual(before);
    await rita.reauthenticate({ password: PASSWORD });
    const csrf = (await rita.getSession()).csrfToken;
    const post = (body: string) =>
      fetch(`${server.url}/api/v1/account/recovery-codes`, { method: "POST", headers: { "content-type": "application/json", cookie: `${COOKIE}=${rita.jar.cookies.get(COOKIE)}`, "x-csrf-token": csrf }, body });
    for (const body of ['{"password": 12}', `{"password": "${PASSWORD}"}`, '{"codes": ["A"]}', "[", `"${PASSWORD}"`]) {
      const reply = await post(body);
      expect(reply.status, body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(reply.status, body.slice(0, 40)).toBeLessThan(500);
      expect(reply.headers.get("content-type")).toContain("application/problem+json");
    }
    const unsigned = await fetch(`${server.url}/api/v1/account/recovery-codes`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unsigned.status).toBe(401);
    expect(await storedRows(ritaId)).toEqual(before);
  });

  it("lists the user's sessions in plain words, this one marked, by ids that are neither the token nor its hash", async () => {
    await addUser("sam");
    const laptop = await browserOf("sam", CHROME_LINUX);
    const phone = await browserOf("sam", SAFARI_IPHONE);
    const cli = server.newClient({ headers: { "user-agent": "watchword-cli/0.9.0" } });
    const { token } = await cli.signIn({ username: "sam", password: PASSWORD, client: "cli" });
    const { sessions } = await laptop.listOwnSessions();
    expect(sessions.map((s) => [s.browser, s.system, s.kind, s.isCurrent, s.ip])).toEqual([
      ["Chrome", "Linux", "browser", true, "127.0.0.1"],
      ["Watchword CLI", null, "token", false, "127.0.0.1"],
      ["Safari", "iOS", "browser", false, "127.0.0.1"],
    ]);
    const secrets = [laptop.jar.cookies.get(COOKIE)!, phone.jar.cookies.get(COOKIE)!, token!];
    const hashes = secrets.map((s) => createHash("sha256").update(s).digest("hex"));
    for (const session of sessions) {
      expect(session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      for (const value of [...secrets, ...hashes]) expect(value).not.toContain(session.id);
    }
    expect((await phone.listOwnSessions()).sessions.find((s) => s.isCurrent)).toMatchObject({ browser: "Safari", system: "iOS" });
    // Nobody else's sessions: another user sees only their own.
    expect((await (await browserOf("rita")).listOwnSessions()).sessions.every((s) => !sessions.some((t) => t.id === s.id))).toBe(true);
  });

  it("signs out one session: it stops working at once, the others go on; audited", async () => {
    const laptop = await browserOf("sam", CHROME_LINUX);
    const other = await browserOf("sam", SAFARI_IPHONE);
    const otherId = (await other.listOwnSessions()).sessions.find((s) => s.isCurrent)!.id;
    const events = await eventsOf(() => laptop.endOwnSession(otherId));
    expect((await rejection(other.getSession())).status).toBe(401);
    expect((await laptop.getSession()).user.username).toBe("sam");
    expect((await laptop.listOwnSessions()).sessions.map((s) => s.id)).not.toContain(otherId);
    expect(events.map((e) => [e.action, e.outcome, e.actorName, e.targetType, e.targetId])).toEqual([["user.session_ended", "success", "sam", "session", otherId]]);
  });

  it("refuses to end a session that is not the user's, or an id that is malformed, with nothing changed", async () => {
    const sam = await browserOf("sam");
    const rita = await browserOf("rita");
    const ritaSession = (await rita.listOwnSessions()).sessions.find((s) => s.isCurrent)!.id;
    const events = await eventsOf(async () => {
      const foreign = await rejection(sam.endOwnSession(ritaSession));
      expect([foreign.status, foreign.key]).toEqual([404, "session_not_found"]);
    });
    expect(events.map((e) => [e.action, e.outcome, e.reason])).toEqual([["user.session_ended", "failure", "session_not_found"]]);
    expect((await rita.getSession()).user.username).toBe("rita");
    const count = (await sam.listOwnSessions()).sessions.length;
    for (const id of ["x".repeat(65), "a b", "..%2F..", "%00"]) {
      const refused = await rejection(sam.endOwnSession(id));
      expect(refused.status, id).toBeGreaterThanOrEqual(400);
      expect(refused.status, id).toBeLessThan(500);
    }
    expect((await sam.listOwnSessions()).sessions).toHaveLength(count);
  });

  it("signs out everywhere else: every other session ends, this one stays; audited with the count", async () => {
    const here = await browserOf("sam");
    const elsewhere = [await browserOf("sam", SAFARI_IPHONE), await browserOf("sam")];
    const before = (await here.listOwnSessions()).sessions.length;
    let ended = 0;
    const events = await eventsOf(async () => {
      ended = (await here.endOtherSessions()).ended;
    });
    expect(ended).toBe(before - 1);
    for (const browser of elsewhere) expect((await rejection(browser.getSession())).status).toBe(401);
    expect((await here.listOwnSessions()).sessions.map((s) => s.isCurrent)).toEqual([true]);
    expect(events.map((e) => [e.action, e.outcome, JSON.parse(e.details).count])).toEqual([["user.other_sessions_ended", "success", before - 1]]);
    expect(await here.endOtherSessions()).toEqual({ ended: 0 });
  });
});
