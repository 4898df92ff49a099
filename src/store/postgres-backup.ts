// Backing up and putting back a PostgreSQL schema with PostgreSQL's own tools, as its manual
// documents (pg_dump's custom format; pg_restore): pg_dump copies the snapshot this module's own
// transaction exported, so the manifest's facts and the dump agree to the row. A restore renames
// the live schema aside, rebuilds it from the dump in one psql transaction, and drops the old
// schema only once Watchword has prepared the new one (or renames it back).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { problem, unavailable } from "../core/errors.js";
import { readBackupFacts, type BackupFacts } from "./backup-facts.js";
import { serveLockSql } from "./postgres-connection.js";
import type { Database } from "./schema.js";

type Tool = "pg_dump" | "pg_restore" | "psql";

/** The environment the tools run in: the one the CLI was given (config.ts is the only reader of process.env). */
export type ToolEnvironment = Readonly<Record<string, string | undefined>>;

/** The URL without its password (passed in PGPASSWORD instead, out of the process list). */
function toolConnection(url: string, base: ToolEnvironment): { dbname: string; env: ToolEnvironment } {
  try {
    const parsed = new URL(url);
    const password = decodeURIComponent(parsed.password);
    parsed.password = "";
    return { dbname: parsed.toString(), env: password === "" ? base : { ...base, PGPASSWORD: password } };
  } catch {
    return { dbname: url, env: base };
  }
}

const MAX_STDERR = 4000;

/** Runs a PostgreSQL client tool; its first line of stderr becomes the error on failure. */
function runTool(tool: Tool, args: readonly string[], env: ToolEnvironment): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (stdout.length < 1024 * 1024) stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => reject(unavailable(problem("backup_tool_missing", { tool, reason: error.code ?? error.message }))));
    child.on("close", (code) => {
      if (code === 0) return resolve(stdout);
      const line = stderr.split("\n").find((text) => text.trim() !== "") ?? `exit code ${code}`;
      reject(unavailable(problem("backup_tool_failed", { tool, reason: line.trim().replace(/\.$/, "").slice(0, 300) })));
    });
  });
}

/** Checks the tool runs and is at least as new as the server (pg_dump refuses newer servers, and says so less plainly). */
export async function checkToolVersion(db: Kysely<Database>, tool: Tool, env: ToolEnvironment): Promise<void> {
  const text = await runTool(tool, ["--version"], env);
  const major = Number(/(\d+)(?:\.\d+)?/.exec(text)?.[1] ?? NaN);
  const server = (await sql<{ version: string }>`select current_setting('server_version_num') as version`.execute(db)).rows[0]?.version ?? "0";
  const serverMajor = Math.floor(Number(server) / 10000);
  if (!(major >= serverMajor)) throw unavailable(problem("backup_tool_too_old", { tool, version: text.trim().slice(0, 60), server: serverMajor }));
}

export async function currentSchema(db: Kysely<Database>): Promise<string> {
  return (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema;
}

/**
 * Dumps the vault's schema to `to` (custom format) from the snapshot of a transaction of ours,
 * and reads the manifest's facts in that same snapshot.
 */
export async function dumpPostgresSchema(db: Kysely<Database>, url: string, to: string, base: ToolEnvironment): Promise<BackupFacts & { schema: string }> {
  await checkToolVersion(db, "pg_dump", base);
  return db.connection().execute(async (session) => {
    await sql`begin isolation level repeatable read read only`.execute(session);
    try {
      // pg_dump may take longer than a request may: the snapshot's transaction waits for it.
      await sql`set local idle_in_transaction_session_timeout = 0`.execute(session);
      await sql`set local statement_timeout = 0`.execute(session);
      const snapshot = (await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(session)).rows[0]!.id;
      const schema = await currentSchema(session);
      const facts = await readBackupFacts(session);
      const { dbname, env } = toolConnection(url, base);
      await runTool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--schema=${schema}`, `--snapshot=${snapshot}`, `--file=${to}`, `--dbname=${dbname}`], env);
      return { ...facts, schema };
    } finally {
      await sql`rollback`.execute(session);
    }
  });
}

/** Runs `work` while holding the serve lock exclusively; refuses at once when a node holds it. */
export async function withPostgresHeldExclusively<T>(db: Kysely<Database>, description: string, work: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (session) => {
    const held = (await sql<{ held: boolean }>`${sql.raw(serveLockSql("exclusive"))}`.execute(session)).rows[0]?.held === true;
    if (!held) throw unavailable(problem("restore_while_serving", { database: description }));
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock_all()`.execute(session);
    }
  });
}

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export interface SwappedSchema {
  /** Drops the schema the restore replaced. */
  commit(): Promise<void>;
  /** Puts the replaced schema back as it was. */
  rollback(): Promise<void>;
}

/**
 * Rebuilds `schema` from a dump in one transaction (psql --single-transaction): the live schema is
 * renamed aside first, so a failure anywhere leaves it exactly as it was. The dump's own CREATE
 * SCHEMA is left out (pg_restore -L), so the dump of `public` and of any other schema restore alike.
 */
export async function restorePostgresSchema(db: Kysely<Database>, url: string, schema: string, dump: string, workDir: string, base: ToolEnvironment): Promise<SwappedSchema> {
  await checkToolVersion(db, "pg_restore", base);
  await checkToolVersion(db, "psql", base);
  const { dbname, env } = toolConnection(url, base);
  const listing = await runTool("pg_restore", ["--list", dump], env);
  // Every entry except the schema itself (and a comment on it): ours is created below.
  const kept = listing.split("\n").filter((line) => !/^\d+;\s+\d+\s+\d+\s+(SCHEMA|COMMENT\s+-\s+SCHEMA)\s/.test(line));
  const list = path.join(workDir, "restore.list");
  await writeFile(list, kept.join("\n"), { mode: 0o600 });
  const script = path.join(workDir, "restore.sql");
  await runTool("pg_restore", ["--no-owner", "--no-privileges", `--use-list=${list}`, `--file=${script}`, dump], env);
  const aside = `${schema.slice(0, 40)}_replaced_${randomBytes(4).toString("hex")}`;
  const exists = (await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db)).rows[0]!.n > 0;
  const prefix = path.join(workDir, "prefix.sql");
  await writeFile(prefix, `${exists ? `alter schema ${quoted(schema)} rename to ${quoted(aside)};\n` : ""}create schema ${quoted(schema)};\n`, { mode: 0o600 });
  await runTool("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", prefix, "-f", script, `--dbname=${dbname}`], env);
  return {
    async commit() {
      if (exists) await sql`${sql.raw(`drop schema ${quoted(aside)} cascade`)}`.execute(db);
    },
    async rollback() {
      await db.transaction().execute(async (trx) => {
        await sql`${sql.raw(`drop schema ${quoted(schema)} cascade`)}`.execute(trx);
        if (exists) await sql`${sql.raw(`alter schema ${quoted(aside)} rename to ${quoted(schema)}`)}`.execute(trx);
      });
    },
  };
}
