// `watchword audit verify`: a local verb (like `user unlock`) that checks the audit chain on the
// store directly, whether or not the server runs, against the checkpoint file outside the database.
import type { Command } from "commander";
import { loadServerConfig, type ServerFlags } from "../config.js";
import { invalidInput, problem, WatchwordError } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import type { ClientIo } from "./client-io.js";

/** Redraws one progress line on a terminal, at most every 100 ms. */
function progressLine(stream: NodeJS.WriteStream): { show(checked: number, total: number): void; clear(): void } {
  let shownAt = 0;
  let isShown = false;
  return {
    show(checked, total) {
      const now = performance.now();
      if (now - shownAt < 100) return;
      shownAt = now;
      isShown = true;
      const percent = total === 0 ? 100 : Math.floor((checked / total) * 100);
      stream.write(`\r${renderProblem(problem("audit_verify_progress", { percent, checked, total }))}\u001b[K`);
    },
    clear() {
      if (isShown) stream.write("\r\u001b[K");
    },
  };
}

export function registerAuditCommands(program: Command, io: ClientIo): void {
  const audit = program.command("audit").description("the audit log");
  registerAuditArchiveCommand(audit, io);
  audit
    .command("verify")
    .description("check the whole audit chain and its checkpoints; exit 1 and name the first bad event on any break")
    .option("--from-checkpoint <file>", "the checkpoint file to check against (default: audit-checkpoints.jsonl in the data directory)")
    .option("--data-dir <dir>", "where the SQLite file, key file and checkpoint file live (env WATCHWORD_DATA_DIR)", undefined)
    .option("--database-url <url>", "postgres://… to use PostgreSQL instead of SQLite (env DATABASE_URL)", undefined)
    .option("--archive <file>", "check an archive written by `watchword audit archive` instead: its events, its checkpoint and the live chain's start")
    .option("--json", "print the result as JSON (the reply of POST /api/v1/audit/verify)")
    .addHelpText("after", "\nWorks on the store directly, whether or not the server is running.\n\nExamples:\n  $ watchword audit verify --data-dir /var/lib/watchword\n  $ watchword audit verify --archive audit-2026-06.jsonl")
    .action(async (flags: ServerFlags & { fromCheckpoint?: string; archive?: string; json?: boolean }) => {
      const config = loadServerConfig(flags, io.env);
      if (flags.archive !== undefined) return verifyArchive(config, flags.archive, flags.json === true, io);
      const [{ openVault }, { verifyAuditLog }, { checkpointFileIn }, path] = await Promise.all([
        import("../services/vault.js"),
        import("../services/audit-verify.js"),
        import("../store/audit-checkpoint-file.js"),
        import("node:path"),
      ]);
      const vault = await openVault({ config });
      const progress = process.stderr.isTTY ? progressLine(process.stderr) : undefined;
      let verification;
      try {
        verification = await verifyAuditLog(
          {
            store: vault.store,
            auditKey: vault.keyring.auditKey,
            checkpointFile: flags.fromCheckpoint === undefined ? checkpointFileIn(config.dataDir) : path.resolve(flags.fromCheckpoint),
          },
          { isFileRequired: flags.fromCheckpoint !== undefined, ...(progress === undefined ? {} : { onProgress: progress.show }) },
        );
      } finally {
        progress?.clear();
        await vault.close();
      }
      const { isIntact, eventsChecked, keyedFrom, headSeq, checkpointsChecked, brokenAt, finding, message } = verification;
      if (flags.json === true) io.stdout(JSON.stringify({ intact: isIntact, eventsChecked, keyedFrom, headSeq, checkpointsChecked, brokenAt, finding, message }));
      else if (isIntact) io.stdout(message);
      // The one stderr line and exit code 1 (cli/errors.ts): damaged data, not the caller's mistake.
      if (!isIntact) throw new WatchwordError("internal", finding, { isDamagedData: true });
    });
}

async function verifyArchive(config: ReturnType<typeof loadServerConfig>, file: string, asJson: boolean, io: ClientIo): Promise<void> {
  const [{ openVault }, { verifyAuditArchive }, path] = await Promise.all([import("../services/vault.js"), import("../services/audit-archive.js"), import("node:path")]);
  const vault = await openVault({ config });
  let verification;
  try {
    verification = await verifyAuditArchive({ store: vault.store, auditKey: vault.keyring.auditKey }, path.resolve(file));
  } finally {
    await vault.close();
  }
  const { isIntact, eventsChecked, firstSeq, throughSeq, brokenAt, finding, message } = verification;
  if (asJson) io.stdout(JSON.stringify({ intact: isIntact, eventsChecked, firstSeq, throughSeq, brokenAt, finding, message }));
  else if (isIntact) io.stdout(message);
  if (!isIntact) throw new WatchwordError("internal", finding, { isDamagedData: true });
}

/** `watchword audit archive`: a local verb too; the age defaults to WATCHWORD_AUDIT_RETENTION. */
export function registerAuditArchiveCommand(audit: Command, io: ClientIo): void {
  audit
    .command("archive")
    .description("write the audit events older than an age to a JSON Lines file with its checkpoint, then delete them from the database")
    .option("--before <age|time>", "archive events older than this: 30d, 12h, or an ISO 8601 time (default: WATCHWORD_AUDIT_RETENTION)")
    .requiredOption("--to <file>", "the archive file to write (refused if it holds events already deleted)")
    .option("--data-dir <dir>", "where the SQLite file, key file and checkpoint file live (env WATCHWORD_DATA_DIR)", undefined)
    .option("--database-url <url>", "postgres://… to use PostgreSQL instead of SQLite (env DATABASE_URL)", undefined)
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nThe file is written and fsync'd before anything is deleted; the deletion, the chain's new start and an\n" +
        "audit.archived event commit in one transaction. Stopped half-way, run it again: nothing is lost.\n\n" +
        "Example:\n  $ watchword audit archive --before 365d --to /backups/audit-2026.jsonl",
    )
    .action(async (flags: ServerFlags & { before?: string; to: string; json?: boolean }) => {
      const config = loadServerConfig(flags, io.env);
      const before = flags.before ?? config.auditRetention;
      if (before === undefined) throw invalidInput(problem("audit_archive_before_invalid"), "before");
      const [{ openVault }, { archiveAuditLog, parseArchiveBefore }, { createAuditLog }, { checkpointFileIn, createAuditCheckpointWriter }, { localOperator }, { systemClock }] = await Promise.all([
        import("../services/vault.js"),
        import("../services/audit-archive.js"),
        import("../services/audit-log.js"),
        import("../store/audit-checkpoint-file.js"),
        import("./local-commands.js"),
        import("../core/clock.js"),
      ]);
      const cutoff = parseArchiveBefore(before, systemClock.now(), flags.before === undefined ? "WATCHWORD_AUDIT_RETENTION" : "before");
      const vault = await openVault({ config });
      const checkpoints = createAuditCheckpointWriter(checkpointFileIn(config.dataDir));
      let result;
      try {
        const auditLog = createAuditLog({ store: vault.store, clock: systemClock });
        result = await archiveAuditLog(
          { store: vault.store, auditLog, auditKey: vault.keyring.auditKey, checkpoints, now: () => systemClock.now() },
          { before: cutoff, file: flags.to, actor: localOperator() },
        );
      } finally {
        await checkpoints.close();
        await vault.close();
      }
      if (flags.json === true) io.stdout(JSON.stringify(result));
      else if (result.count === 0) io.stdout(renderProblem(problem("audit_archive_nothing")));
      else io.stdout(renderProblem(problem("audit_archived", { count: result.count, first: result.firstSeq, last: result.throughSeq, file: result.file })));
    });
}
