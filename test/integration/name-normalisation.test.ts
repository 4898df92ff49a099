// Names that a person cannot tell apart are one name, on both databases: "Café" typed with a
// precomposed é (U+00E9) or with e + a combining acute (U+0301), with or without zero-width
// characters, in any case. Entries, folders and templates keep the name as typed but compare and
// index its normalised key; the import preview flags such twins as duplicates.
import { describe, expect, it } from "vitest";
import { Migrator, sql } from "kysely";
import { migrations } from "../../src/store/migrations/index.js";
import { openStore } from "../../src/store/store.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PRECOMPOSED = "Caf\u00e9";
const DECOMPOSED = "Cafe\u0301";
const b64 = (text: string): string => Buffer.from(text).toString("base64");

describe.each(databaseKinds)("name normalisation on %s", (kind) => {
  const app = useSignedInAdmin(kind);


  it("keeps an entry's name as typed and refuses its twins typed another way", async () => {
    const { entry } = await app.admin.createEntry({ name: DECOMPOSED, seed: { secret: SEED_B32 } });
    expect(entry.name).toBe(DECOMPOSED);
    for (const twin of [PRECOMPOSED, "CAF\u00c9", "Ca\u200bf\u00e9", "\ufeffCafe\u0301", "Caf\u2060e\u0301", " caf\u00e9 "]) {
      const refused = await rejection(app.admin.createEntry({ name: twin, seed: { secret: SEED_B32 } }));
      expect([refused.status, refused.field], JSON.stringify(twin)).toEqual([409, "name"]);
    }
    const { entry: other } = await app.admin.createEntry({ name: "Caf\u00e8", seed: { secret: SEED_B32 } });
    const renamed = await rejection(app.admin.updateEntry(other.id, { name: PRECOMPOSED }));
    expect([renamed.status, renamed.field]).toEqual([409, "name"]);
    expect((await app.admin.listEntries({ q: "caf" })).entries.map((e) => e.name).sort()).toEqual([DECOMPOSED, "Caf\u00e8"].sort());
  });

  it("lets only one of two simultaneous creates of the same name typed two ways succeed", async () => {
    const results = await Promise.allSettled([
      app.admin.createEntry({ name: "Cr\u00e8me", seed: { secret: SEED_B32 } }),
      app.admin.createEntry({ name: "Cre\u0300me", seed: { secret: SEED_B32 } }),
      app.admin.createEntry({ name: "CRE\u0300ME\u200d", seed: { secret: SEED_B32 } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as { status: number }).status)).toEqual([409, 409]);
  });

  it("compares folder names the same way", async () => {
    const folder = await app.admin.createFolder({ name: "E\u0301quipe" });
    expect(folder.name).toBe("E\u0301quipe");
    const refused = await rejection(app.admin.createFolder({ name: "\u00e9quipe\u200b" }));
    expect([refused.status, refused.field]).toEqual([409, "name"]);
    const both = await Promise.allSettled([app.admin.createFolder({ name: "Z\u00fcrich" }), app.admin.createFolder({ name: "Zu\u0308rich" })]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("compares template names the same way, built-in ones included", async () => {
    const fields = [{ key: "pin", label: "PIN", type: "secret" as const, required: false }];
    const template = await app.admin.createTemplate({ name: "Cl\u00e9 USB", fields });
    expect(template.name).toBe("Cl\u00e9 USB");
    const twin = await rejection(app.admin.createTemplate({ name: "cle\u0301 usb", fields }));
    expect([twin.status, twin.field]).toEqual([409, "name"]);
    const builtIn = await rejection(app.admin.createTemplate({ name: "OTP\u200b only", fields }));
    expect([builtIn.status, builtIn.field]).toEqual([409, "name"]);
    const both = await Promise.allSettled([app.admin.createTemplate({ name: "Na\u00efve", fields }), app.admin.createTemplate({ name: "Nai\u0308ve", fields })]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("flags an imported twin as a duplicate and confirms it under a name of its own, in the existing folder", async () => {
    const preview = await app.admin.createImport({ data: b64(`otpauth://totp/Caf%C3%A9?secret=${SEED_B32}\n`) });
    expect(preview.entries[0]!.name).toBe(PRECOMPOSED);
    expect(preview.entries[0]!.duplicateOf?.name).toBe(DECOMPOSED);
    const { created } = await app.admin.confirmImport(preview.importId);
    expect(created[0]!.name).toBe(`${PRECOMPOSED} (2)`);

    const labels = await app.admin.createImport({ data: b64(`otpauth://totp/Bu%CC%88ro:anna?secret=${SEED_B32}&issuer=Bu%CC%88ro\n`) });
    await app.admin.confirmImport(labels.importId);
    const again = await app.admin.createImport({ data: b64(`otpauth://totp/B%C3%BCro:ANNA%E2%80%8B?secret=${SEED_B32}&issuer=B%C3%BCro\n`) });
    expect(again.entries[0]!.duplicateOf).not.toBeNull();
    await app.admin.discardImport(again.importId);

    const aegis = { version: 1, header: { slots: null, params: null }, db: { version: 2, entries: [{ type: "totp", uuid: "1d2c4a8e-0c57-4d7c-9d4e-3f0a2b1c5d6e", name: "team", issuer: "Folder twin", group: "\u00c9quipe", info: { secret: SEED_B32, algo: "SHA1", digits: 6, period: 30 } }] } };
    const grouped = await app.admin.createImport({ data: b64(JSON.stringify(aegis)) });
    const { created: inFolder } = await app.admin.confirmImport(grouped.importId);
    const folders = (await app.admin.listFolders()).folders.filter((f) => f.name.normalize("NFC").toLowerCase() === "\u00e9quipe");
    expect(folders).toHaveLength(1);
    expect((await app.admin.getEntry(inFolder[0]!.id)).folderId).toBe(folders[0]!.id);
  });
});

describe.each(databaseKinds)("the name-key migration on %s", (kind) => {
  it("re-keys names stored before it and keeps twins that already exist apart", async () => {
    const db = await createTestDatabase(kind);
    const store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
    try {
      // The schema as it was before the migration, then rows written by the code of that time.
      await withRawDatabase(db, async (raw) => {
        const schema = kind === "postgres" ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(raw)).rows[0]!.schema : undefined;
        const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= "0002-entries").map(([name, m]) => [name, { up: (k: typeof raw) => m.up(k as never, store.dialect) }]));
        const migrator = new Migrator({ db: raw, provider: { getMigrations: () => Promise.resolve(before) }, migrationTableName: "schema_migrations", migrationLockTableName: "schema_migrations_lock", ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        await raw.insertInto("users").values({ id: "u1", username: "ada", display_name: "Ada", role: "admin", password_hash: "x", created_at: 0, updated_at: 0, disabled_at: null }).execute();
        const entry = (id: string, name: string, createdAt: number) => ({
          id, name, name_key: name.trim().toLowerCase(), folder_id: null, folder_key: "", template_id: "otp-only", issuer: null, account: null, url: null, username: null, notes: null,
          tags: "[]", owner_id: "u1", otp_type: null, otp_algorithm: null, otp_digits: null, otp_period: null, hotp_counter: 0, seed_sealed: null, seed_updated_at: null, created_at: createdAt, updated_at: createdAt,
        });
        // The columns of that time: search_text came with 0021.
        await raw.insertInto("entries").values([entry("e1", PRECOMPOSED, 1), entry("e2", DECOMPOSED, 2), entry("e3", "Ca\u200bfe\u0301 bar", 3)] as never).execute();
        await raw.insertInto("folders").values([{ id: "f1", name: "\u00c9quipe", name_key: "\u00e9quipe", created_at: 1 }, { id: "f2", name: "E\u0301quipe", name_key: "e\u0301quipe", created_at: 2 }]).execute();
      });
      expect(await store.migrate()).toEqual(Object.keys(migrations).filter((name) => name > "0002-entries"));

      expect((await store.entries.findEntry("e1"))!.name).toBe(PRECOMPOSED);
      expect((await store.entries.findEntry("e2"))!.name).toBe(DECOMPOSED);
      expect(await store.entries.isNameTaken(null, "CAFE\u0301")).toBe(true);
      expect(await store.entries.isNameTaken(null, "caf\u00e9 bar")).toBe(true);
      expect((await store.folders.findFolderByName("e\u0301QUIPE"))?.id).toBe("f1");
      expect((await store.templates.findTemplateByName("otp\u200b ONLY"))?.id).toBe("otp-only");
      // 0021 gave the rows of that time their search text and 0024 folded it: search finds both
      // spellings in SQL (not the one a zero-width space splits).
      const everyEntry = { kind: "rule", rule: { permission: "use", coveringPermissions: ["use", "manage"], principals: { userId: null, groupIds: [], serviceAccountId: null }, everyEntry: true, ownerId: null, tokenScope: null, approval: "waived", now: 0 } } as const;
      const found = await store.policyListing.listEntries(everyEntry, { words: ["cafe"] }, { limit: 10 });
      expect(found.map((e) => e.record.id).sort()).toEqual(["e1", "e2"]);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
