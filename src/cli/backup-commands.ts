// `watchword backup FILE` and `watchword restore FILE`: local verbs on the store directly. A backup
// runs while the server serves; a restore refuses while one does (services/backup.ts says how).
import type { Command } from "commander";
import { loadServerConfig, type ServerFlags } from "../config.js";
import { systemClock } from "../core/clock.js";
import { problem } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import type { ClientIo } from "./client-io.js";
import { addLocalStoreOptions, localOperator } from "./local-commands.js";

export function registerBackupCommands(program: Command, io: ClientIo): void {
  addLocalStoreOptions(
    program
      .command("backup <file>")
      .description("write a consistent copy of the vault's database to FILE, while the server runs (the key is not in it: back up the key file separately)"),
  ).action(async (file: string, flags: ServerFlags) => {
    const config = loadServerConfig(flags, io.env);
    const { backupVault } = await import("../services/backup.js");
    const result = await backupVault({ config, env: io.env, file, clock: systemClock });
    io.stdout(
      renderProblem(
        problem("backup_written", { database: result.database, file: result.file, bytes: result.bytes, seq: result.manifest.auditHead.seq, schema: result.manifest.migrations.at(-1) ?? "none" }),
      ),
    );
  });

  addLocalStoreOptions(
    program
      .command("restore <file>")
      .description("put a backup back in place of the vault's database (stop the server first); HOTP counters and TOTP steps only move forward")
      .option("--hotp-marks <file...>", "other nodes' hotp-marks.jsonl files, so their HOTP counters move past what they handed out"),
  ).action(async (file: string, flags: ServerFlags & { hotpMarks?: string[] }) => {
    const config = loadServerConfig(flags, io.env);
    const { restoreVault } = await import("../services/backup.js");
    const result = await restoreVault({ config, env: io.env, file, clock: systemClock, actor: localOperator(), markFiles: flags.hotpMarks ?? [], say: io.stderr });
    io.stdout(
      renderProblem(
        problem("restore_done", {
          file: result.file,
          createdAt: result.createdAt,
          database: result.database,
          counters: result.countersAdvanced,
          steps: result.stepsAdvanced,
          seq: result.restoredSeq,
        }),
      ),
    );
  });
}
