// Runs the migrations and reports whether the schema is current.
import { Migrator, sql, type Kysely, type Migration } from "kysely";
import { problem, unavailable } from "../core/errors.js";
import type { DialectCapabilities } from "./dialect.js";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";

async function migrator(db: Kysely<Database>, dialect: DialectCapabilities): Promise<Migrator> {
  // Kysely looks for its bookkeeping tables in every schema unless told which: name the one in
  // use, so that Watchword databases in several schemas of one PostgreSQL never see each other's.
  const schema = dialect.name === "postgres" ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const provided: Record<string, Migration> = {};
  for (const [name, module] of Object.entries(migrations)) {
    provided[name] = { up: (kdb) => module.up(kdb, dialect) };
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => provided },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

/**
 * Runs `work` on one session without its time bounds: migrations wait for another node's to
 * finish (Kysely's migration lock) and may rewrite a large table.
 */
async function withoutTimeBounds<T>(db: Kysely<Database>, dialect: DialectCapabilities, work: (session: Kysely<Database>) => Promise<T>): Promise<T> {
  const bounds = dialect.sessionTimeBounds;
  if (bounds === undefined) return work(db);
  return db.connection().execute(async (session) => {
    await sql.raw(bounds.lift).execute(session);
    let result: T;
    try {
      result = await work(session);
    } catch (error) {
      // The migration's own error is the one to report; if the session is broken, so is this.
      await sql.raw(bounds.restore).execute(session).catch(() => undefined);
      throw error;
    }
    await sql.raw(bounds.restore).execute(session);
    return result;
  });
}

export async function migrateToLatest(db: Kysely<Database>, dialect: DialectCapabilities): Promise<string[]> {
  const { error, results } = await withoutTimeBounds(db, dialect, async (session) => (await migrator(session, dialect)).migrateToLatest());
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw unavailable(problem("migration_failed", { migration: failed, reason: (error instanceof Error ? error.message : String(error)).replace(/\.$/, "") }));
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
  const list = await (await migrator(db, dialect)).getMigrations();
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
