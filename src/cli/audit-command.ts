// `watchword audit verify`: a local verb (like `user unlock`) that checks the audit chain on the
// store directly, whether or not the server runs, against the checkpoint file outside the database.
import type { Command } from "commander";
import { loadServerConfig, type ServerFlags } from "../config.js";
import { problem, WatchwordError } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import type { ClientIo } from "./client-io.js";
import { registerAuditDestinationsCommand } from "./audit-destinations-command.js";

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
  registerAuditDestinationsCommand(audit, io);
  audit
    .command("verify")
    .description("check the whole audit chain and its checkpoints; exit 1 and name the first bad event on any break")
    .option("--from-checkpoint <file>", "the checkpoint file to check against (default: audit-checkpoints.jsonl in the data directory)")
    .option("--data-dir <dir>", "where the SQLite file, key file and checkpoint file live (env WATCHWORD_DATA_DIR)", undefined)
    .option("--database-url <url>", "postgres://… to use PostgreSQL instead of SQLite (env DATABASE_URL)", undefined)
    .option("--json", "print the result as JSON (the reply of POST /api/v1/audit/verify)")
    .addHelpText("after", "\nWorks on the store directly, whether or not the server is running.\n\nExample:\n  $ watchword audit verify --data-dir /var/lib/watchword")
    .action(async (flags: ServerFlags & { fromCheckpoint?: string; json?: boolean }) => {
      const config = loadServerConfig(flags, io.env);
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
