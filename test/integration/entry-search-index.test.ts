// Migration 0024 on both databases: the search text of entries stored before it is recomputed
// folded, in batches, so that the search rule finds them; and on PostgreSQL the trigram index it
// creates is what a search of 100,000 entries reads, rather than every row; where pg_trgm may not
// be installed, the vault opens all the same, with one warning.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CompiledQuery, Migrator, sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { entrySearchOf, searchTextOf } from "../../src/core/entry-search.js";
import { migrations } from "../../src/store/migrations/index.js";
import { entryPageQuery } from "../../src/store/policy-listing.js";
import { openStore } from "../../src/store/store.js";
import { openVault, type Vault } from "../../src/services/vault.js";
import { withDefaultUser } from "../../src/store/connect.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

const everyEntry = { kind: "rule", rule: { permission: "use", coveringPermissions: ["use", "manage"], principals: { userId: null, groupIds: [], serviceAccountId: null }, everyEntry: true, ownerId: null, tokenScope: null, approval: "waived", now: 0 } } as const;

/** More than two of the migration's batches of 500. */
const STORED_BEFORE = 1_234;
const NAMES = ["Société Générale", "STRASSE", "Straße", "İstanbul", "plain ascii", "Zoë"];

describe.each(databaseKinds)("migration 0024 on %s", (kind) => {
  it("folds the search text of every entry stored before it, batch after batch", async () => {
    const db = await createTestDatabase(kind);
    const store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
    try {
      await withRawDatabase(db, async (raw) => {
        const schema = kind === "postgres" ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(raw)).rows[0]!.schema : undefined;
        const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0024").map(([name, m]) => [name, { up: (k: typeof raw) => m.up(k as never, store.dialect) }]));
        const migrator = new Migrator({ db: raw, provider: { getMigrations: () => Promise.resolve(before) }, migrationTableName: "schema_migrations", migrationLockTableName: "schema_migrations_lock", ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        await raw.insertInto("users").values({ id: "u1", username: "ada", display_name: "Ada", role: "admin", password_hash: "x", created_at: 0, updated_at: 0, disabled_at: null } as never).execute();
        const rows = Array.from({ length: STORED_BEFORE }, (_, i) => {
          const name = `${NAMES[i % NAMES.length]!} ${String(i).padStart(4, "0")}`;
          const issuer = i % 3 === 0 ? "Crédit Agricole" : null;
          const tags = i % 5 === 0 ? ["é-tag"] : [];
          return {
            id: `e${String(i).padStart(5, "0")}`, name, name_key: name.toLowerCase(), folder_id: null, folder_key: "", template_id: "otp-only", issuer, account: null, url: null, username: null, notes: null,
            tags: JSON.stringify(tags), owner_id: "u1", otp_type: null, otp_algorithm: null, otp_digits: null, otp_period: null, hotp_counter: 0, seed_sealed: null, seed_updated_at: null, created_at: i, updated_at: i,
            // As the code of 0021's time wrote it: lower-cased, accents kept.
            search_text: [name, issuer ?? "", "", ...tags].map((field) => field.toLowerCase()).join("\n"),
          };
        });
        for (let i = 0; i < rows.length; i += 200) await raw.insertInto("entries").values(rows.slice(i, i + 200) as never).execute();
      });
      expect(await store.migrate()).toEqual(["0024-folded-search-text", "0025-entries-vacuum"]);

      const listed = await store.policyListing.listEntries(everyEntry, {}, { limit: 1001 });
      const more = await store.policyListing.listEntries(everyEntry, {}, { limit: 1001, after: listed.at(-1)!.position });
      const all = [...listed, ...more];
      expect(all).toHaveLength(STORED_BEFORE);
      const texts = await withRawDatabase(db, async (raw) => (await sql<{ id: string; search_text: string }>`select id, search_text from entries`.execute(raw)).rows);
      const byId = new Map(all.map((e) => [e.record.id, e.record]));
      for (const row of texts) expect(row.search_text).toBe(searchTextOf(byId.get(row.id)!));
      const found = async (q: string) => (await store.policyListing.listEntries(everyEntry, entrySearchOf({ q }), { limit: 1001 })).length;
      const named = (k: number) => (i: number) => i % NAMES.length === k;
      expect(await found("societe")).toBe(countOf(named(0)));
      expect(await found("strasse")).toBe(countOf((i) => named(1)(i) || named(2)(i)));
      expect(await found("ISTANBUL credit")).toBe(countOf((i) => named(3)(i) && i % 3 === 0));
      expect(await found("e-tag zoe")).toBe(countOf((i) => named(5)(i) && i % 5 === 0));
    } finally {
      await store.close();
      await db.drop();
    }
  }, 60_000);
});

/** How many of the entries stored before pass the test, by their number. */
const countOf = (test: (i: number) => boolean): number => Array.from({ length: STORED_BEFORE }, (_, i) => i).filter(test).length;

describe("the trigram index on PostgreSQL", () => {
  it("is what a search of 100,000 entries reads for a word found nowhere; a word found everywhere is read in the name index alone", async () => {
    const db = await createTestDatabase("postgres");
    const store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
    try {
      await store.migrate();
      expect(await store.ensureSearchIndex()).toBe(true);
      const [rare, broad] = await withRawDatabase(db, async (raw) => {
        await sql`insert into users (id, username, display_name, role, password_hash, created_at, updated_at) values ('u1', 'ada', 'Ada', 'admin', 'x', 0, 0)`.execute(raw);
        // Generated in the database: names and issuers of a few words each, like a real vault's.
        await sql`
          insert into entries (id, name, name_key, folder_id, folder_key, template_id, issuer, tags, owner_id, hotp_counter, created_at, updated_at, search_text)
          select 'e' || lpad(n::text, 6, '0'), 'Account ' || n, 'account ' || n, null, '', 'otp-only', (array['aws', 'github', 'société', 'bank'])[1 + n % 4], '[]', 'u1', 0, n, n,
                 'account ' || n || chr(10) || (array['aws', 'github', 'societe', 'bank'])[1 + n % 4] || chr(10) || chr(10)
          from generate_series(1, 100000) as n`.execute(raw);
        // Autovacuum comes for the entries table after 0.2% of its rows (and 100 more) changed or
        // were added (migration 0025), not after the default 20%: the walk below reads the name
        // index alone only where the pages are marked all-visible.
        const { rows: options } = await sql<{ options: string[] }>`select reloptions as options from pg_class where oid = 'entries'::regclass`.execute(raw);
        expect(options[0]?.options.sort()).toEqual([
          "autovacuum_vacuum_insert_scale_factor=0.002",
          "autovacuum_vacuum_insert_threshold=100",
          "autovacuum_vacuum_scale_factor=0.002",
          "autovacuum_vacuum_threshold=100",
        ]);
        // What autovacuum does after so many inserts: statistics, and the pages marked all-visible.
        await sql`vacuum analyze entries`.execute(raw);
        // The statement the listing runs, with its parameters.
        const planOf = async (q: string): Promise<string> => {
          const query = entryPageQuery(raw, everyEntry.rule, entrySearchOf({ q }), { limit: 101 }).compile();
          const { rows } = await raw.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
          return rows.map((r) => r["QUERY PLAN"]).join("\n");
        };
        return [await planOf("zzqxv"), await planOf("aws")];
      });
      expect(rare).toMatch(/Bitmap Index Scan on entries_search_trigram/);
      expect(rare).not.toMatch(/Seq Scan on entries/);
      // A quarter of the entries hold "aws": the walk in name order fills a page within a few
      // hundred index entries, testing each there, and reads only the page's rows.
      expect(broad).toMatch(/Index Only Scan using entries_name/);
      expect(broad).not.toMatch(/Seq Scan on entries|Bitmap Heap Scan|Sort/);
      // And the listing itself, over all of them: nothing for that word; for two words, the
      // entries holding both (99990, 99994 and 99998 are the "société" ones holding 9999).
      expect(await store.policyListing.listEntries(everyEntry, entrySearchOf({ q: "zzqxv" }), { limit: 101 })).toEqual([]);
      expect(await store.policyListing.listEntries(everyEntry, entrySearchOf({ q: "SOCIÉTÉ 9999" }), { limit: 101 })).toHaveLength(3);
      const page = await store.policyListing.listEntries(everyEntry, entrySearchOf({ q: "aws" }), { limit: 101 });
      expect(page.map((e) => e.record.name)).toEqual(
        Array.from({ length: 100000 }, (_, i) => i + 1)
          .filter((n) => n % 4 === 0)
          .map((n) => `Account ${n}`)
          .sort()
          .slice(0, 101),
      );
    } finally {
      await store.close();
      await db.drop();
    }
  }, 120_000);
});

describe("PostgreSQL without pg_trgm", () => {
  it("migrates all the same when the extension may not be installed, and searches by reading every entry", async () => {
    // A database of its own, where pg_trgm is not installed and a user who may not install it:
    // in the shared test database another run has installed it already.
    const name = `watchword_no_trgm_${randomBytes(4).toString("hex")}`;
    const adminUrl = withDefaultUser(TEST_DATABASE_URL);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create role ${name} login`);
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const setup = new pg.Client({ connectionString: url.toString() });
    await setup.connect();
    await setup.query(`revoke create on database ${name} from public`);
    await setup.query(`create schema vault authorization ${name}`);
    await setup.end();
    url.username = name;
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-no-trgm-"));
    let vault: Vault | undefined;
    try {
      // Opening the vault runs every migration: 0024 goes on without the index, and says so once.
      vault = await openVault({ config: { dataDir, databaseUrl: url.toString(), masterKey: undefined }, postgresSchema: "vault" });
      expect(vault.warnings).toEqual(["PostgreSQL's pg_trgm extension is not installed, so entry search reads every entry; install it (CREATE EXTENSION pg_trgm) and restart to index search."]);
      expect((await vault.store.migrationStatus()).current).toBe(true);
      expect(await vault.store.ensureSearchIndex()).toBe(false);
      expect(await vault.store.policyListing.listEntries(everyEntry, entrySearchOf({ q: "zzqxv" }), { limit: 101 })).toEqual([]);
    } finally {
      await vault?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
      await admin.query(`drop database ${name} with (force)`);
      await admin.query(`drop role ${name}`);
      await admin.end();
    }
  }, 60_000);
});
