// What a backup's manifest records of the database it copies, read from the copy itself (or, on
// PostgreSQL, in the snapshot pg_dump copies): the audit head, the wrapped data keys, the migrations.
import { sql, type Kysely } from "kysely";
import { GENESIS_HASH } from "../core/audit-chain.js";
import type { Database } from "./schema.js";

export interface BackupFacts {
  readonly auditHead: { readonly seq: number; readonly link: string };
  readonly dataKeys: readonly { readonly version: number; readonly wrappedKey: string; readonly kekId: string; readonly createdAt: number }[];
  readonly migrations: readonly string[];
}

export async function readBackupFacts(db: Kysely<Database>): Promise<BackupFacts> {
  const head = await db.selectFrom("audit_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirst();
  const keys = await db.selectFrom("data_keys").selectAll().orderBy("version").execute();
  return {
    auditHead: { seq: Number(head?.seq ?? 0), link: head?.hash ?? GENESIS_HASH },
    dataKeys: keys.map((k) => ({ version: k.version, wrappedKey: Buffer.from(k.wrapped_key).toString("base64"), kekId: k.kek_id, createdAt: Number(k.created_at) })),
    migrations: await appliedMigrations(db),
  };
}

/** The migrations applied, in order (Kysely's bookkeeping table, as migrate.ts names it). */
export async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}
