// Service accounts' names are compared as every other name is (core/name-key.ts), on both
// databases: through the API "Deploy" and its twins typed another way are one name; and the
// migration 0012 re-keys the rows stored with the older key (trimmed, lower-cased), keeping twins
// that already exist apart.
import { describe, expect, it } from "vitest";
import { Migrator, sql } from "kysely";
import { migrations } from "../../src/store/migrations/index.js";
import { openStore } from "../../src/store/store.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";

describe.each(databaseKinds)("service account names on %s", (kind) => {
  const app = useSignedInAdmin(kind);

  it("refuses every twin of a taken name: case, Unicode form, zero-width characters, spaces", async () => {
    const account = await app.admin.createServiceAccount({ name: "Déploy" });
    expect(account.name).toBe("Déploy");
    for (const twin of ["DÉPLOY", "de\u0301ploy", "De\u0301PLOY", "D\u200béploy", "\ufeffdéploy", "Dé\u2060ploy", " déploy "]) {
      const refused = await rejection(app.admin.createServiceAccount({ name: twin }));
      expect([refused.status, refused.key, refused.field], JSON.stringify(twin)).toEqual([409, "service_account_name_taken", "name"]);
    }
    expect((await app.admin.listServiceAccounts()).serviceAccounts.filter((a) => a.name.normalize("NFC").toLowerCase().includes("ploy")).map((a) => a.name)).toEqual(["Déploy"]);
    expect((await app.admin.createServiceAccount({ name: "Deploy" })).name).toBe("Deploy"); // another letter is another name
  });

  it("lets only one of simultaneous creates of one name typed three ways succeed", async () => {
    const results = await Promise.allSettled(["Backup-Bot", "backup-bot", "BACKUP\u200b-BOT"].map((name) => app.admin.createServiceAccount({ name })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});

describe.each(databaseKinds)("the service-account name-key migration on %s", (kind) => {
  it("re-keys the names stored before it and keeps twins that already exist apart", async () => {
    const db = await createTestDatabase(kind);
    const store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
    const older = (name: string) => name < "0012-service-account-name-keys";
    try {
      // The schema as it was before the migration, then rows written by the code of that time.
      await withRawDatabase(db, async (raw) => {
        const schema = kind === "postgres" ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(raw)).rows[0]!.schema : undefined;
        const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => older(name)).map(([name, m]) => [name, { up: (k: typeof raw) => m.up(k as never, store.dialect) }]));
        const migrator = new Migrator({ db: raw, provider: { getMigrations: () => Promise.resolve(before) }, migrationTableName: "schema_migrations", migrationLockTableName: "schema_migrations_lock", ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        const account = (id: string, name: string, createdAt: number) => ({ id, name, name_key: name.trim().toLowerCase(), description: null, created_by: null, created_at: createdAt, disabled_at: null });
        await raw
          .insertInto("service_accounts")
          .values([account("s1", "Caf\u00e9-bot", 1), account("s2", "Cafe\u0301-bot", 2), account("s3", "Re\u200blease", 3), account("s4", "deploy", 4)])
          .execute();
      });
      expect(await store.migrate()).toEqual(Object.keys(migrations).filter((name) => !older(name)));

      expect((await store.serviceAccounts.findServiceAccount("s1" as never))!.name).toBe("Caf\u00e9-bot");
      expect((await store.serviceAccounts.findServiceAccount("s2" as never))!.name).toBe("Cafe\u0301-bot"); // the younger twin stays, with its name
      expect((await store.serviceAccounts.findServiceAccountByName("CAFE\u0301-BOT"))?.id).toBe("s1");
      expect((await store.serviceAccounts.findServiceAccountByName("release"))?.id).toBe("s3");
      expect((await store.serviceAccounts.findServiceAccountByName("DEPLOY"))?.id).toBe("s4");
      const now = Date.now();
      for (const twin of ["caf\u00e9-BOT", "RELEASE", "Deploy"]) {
        await expect(store.serviceAccounts.insertServiceAccount({ id: `new-${twin}` as never, name: twin, description: null, createdBy: null, createdAt: now })).rejects.toMatchObject({ code: "conflict", key: "service_account_name_taken" });
      }
      expect((await store.serviceAccounts.listServiceAccounts()).map((a) => a.id).sort()).toEqual(["s1", "s2", "s3", "s4"]);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
