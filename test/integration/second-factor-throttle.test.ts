// Second-factor throttling in the database, on both databases, and across two nodes sharing one
// PostgreSQL (each node its own connection pool, audit log and mailer): failures counted on one
// node delay and lock the account on the other; the owner is told once when delays begin and once
// at the lock, by a real SMTP server, in their language; an administrator's unlock ends the lock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../src/core/clock.js";
import { isWatchwordError } from "../../src/core/errors.js";
import { newUserId, type UserId } from "../../src/core/ids.js";
import { SECOND_FACTOR_FREE_FAILURES, SECOND_FACTOR_IP_FREE_FAILURES, SECOND_FACTOR_LOCK_FAILURES } from "../../src/core/second-factor-throttle.js";
import { createAccountLockService } from "../../src/services/account-locks.js";
import { createAuditLog } from "../../src/services/audit-log.js";
import { createSmtpMailer, type Mailer } from "../../src/services/mailer.js";
import { createSecondFactorThrottle, type SecondFactorThrottle } from "../../src/services/second-factor-throttle.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const origin = (ip: string) => ({ ip, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", channel: "ui" as const });

/** A clock both nodes share, moved by the test: delays pass without waiting. */
const clock = { ms: Date.UTC(2026, 11, 1, 9, 0), now() { return this.ms; } } satisfies Clock & { ms: number };

/** The 429 a refused check throws: its key and Retry-After. */
async function refusalOf(check: Promise<void>): Promise<{ key: string | undefined; retryAfter: number | undefined }> {
  try {
    await check;
  } catch (error) {
    if (isWatchwordError(error) && error.code === "too_many_requests") return { key: error.key, retryAfter: error.details.retryAfterSeconds };
    throw error;
  }
  throw new Error("the check let the attempt through");
}

interface Node {
  readonly server: TestApp;
  readonly throttle: SecondFactorThrottle;
  readonly mailer: Mailer;
}

describe.each(databaseKinds)("second-factor throttling on %s", (kind) => {
  let db: TestDatabase;
  let mail: SmtpReceiver;
  const nodes: Node[] = [];
  let nodeCount = 1;

  beforeAll(async () => {
    mail = await startSmtpReceiver();
    db = await createTestDatabase(kind);
    // Two nodes where the database can be shared by two processes' worth of connections; one on SQLite.
    nodeCount = kind === "postgres" ? 2 : 1;
    for (let i = 0; i < nodeCount; i += 1) {
      const server = await startTestApp(db, { clock });
      const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${mail.port}`, from: "Watchword <watchword@example.com>" });
      const auditLog = createAuditLog({ store: server.vault.store, clock });
      nodes.push({ server, mailer, throttle: createSecondFactorThrottle({ store: server.vault.store, auditLog, clock, mailer }) });
    }
  });
  afterAll(async () => {
    for (const node of nodes) {
      node.mailer.close();
      await node.server.close();
    }
    await db?.drop();
    await mail?.close();
  });

  const node = (i: number): Node => nodes[i % nodeCount]!;
  async function addUser(username: string, facts: { email?: string; language?: "en" | "fr" } = {}): Promise<UserId> {
    const store = nodes[0]!.server.vault.store;
    // No password (an invited user): these tests never sign in, and argon2 would only cost time.
    const user = { id: newUserId(), username, displayName: `${username[0]!.toUpperCase()}${username.slice(1)}`, role: "member" as const, passwordHash: "", createdAt: clock.now() };
    await store.users.insertUser(user);
    if (facts.email !== undefined || facts.language !== undefined) await store.users.updateUser(user.id, { email: facts.email ?? null, language: facts.language ?? null }, clock.now());
    return user.id;
  }
  const mailsTo = (address: string) => mail.inbox.filter((m) => m.to.includes(address));
  const settle = () => Promise.all(nodes.map((n) => n.throttle.mailsSettled()));

  it("lets the first failures through, then delays with Retry-After, counted across nodes", async () => {
    const userId = await addUser("tess");
    const from = origin("203.0.113.5");
    for (let i = 0; i < SECOND_FACTOR_FREE_FAILURES; i += 1) {
      await node(i).throttle.check(userId, from);
      await node(i).throttle.recordFailure(userId, from);
    }
    // The failures were spread over the nodes; either one refuses now.
    for (let i = 0; i < nodeCount; i += 1) expect(await refusalOf(node(i).throttle.check(userId, from))).toEqual({ key: "second_factor_throttled", retryAfter: 1 });
    clock.ms += 1000;
    await node(1).throttle.check(userId, from);
    // A right code starts the account again.
    await node(1).throttle.clear(userId);
    await node(0).throttle.check(userId, from);
  });

  it("mails the owner once when delays begin and once at the lock, in their language, and audits both", async () => {
    const userId = await addUser("ines", { email: "ines@example.com", language: "fr" });
    const from = origin("192.0.2.77");
    const before = (await nodes[0]!.server.vault.store.auditEvents.readAuditChainState()).head.seq;
    for (let i = 0; i < SECOND_FACTOR_LOCK_FAILURES; i += 1) {
      await node(i).throttle.recordFailure(userId, from);
      clock.ms += 20 * 60 * 1000; // past any delay: only the lock stops an attempt
    }
    await settle();
    const mails = mailsTo("ines@example.com");
    expect(mails.map((m) => m.subject)).toEqual(["Codes de connexion erronés sur votre compte Watchword", "Connexion en deux étapes verrouillée sur votre compte Watchword"]);
    expect(mails[0]!.text).toContain(`${SECOND_FACTOR_FREE_FAILURES}\u00a0codes erronés`);
    expect(mails[0]!.text).toContain("192.0.2.77");
    expect(mails[1]!.text).toContain("«\u00a0ines\u00a0»");
    expect(mails[1]!.text).toContain("Un administrateur doit la déverrouiller.");
    for (let i = 0; i < nodeCount; i += 1) expect(await refusalOf(node(i).throttle.check(userId, from))).toEqual({ key: "second_factor_locked", retryAfter: 3600 });
    const events = await nodes[0]!.server.vault.store.auditEvents.listAuditEvents({ afterSeq: before, limit: 100 });
    expect(events.filter((e) => e.action !== "user.second_factor_delayed").map((e) => [e.action, e.actorName, JSON.parse(e.details).mailed])).toEqual([
      ["user.second_factor_throttled", "ines", true],
      ["user.second_factor_locked", "ines", true],
    ]);
    expect(events.filter((e) => e.action === "user.second_factor_delayed").map((e) => [e.outcome, e.reason])).toEqual(Array(nodeCount).fill(["denied", "second_factor_locked"]));
  });

  it("ends the lock when an administrator unlocks the account", async () => {
    const userId = await addUser("uma", { email: "uma@example.com" });
    const from = origin("192.0.2.78");
    for (let i = 0; i < SECOND_FACTOR_LOCK_FAILURES; i += 1) await node(i).throttle.recordFailure(userId, from);
    await settle();
    expect(mailsTo("uma@example.com").map((m) => m.subject)).toEqual(["Wrong sign-in codes on your Watchword account", "Two-step sign-in locked on your Watchword account"]);
    expect((await refusalOf(node(1).throttle.check(userId, from))).key).toBe("second_factor_locked");
    const server = nodes[0]!.server;
    const result = await createAccountLockService({ auditLog: createAuditLog({ store: server.vault.store, clock }), clock }).unlockLocally({ kind: "local", userId: null, username: "root", origin: { ip: "local", userAgent: "test", channel: "cli" } }, "uma");
    expect(result.wasLocked).toBe(true);
    // The account is free again; the address that made twenty wrong guesses still waits.
    await node(1).throttle.check(userId, origin("192.0.2.90"));
    expect((await refusalOf(node(1).throttle.check(userId, from))).key).toBe("second_factor_throttled");
  });

  it("sends each mail once when failures race on both nodes", async () => {
    const userId = await addUser("vic", { email: "vic@example.com" });
    const from = origin("192.0.2.79");
    await Promise.all(Array.from({ length: SECOND_FACTOR_FREE_FAILURES + 2 }, (_, i) => node(i).throttle.recordFailure(userId, from)));
    await settle();
    expect(mailsTo("vic@example.com").map((m) => m.subject)).toEqual(["Wrong sign-in codes on your Watchword account"]);
  });

  it("slows one address guessing across many accounts, however each account fares", async () => {
    const from = origin("198.51.100.200");
    for (let i = 0; i < SECOND_FACTOR_IP_FREE_FAILURES; i += 1) await node(i).throttle.recordFailure(await addUser(`guess${i}`), from);
    const fresh = await addUser("wes");
    expect((await refusalOf(node(1).throttle.check(fresh, from))).key).toBe("second_factor_throttled");
    // Another address is not held back by this one's failures.
    await node(1).throttle.check(fresh, origin("198.51.100.201"));
  });

  it("still counts, and mails no one, for a user without an e-mail address", async () => {
    const userId = await addUser("xan");
    for (let i = 0; i < SECOND_FACTOR_FREE_FAILURES; i += 1) expect((await node(i).throttle.recordFailure(userId, origin("192.0.2.80"))).failures).toBe(i + 1);
    await settle();
    expect(mail.inbox.filter((m) => m.text.includes("xan"))).toEqual([]);
  });
});
