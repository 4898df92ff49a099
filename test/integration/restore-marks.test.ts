// What a restore moves forward in the database it puts back, on both databases: HOTP counters to
// their high-water marks (only for the seed marked, never backwards), and the users' TOTP last
// accepted steps to the current step where a user_factors table exists (a no-op where it does not).
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { advanceHotpCounters, advanceTotpLastSteps } from "../../src/store/restore-marks.js";
import { openStore } from "../../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

describe.each(databaseKinds)("restore marks on %s", (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    const store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });
    await store.migrate();
    await store.close();
  });
  afterEach(async () => db.drop());

  async function addEntry(raw: Parameters<Parameters<typeof withRawDatabase>[1]>[0], type: "hotp" | "totp", counter: number, seedUpdatedAt: number): Promise<string> {
    const id = randomUUID();
    const owner = randomUUID(); // foreign keys are off for these rows: only the counters matter here
    await raw
      .insertInto("entries")
      .values({ id, name: id, name_key: id, folder_id: null, folder_key: "", template_id: "otp-only", issuer: null, account: null, url: null, username: null, notes: null, tags: "[]", owner_id: owner, otp_type: type, otp_algorithm: "sha1", otp_digits: 6, otp_period: 30, hotp_counter: counter, seed_sealed: Buffer.from("sealed"), seed_updated_at: seedUpdatedAt, created_at: 0, updated_at: 0 } as never)
      .execute();
    return id;
  }

  it("moves each HOTP counter up to its mark, for the marked seed only, and never down", async () => {
    await withRawDatabase(db, async (raw) => {
      await sql`pragma foreign_keys = off`.execute(raw).catch(() => undefined);
      if (kind === "postgres") await sql`set session_replication_role = replica`.execute(raw);
      const behind = await addEntry(raw, "hotp", 5, 1000);
      const ahead = await addEntry(raw, "hotp", 500, 1000);
      const reseeded = await addEntry(raw, "hotp", 0, 2000);
      const timeBased = await addEntry(raw, "totp", 0, 1000);
      const advanced = await advanceHotpCounters(raw, [
        { entryId: behind, seedUpdatedAt: 1000, mark: 202 },
        { entryId: ahead, seedUpdatedAt: 1000, mark: 202 },
        // A mark of the seed this entry had before it was overwritten says nothing of the new one.
        { entryId: reseeded, seedUpdatedAt: 1000, mark: 4000 },
        { entryId: timeBased, seedUpdatedAt: 1000, mark: 50 },
      ]);
      expect(advanced).toBe(1);
      const counters = Object.fromEntries((await raw.selectFrom("entries").select(["id", "hotp_counter"]).execute()).map((r) => [r.id, Number(r.hotp_counter)]));
      expect(counters).toEqual({ [behind]: 202, [ahead]: 500, [reseeded]: 0, [timeBased]: 0 });
    });
  });

  it("moves every user's TOTP last step up to now where user_factors exists, and does nothing where it does not", async () => {
    await withRawDatabase(db, async (raw) => {
      const schema = db.postgresSchema;
      // Migration 0015 made the real table: this test wants a vault from before it first.
      await sql`drop table if exists user_factors`.execute(raw);
      expect(await advanceTotpLastSteps(raw, 1000, schema)).toBe(0);
      await sql`create table user_factors (id text primary key, last_step bigint)`.execute(raw);
      await sql`insert into user_factors (id, last_step) values ('old', 10), ('new', 2000), ('never', null)`.execute(raw);
      expect(await advanceTotpLastSteps(raw, 1000, schema)).toBe(2);
      const steps = (await sql<{ id: string; last_step: number | string }>`select id, last_step from user_factors order by id`.execute(raw)).rows.map((r) => [r.id, Number(r.last_step)]);
      expect(steps).toEqual([["never", 1000], ["new", 2000], ["old", 1000]]);
    });
  });
});
