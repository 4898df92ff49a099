// Session time-outs with a controllable clock and a real store (ASVS 5.0 7.3).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, createSessionService, isCsrfTokenValid } from "../../src/services/sessions.js";
import { openStore, type Store } from "../../src/store/store.js";
import type { UserRecord } from "../../src/store/users.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";

const origin = { ip: "192.0.2.1", userAgent: "test", channel: "ui" as const };

describe.each(databaseKinds)("sessions on %s", (kind) => {
  let db: TestDatabase;
  let store: Store;
  let user: UserRecord;
  const clock = new ManualClock();

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
    await store.migrate();
    user = await insertNewUser(store.users, { username: "dana", role: "member", password: Secret.fromUtf8("lighthouse-keeper-2026") }, clock.now());
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const service = () => createSessionService({ sessions: store.sessions, users: store.users, groups: store.groups, clock });

  it("stores only a hash of the token", async () => {
    const issued = await service().issueSession(user, "browser", origin);
    expect(await store.sessions.findSession(issued.token)).toBeUndefined();
    expect((await service().authenticate(issued.token))?.user.username).toBe("dana");
  });

  it("ends a browser session after 30 idle minutes", async () => {
    const issued = await service().issueSession(user, "browser", origin);
    clock.advance(IDLE_TIMEOUT_MS - 1000);
    expect(await service().authenticate(issued.token)).toBeDefined();
    clock.advance(IDLE_TIMEOUT_MS - 1000);
    expect(await service().authenticate(issued.token)).toBeDefined(); // activity kept it alive
    clock.advance(IDLE_TIMEOUT_MS);
    expect(await service().authenticate(issued.token)).toBeUndefined();
  });

  it("ends any session after 12 hours however active it is", async () => {
    const issued = await service().issueSession(user, "token", origin);
    for (let elapsed = 0; elapsed < ABSOLUTE_TIMEOUT_MS - 20 * 60_000; elapsed += 20 * 60_000) {
      clock.advance(20 * 60_000);
      expect(await service().authenticate(issued.token)).toBeDefined();
    }
    clock.advance(20 * 60_000);
    expect(await service().authenticate(issued.token)).toBeUndefined();
  });

  it("derives a CSRF token that belongs to one session only", async () => {
    const a = await service().issueSession(user, "browser", origin);
    const b = await service().issueSession(user, "browser", origin);
    expect(isCsrfTokenValid(a.token, a.csrfToken)).toBe(true);
    expect(isCsrfTokenValid(a.token, b.csrfToken)).toBe(false);
    expect(isCsrfTokenValid(a.token, undefined)).toBe(false);
    expect(isCsrfTokenValid(a.token, "")).toBe(false);
  });

  it("refuses tokens of the wrong shape without a database look-up", async () => {
    expect(await service().authenticate("")).toBeUndefined();
    expect(await service().authenticate(`ww_s_${"a".repeat(500)}`)).toBeUndefined();
  });
});
