// One store suite, run against SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserId } from "../../src/core/ids.js";
import pg from "pg";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { sqliteFile, withDefaultUser } from "../../src/store/connect.js";
import { loadSqlite } from "../../src/store/sqlite-module.js";
import { openStore, type Store } from "../../src/store/store.js";

const user = (n: number) => ({
  id: `00000000-0000-4000-8000-00000000000${n}` as UserId,
  username: `user${n}`,
  displayName: `User ${n}`,
  role: "member" as const,
  passwordHash: "$argon2id$placeholder",
  createdAt: 1_000,
});

describe.each(databaseKinds)("store on %s", (kind) => {
  let db: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it("reports pending migrations on an empty database, then none after migrating", async () => {
    expect((await store.migrationStatus()).pending).toContain("0001-initial");
    expect(await store.migrate()).toEqual(["0001-initial", "0002-entries", "0003-name-keys", "0004-people-and-policy", "0005-device-tokens", "0006-people", "0007-keyed-audit-chain", "0008-audit-targets", "0009-audit-query-indexes", "0010-outbox", "0011-entry-alerts", "0012-service-account-name-keys", "0013-audit-archive", "0014-audit-combined-filter-indexes", "0015-user-factors", "0016-sign-in-recovery", "0017-passkeys", "0018-sso", "0019-key-rotation", "0020-push-approval", "0021-entry-list-indexes", "0022-recovery-method", "0023-mfa-enforcement", "0024-folded-search-text", "0025-entries-vacuum"]);
    expect(await store.migrationStatus()).toEqual({ current: true, pending: [], unknown: [] });
    expect(await store.migrate()).toEqual([]);
  });

  it("stores users and finds them by id and username, and refuses a duplicate username", async () => {
    await store.users.insertUser(user(1));
    expect(await store.users.findUserByUsername("user1")).toMatchObject({ id: user(1).id, displayName: "User 1", role: "member", disabledAt: null });
    expect((await store.users.findUserById(user(1).id))?.username).toBe("user1");
    await expect(store.users.insertUser({ ...user(2), username: "user1" })).rejects.toThrow();
    expect(await store.users.countUsers()).toBe(1);
  });

  it("keeps times as exact millisecond numbers", async () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
    await store.sessions.insertSession({ idHash: "h1", userId: user(1).id, kind: "browser", createdAt: at, lastSeenAt: at, expiresAt: at + 1, ip: "::1", userAgent: "test", publicId: "p1" });
    const found = await store.sessions.findSession("h1");
    expect(found?.createdAt).toBe(at);
    expect(typeof found?.expiresAt).toBe("number");
  });

  it("deletes idle and expired sessions and keeps live ones", async () => {
    const now = 10_000_000;
    await store.sessions.insertSession({ idHash: "live", userId: user(1).id, kind: "browser", createdAt: now, lastSeenAt: now, expiresAt: now + 100_000, ip: "", userAgent: "", publicId: "p2" });
    await store.sessions.insertSession({ idHash: "idle", userId: user(1).id, kind: "browser", createdAt: 0, lastSeenAt: 0, expiresAt: now + 100_000, ip: "", userAgent: "", publicId: "p3" });
    expect(await store.sessions.deleteExpiredSessions(now, 60_000)).toBeGreaterThanOrEqual(1);
    expect(await store.sessions.findSession("idle")).toBeUndefined();
    expect(await store.sessions.findSession("live")).toBeDefined();
  });

  it("uses a setup token exactly once, even when two requests race for it", async () => {
    await store.setupTokens.insertSetupToken("t1", 0, 1_000);
    expect(await store.setupTokens.readSetupToken("t1", 10)).toBe("valid");
    const results = await Promise.all([store.setupTokens.consumeSetupToken("t1", 10), store.setupTokens.consumeSetupToken("t1", 10)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.setupTokens.readSetupToken("t1", 20)).toBe("used");
    expect(await store.setupTokens.readSetupToken("unknown", 20)).toBe("unknown");
    await store.setupTokens.insertSetupToken("t2", 0, 1_000);
    expect(await store.setupTokens.consumeSetupToken("t2", 2_000)).toBe(false);
    expect(await store.setupTokens.readSetupToken("t2", 2_000)).toBe("expired");
  });

  it("counts concurrent sign-in failures without losing one", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.signInFailures.recordFailure("account", "alice", 1_000 + i)));
    expect((await store.signInFailures.readFailures("account", "alice"))?.failures).toBe(20);
    expect(await store.signInFailures.readFailures("ip", "alice")).toBeUndefined();
    await store.signInFailures.clearFailures("account", "alice");
    expect(await store.signInFailures.readFailures("account", "alice")).toBeUndefined();
  });

  it("rolls a transaction back when its work throws", async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.users.insertUser(user(3));
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await store.users.findUserById(user(3).id)).toBeUndefined();
  });

  it("turns a duplicate entry name that slips past the check into a conflict on the name", async () => {
    const entry = (id: string, name: string) => ({
      id, name, folderId: null, templateId: "otp-only", issuer: null, account: null, url: null, username: null, notes: null, tags: [],
      ownerId: user(1).id, otpType: null, otpAlgorithm: null, otpDigits: null, otpPeriod: null, hotpCounter: 0, seedSealed: null,
      seedUpdatedAt: null, createdAt: 1, updatedAt: 1,
    });
    await store.entries.insertEntry(entry("00000000-0000-4000-8000-0000000000e1", "Registrar"));
    await expect(store.entries.insertEntry(entry("00000000-0000-4000-8000-0000000000e2", "registrar"))).rejects.toMatchObject({ code: "conflict", details: { field: "name" } });
  });

  /** Runs one statement on a connection of its own, the way another process or node would. */
  async function writeElsewhere(statement: string, parameters: unknown[]): Promise<void> {
    if (kind === "sqlite") {
      const other = new (loadSqlite())(sqliteFile(db.dataDir));
      try {
        other.prepare(statement.replace(/\$\d+/g, "?")).run(...parameters);
      } finally {
        other.close();
      }
      return;
    }
    const other = new pg.Client({ connectionString: withDefaultUser(db.databaseUrl!), options: `-c search_path=${db.postgresSchema}` });
    await other.connect();
    try {
      await other.query(statement, parameters);
    } finally {
      await other.end();
    }
  }
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it("answers look-ups with what was last committed, by this process or any other", async () => {
    const id = "00000000-0000-4000-8000-0000000000e7";
    await store.users.insertUser(user(4));
    await store.entries.insertEntry({
      id, name: "Vendor portal", folderId: null, templateId: "otp-only", issuer: null, account: null, url: null, username: null, notes: null, tags: ["ops"],
      ownerId: user(1).id, otpType: null, otpAlgorithm: null, otpDigits: null, otpPeriod: null, hotpCounter: 0, seedSealed: null,
      seedUpdatedAt: null, createdAt: 1, updatedAt: 1,
    });
    expect((await store.entries.findEntry(id))?.name).toBe("Vendor portal");
    // This process, outside and inside a transaction.
    await store.entries.updateEntry(id, { name: "Vendor portal 2" }, 2);
    expect((await store.entries.findEntry(id))?.name).toBe("Vendor portal 2");
    await store.transaction((tx) => tx.entries.updateEntry(id, { name: "Vendor portal 3" }, 3));
    expect((await store.entries.findEntry(id))?.name).toBe("Vendor portal 3");
    await expect(
      store.transaction(async (tx) => {
        await tx.entries.updateEntry(id, { name: "Never committed" }, 4);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect((await store.entries.findEntry(id))?.name).toBe("Vendor portal 3");
    // Another process or node.
    await writeElsewhere("update entries set name = $1, owner_id = $2 where id = $3", ["Moved elsewhere", user(4).id, id]);
    await nextTurn();
    expect(await store.entries.findEntry(id)).toMatchObject({ name: "Moved elsewhere", ownerId: user(4).id });
    await writeElsewhere("delete from entries where id = $1", [id]);
    await nextTurn();
    expect(await store.entries.findEntry(id)).toBeUndefined();
  });

  it("forgets a session as soon as it is deleted here, or in the next turn when another process deletes it", async () => {
    const session = (idHash: string) => ({ idHash, userId: user(1).id, kind: "token" as const, createdAt: 1, lastSeenAt: 1, expiresAt: 10_000, ip: "127.0.0.1", userAgent: "test", publicId: `p-${idHash}` });
    await store.sessions.insertSession(session("hash-here"));
    await store.sessions.insertSession(session("hash-elsewhere"));
    expect(await store.sessions.findSession("hash-here")).toBeDefined();
    expect(await store.sessions.findSession("hash-elsewhere")).toBeDefined();
    await store.sessions.deleteSession("hash-here");
    expect(await store.sessions.findSession("hash-here")).toBeUndefined();
    await writeElsewhere("delete from sessions where id_hash = $1", ["hash-elsewhere"]);
    await nextTurn();
    expect(await store.sessions.findSession("hash-elsewhere")).toBeUndefined();
    await writeElsewhere("update users set disabled_at = $1 where id = $2", [5, user(1).id]);
    await nextTurn();
    expect((await store.users.findUserById(user(1).id))?.disabledAt).toBe(5);
  });

  it("refuses a second data key with the same version", async () => {
    await store.dataKeys.insertDataKey({ version: 1, wrappedKey: Buffer.from([1, 2, 3]), kekId: "k", createdAt: 1 });
    await expect(store.dataKeys.insertDataKey({ version: 1, wrappedKey: Buffer.from([4]), kekId: "k", createdAt: 2 })).rejects.toThrow();
    expect(await store.dataKeys.listDataKeys()).toEqual([{ version: 1, wrappedKey: Buffer.from([1, 2, 3]), kekId: "k", createdAt: 1 }]);
  });
});
