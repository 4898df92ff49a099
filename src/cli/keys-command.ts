// `watchword keys rotate`: a local verb, on the store and the key provider directly, run while
// servers keep serving. Progress goes to standard error (one line redrawn on a terminal, a line
// per tenth otherwise); the result goes to standard output.
import type { Command } from "commander";
import { loadServerConfig, type ServerFlags } from "../config.js";
import { systemClock } from "../core/clock.js";
import type { RotationProgress } from "../crypto/key-rotation.js";
import type { ClientIo } from "./client-io.js";
import { addLocalStoreOptions, localOperator } from "./local-commands.js";

export function registerKeysCommands(program: Command, io: ClientIo): void {
  const keys = program.command("keys").description("the vault's key-encryption key");
  addLocalStoreOptions(
    keys
      .command("rotate")
      .description(
        "re-wrap every data key under a new key-encryption key while servers keep serving; run it again to finish one that was stopped, then the old key is retired",
      ),
  ).action(async (flags: ServerFlags) => {
    const config = loadServerConfig(flags, io.env);
    const [{ openVault }, { rotateKeys }, { createAuditLog }] = await Promise.all([
      import("../services/vault.js"),
      import("../services/key-rotation.js"),
      import("../services/audit-log.js"),
    ]);
    const vault = await openVault({ config });
    try {
      for (const warning of vault.warnings) io.stderr(`Warning: ${warning}`);
      const auditLog = createAuditLog({ store: vault.store, clock: systemClock });
      const started = Date.now();
      const progress = progressReporter(io);
      const result = await rotateKeys({
        provider: vault.provider,
        store: vault.store,
        auditLog,
        operator: localOperator(),
        onPlan: (plan) =>
          io.stderr(
            plan.isResumed
              ? `Finishing the rotation onto key id ${plan.toKekId} (${plan.toKey}) from ${plan.fromKekIds.join(", ")}.`
              : `Rotating from key id ${plan.fromKekIds.join(", ")} to a new key, id ${plan.toKekId} (${plan.toKey}).`,
          ),
        onProgress: progress.update,
      });
      progress.end();
      const seconds = (Date.now() - started) / 1000;
      // The rate counts the rows this run moved: a run finishing a stopped one moves only the rest.
      const rate = seconds > 0 ? Math.round(result.rewrapped / seconds) : result.rewrapped;
      io.stdout(
        `Rotated ${result.plan.dataKeys} data key${result.plan.dataKeys === 1 ? "" : "s"} to key id ${result.plan.toKekId} in ${seconds.toFixed(2)} s ` +
          `(${result.rewrapped} re-wrapped by this run, ${rate} per second).`,
      );
      for (const retired of result.retired) io.stdout(`Retired key id ${retired.kekId}: ${retired.where} (keep it while backups from before this rotation may be restored).`);
    } finally {
      await vault.close();
    }
  });
}

/** On a terminal, one line redrawn in place; elsewhere (a log), a line at each tenth. */
function progressReporter(io: ClientIo): { update(progress: RotationProgress): void; end(): void } {
  let lastTenth = -1;
  let isDrawn = false;
  const line = ({ done, total }: RotationProgress) => `Re-wrapped ${done} of ${total} data keys (${total === 0 ? 100 : Math.floor((done * 100) / total)} %)`;
  return {
    update(progress) {
      if (io.progress !== undefined) {
        io.progress(line(progress));
        isDrawn = true;
        return;
      }
      const tenth = progress.total === 0 ? 10 : Math.floor((progress.done * 10) / progress.total);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      io.stderr(`${line(progress)}.`);
    },
    end() {
      if (isDrawn) io.progress?.("\n");
    },
  };
}
