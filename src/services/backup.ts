// `watchword backup` and `watchword restore`: a consistent online copy of the vault's database
// (and what Watchword keeps beside it) in one checked file, and putting one back so that no code
// is ever valid twice and the audit chain goes on, with an `audit.restored` event, and verifies.
// Every check a restore can fail comes before anything of the vault is changed.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ServerConfig } from "../config.js";
import type { Clock } from "../core/clock.js";
import { invalidInput, isWatchwordError, problem, sealed, unavailable } from "../core/errors.js";
import { renderProblem as renderSentence } from "../core/problems/catalogue.js";
import { openKeyring, type Keyring } from "../crypto/keyring.js";
import { checkpointFileIn, createAuditCheckpointWriter } from "../store/audit-checkpoint-file.js";
import type { AuditHead } from "../store/audit-events.js";
import { readBackupFacts } from "../store/backup-facts.js";
import { openBackupFile, writeBackupFile, type BackupManifest, type PartSource } from "../store/backup-file.js";
import { absentDatabase, describeDatabaseUrl, openDatabase, type DatabaseTarget } from "../store/connect.js";
import { hotpMarkFileIn, markKey, readHotpMarks, type HotpMark } from "../store/hotp-mark-file.js";
import { migrations } from "../store/migrations/index.js";
import { currentSchema, dumpPostgresSchema, restorePostgresSchema, withPostgresHeldExclusively, type ToolEnvironment } from "../store/postgres-backup.js";
import { advanceHotpCounters, advanceTotpLastSteps } from "../store/restore-marks.js";
import { checkSqliteFile, copySqliteDatabase, holdSqliteExclusively, makeStagingDirectory, placeSqliteFile } from "../store/sqlite-backup.js";
import { createStore } from "../store/store.js";
import { packageVersion } from "../version.js";
import { AUDIT_RESTORED_ACTION } from "./audit-verify.js";
import { createAuditLog, type AuditActor } from "./audit-log.js";
import { keyProviderFor } from "./vault.js";

type VaultConfig = Pick<ServerConfig, "dataDir" | "databaseUrl" | "masterKey">;

export interface BackupOptions {
  readonly config: VaultConfig;
  /** The environment PostgreSQL's tools run in (PATH, PG* variables), as the CLI was given it. */
  readonly env: ToolEnvironment;
  readonly postgresSchema?: string;
  readonly file: string;
  readonly clock: Clock;
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly manifest: Pick<BackupManifest, "auditHead" | "migrations" | "createdAt">;
  readonly database: string;
}

const DATABASE_PART = "database";
const CHECKPOINTS_PART = "audit-checkpoints.jsonl";
const MARKS_PART = "hotp-marks.jsonl";
/** Users' TOTP (RFC 6238) time step: the step a restore moves every last accepted step up to. */
const TOTP_STEP_MS = 30_000;

const targetOf = (config: VaultConfig, postgresSchema: string | undefined): DatabaseTarget => ({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  ...(postgresSchema === undefined ? {} : { postgresSchema }),
});

const describe = (config: VaultConfig): string => (config.databaseUrl === undefined ? `SQLite file ${path.join(config.dataDir, "watchword.db")}` : `PostgreSQL ${describeDatabaseUrl(config.databaseUrl)}`);

/** The files beside the database that go into the backup, where they exist. */
function sidecarParts(dataDir: string): PartSource[] {
  return [
    { name: CHECKPOINTS_PART, file: checkpointFileIn(dataDir) },
    { name: MARKS_PART, file: hotpMarkFileIn(dataDir) },
  ].filter((part) => existsSync(part.file));
}

/**
 * pg_dump writes the copy beside the backup file itself, so a full or read-only disk there is
 * told only in pg_dump's own words ("could not write to output file: No space left on device"):
 * that is the same refusal as the SQLite copy's, with the errno its words name.
 */
function unwritableDump(error: unknown, file: string): Error | undefined {
  if (!isWatchwordError(error) || error.key !== "backup_tool_failed") return undefined;
  const said = String(error.problemText?.params.reason ?? "");
  if (!/could not (write to|open|close) output file/i.test(said)) return undefined;
  const reason = /No space left on device/i.test(said) ? "ENOSPC" : /Read-only file system/i.test(said) ? "EROFS" : /Permission denied/i.test(said) ? "EACCES" : "unknown error";
  return unavailable(problem("backup_file_unwritable", { file, reason }));
}

export async function backupVault(options: BackupOptions): Promise<BackupResult> {
  const { config, clock } = options;
  const file = path.resolve(options.file);
  const target = targetOf(config, options.postgresSchema);
  const database = describe(config);
  const absent = absentDatabase(target);
  if (absent !== undefined) throw unavailable(problem("backup_database_missing", { database: absent }));
  if (existsSync(file)) throw invalidInput(problem("backup_file_exists", { file }), "file");
  // The copy is made beside the backup file: a directory that cannot hold it fails here, before anything is written.
  let workDir: string;
  try {
    workDir = await mkdtemp(path.join(path.dirname(file), `.${path.basename(file)}.work-`));
  } catch (error) {
    throw unavailable(problem("backup_file_unwritable", { file, reason: (error as NodeJS.ErrnoException).code ?? "unknown error" }));
  }
  try {
    let copy = path.join(workDir, DATABASE_PART);
    let facts;
    if (config.databaseUrl === undefined) {
      // Copied under the name openDatabase gives the file, so the manifest's facts are read from the copy itself.
      copy = path.join(workDir, "watchword.db");
      try {
        await copySqliteDatabase(config.dataDir, copy);
        const connection = openDatabase({ databaseUrl: undefined, dataDir: workDir });
        try {
          facts = await readBackupFacts(connection.db);
        } finally {
          await connection.close();
        }
      } catch (error) {
        // The copy is written beside the backup file: a full or read-only disk there fails here, as the file itself would.
        if (isWatchwordError(error)) throw error;
        const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : "unknown error";
        throw unavailable(problem("backup_file_unwritable", { file, reason: code }));
      }
    } else {
      const connection = openDatabase(target);
      try {
        facts = await dumpPostgresSchema(connection.db, config.databaseUrl, copy, options.env);
      } catch (error) {
        throw unwritableDump(error, file) ?? error;
      } finally {
        await connection.close();
      }
    }
    const createdAt = new Date(clock.now()).toISOString();
    const bytes = await writeBackupFile(
      file,
      { watchword: packageVersion(), dialect: config.databaseUrl === undefined ? "sqlite" : "postgres", migrations: facts.migrations, createdAt, auditHead: facts.auditHead, dataKeys: facts.dataKeys },
      [{ name: DATABASE_PART, file: copy }, ...sidecarParts(config.dataDir)],
    );
    return { file, bytes, manifest: { auditHead: facts.auditHead, migrations: facts.migrations, createdAt }, database };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export interface RestoreOptions {
  readonly config: VaultConfig;
  readonly env: ToolEnvironment;
  readonly postgresSchema?: string;
  readonly file: string;
  readonly clock: Clock;
  readonly actor: AuditActor;
  /** Other nodes' mark files (`--hotp-marks`), read as well as this data directory's. */
  readonly markFiles?: readonly string[];
  /** Sentences for the operator on the way (a warning). */
  readonly say?: (line: string) => void;
}

export interface RestoreResult {
  readonly file: string;
  readonly database: string;
  readonly createdAt: string;
  readonly countersAdvanced: number;
  readonly stepsAdvanced: number;
  readonly restoredSeq: number;
}

/** The backup's data keys must open under this vault's key: another vault's backup is refused before anything changes. */
async function checkKeyOpens(config: VaultConfig, manifest: BackupManifest, file: string, now: () => number): Promise<void> {
  const provider = keyProviderFor(config);
  let keyring: Keyring;
  try {
    keyring = await openKeyring({
      provider,
      dataKeys: {
        listDataKeys: async () => manifest.dataKeys.map((key) => ({ ...key, wrappedKey: Buffer.from(key.wrappedKey, "base64") })),
        insertDataKey: async () => {
          throw sealed(problem("restore_other_vault", { file, key: provider.description }));
        },
      },
      now,
    });
  } catch (error) {
    if (isWatchwordError(error) && error.key === "key_mismatch") throw sealed(problem("restore_other_vault", { file, key: provider.description }));
    throw error;
  }
  keyring.destroy();
}

function mergeMarks(into: Map<string, HotpMark>, from: Map<string, HotpMark>): void {
  for (const [key, mark] of from) if ((into.get(key)?.mark ?? -1) < mark.mark) into.set(markKey(mark.entryId, mark.seedUpdatedAt), mark);
}

interface Prepared {
  readonly head: AuditHead;
  readonly keyId: string;
  readonly countersAdvanced: number;
  readonly stepsAdvanced: number;
}

/**
 * Makes the database just put back safe to serve: migrations, counters to their marks, users'
 * last steps to now, and the `audit.restored` event, chained on from the backup's head.
 */
async function prepareRestored(target: DatabaseTarget, options: RestoreOptions, manifest: BackupManifest, marks: Map<string, HotpMark>, schema: string | undefined): Promise<Prepared> {
  const { config, clock } = options;
  const connection = openDatabase(target);
  const store = createStore(connection);
  let keyring: Keyring | undefined;
  try {
    keyring = await openKeyring({ provider: keyProviderFor(config), dataKeys: store.dataKeys, now: () => clock.now() });
    await store.migrate();
    store.linkAuditChainWith(keyring.auditKey.link);
    const now = clock.now();
    const { countersAdvanced, stepsAdvanced } = await connection.db.transaction().execute(async (trx) => ({
      countersAdvanced: await advanceHotpCounters(trx, marks.values()),
      stepsAdvanced: await advanceTotpLastSteps(trx, Math.floor(now / TOTP_STEP_MS), schema),
    }));
    await connection.durable();
    let head: AuditHead | undefined;
    const auditLog = createAuditLog({ store, clock, onCommitted: (committed) => (head = committed) });
    await auditLog.commit(options.actor, {
      events: () => [
        {
          action: AUDIT_RESTORED_ACTION,
          target: { type: "vault", id: "vault", name: path.basename(options.file) },
          details: {
            backupCreatedAt: manifest.createdAt,
            backupHeadSeq: manifest.auditHead.seq,
            backupHeadLink: manifest.auditHead.link,
            backupWatchword: manifest.watchword,
            hotpCountersAdvanced: countersAdvanced,
            totpStepsAdvanced: stepsAdvanced,
          },
        },
      ],
    });
    if (head === undefined) throw unavailable(problem("audit_failed"));
    return { head, keyId: keyring.auditKey.keyId, countersAdvanced, stepsAdvanced };
  } finally {
    keyring?.destroy();
    await store.close();
  }
}

export async function restoreVault(options: RestoreOptions): Promise<RestoreResult> {
  const { config, clock } = options;
  const opened = await openBackupFile(options.file);
  const { manifest } = opened;
  const file = opened.file;
  const dialect = config.databaseUrl === undefined ? "sqlite" : "postgres";
  if (manifest.dialect !== dialect) throw invalidInput(problem("restore_file_other_dialect", { file, dialect: manifest.dialect === "sqlite" ? "SQLite" : "PostgreSQL", target: dialect === "sqlite" ? "SQLite" : "PostgreSQL" }), "file");
  const unknown = manifest.migrations.find((name) => !Object.hasOwn(migrations, name));
  if (unknown !== undefined) throw invalidInput(problem("restore_file_newer_schema", { file, schema: unknown.slice(0, 60) }), "file");
  if (!manifest.parts.some((part) => part.name === DATABASE_PART)) throw invalidInput(problem("restore_file_foreign", { file }), "file");
  await checkKeyOpens(config, manifest, file, () => clock.now());

  const target = targetOf(config, options.postgresSchema);
  const database = describe(config);
  const workDir = await mkdtemp(path.join(os.tmpdir(), "watchword-restore-"));
  try {
    // Every mark that may cover a code handed out since the backup: this data directory's, the other nodes' given, the backup's own.
    const marks = await readHotpMarks(hotpMarkFileIn(config.dataDir));
    for (const extra of options.markFiles ?? []) {
      if (!existsSync(extra)) throw invalidInput(problem("restore_file_unreadable", { file: path.resolve(extra), reason: "ENOENT" }), "hotp-marks");
      mergeMarks(marks, await readHotpMarks(extra));
    }
    if (manifest.parts.some((part) => part.name === MARKS_PART)) {
      await opened.extractPart(MARKS_PART, path.join(workDir, MARKS_PART));
      mergeMarks(marks, await readHotpMarks(path.join(workDir, MARKS_PART)));
    }
    if (marks.size === 0) options.say?.(`Warning: ${renderSentence(problem("restore_marks_missing", { file: hotpMarkFileIn(config.dataDir) }))}`);

    let prepared: Prepared;
    if (config.databaseUrl === undefined) {
      const hold = holdSqliteExclusively(config.dataDir);
      const staging = await makeStagingDirectory(config.dataDir);
      try {
        const staged = path.join(staging, "watchword.db");
        await opened.extractPart(DATABASE_PART, staged);
        const damage = checkSqliteFile(staged);
        if (damage !== undefined) throw invalidInput(problem("restore_file_damaged", { file }), "file");
        prepared = await prepareRestored({ databaseUrl: undefined, dataDir: staging }, options, manifest, marks, undefined);
        if (hold === undefined) await placeSqliteFile(staged, config.dataDir);
        else await hold.replaceWith(staged);
      } finally {
        hold?.release();
        await rm(staging, { recursive: true, force: true });
      }
    } else {
      const url = config.databaseUrl;
      const connection = openDatabase(target);
      try {
        prepared = await withPostgresHeldExclusively(connection.db, database, async () => {
          const dump = path.join(workDir, DATABASE_PART);
          await opened.extractPart(DATABASE_PART, dump);
          const schema = await currentSchema(connection.db);
          const swapped = await restorePostgresSchema(connection.db, url, schema, dump, workDir, options.env);
          try {
            const result = await prepareRestored(target, options, manifest, marks, schema);
            await swapped.commit();
            return result;
          } catch (error) {
            await swapped.rollback();
            throw error;
          }
        });
      } finally {
        await connection.close();
      }
    }

    // The checkpoint file: the backup's, on a machine that has none; then the new head, which vouches for the restore event.
    const checkpoints = checkpointFileIn(config.dataDir);
    if (!existsSync(checkpoints) && manifest.parts.some((part) => part.name === CHECKPOINTS_PART)) await opened.extractPart(CHECKPOINTS_PART, checkpoints);
    const writer = createAuditCheckpointWriter(checkpoints);
    try {
      await writer.append({ seq: prepared.head.seq, link: prepared.head.link, at: clock.now(), keyedFrom: prepared.head.keyedFrom, keyId: prepared.keyId });
    } finally {
      await writer.close();
    }
    return { file, database, createdAt: manifest.createdAt, countersAdvanced: prepared.countersAdvanced, stepsAdvanced: prepared.stepsAdvanced, restoredSeq: prepared.head.seq };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
