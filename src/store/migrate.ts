// Runs the migrations and reports whether the schema is current.
import { Migrator, type Kysely, type Migration } from "kysely";
import { unavailable } from "../core/errors.js";
import type { DialectCapabilities } from "./dialect.js";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";

function migrator(db: Kysely<Database>, dialect: DialectCapabilities): Migrator {
  const provided: Record<string, Migration> = {};
  for (const [name, module] of Object.entries(migrations)) {
    provided[name] = { up: (kdb) => module.up(kdb, dialect) };
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => provided },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
  });
}

export async function migrateToLatest(db: Kysely<Database>, dialect: DialectCapabilities): Promise<string[]> {
  const { error, results } = await migrator(db, dialect).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw unavailable(`Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export interface MigrationStatus {
  readonly current: boolean;
  readonly pending: string[];
  /** Migrations in the database that this version of Watchword does not know (a newer version ran). */
  readonly unknown: string[];
}

export async function readMigrationStatus(db: Kysely<Database>, dialect: DialectCapabilities): Promise<MigrationStatus> {
  const list = await migrator(db, dialect).getMigrations();
  const pending = list.filter((m) => m.executedAt === undefined).map((m) => m.name);
  let unknown: string[] = [];
  if (pending.length === 0) {
    const applied = await db
      .selectFrom("schema_migrations" as never)
      .select("name" as never)
      .execute()
      .then((rows) => rows.map((r) => (r as { name: string }).name));
    unknown = applied.filter((name) => !(name in migrations));
  }
  return { current: pending.length === 0 && unknown.length === 0, pending, unknown };
}
