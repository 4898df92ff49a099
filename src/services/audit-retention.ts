// The server's own retention of the audit log: with WATCHWORD_AUDIT_RETENTION set, each node
// archives the events older than that age (services/audit-archive.ts) into a new JSON Lines file
// of WATCHWORD_AUDIT_ARCHIVE_DIR, a minute after start and then at every interval. Nodes that race
// are safe: the archive's deleting transaction refuses the second one (audit_archive_moved), whose
// file, holding only events the first one archived, is removed.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { isWatchwordError } from "../core/errors.js";
import { packageVersion } from "../version.js";
import { archiveAuditLog, parseArchiveBefore, type AuditArchiveResult, type AuditArchiver } from "./audit-archive.js";
import type { LocalOperator } from "./audit-log.js";

export interface AuditRetentionOptions {
  /** An age such as 365d or 12h (config.ts checked it). */
  readonly retention: string;
  readonly directory: string;
  readonly intervalMs: number;
  /** The wait before the first run (a minute: start-up is not slowed by it). */
  readonly firstRunMs: number;
  readonly onArchived: (result: AuditArchiveResult) => void;
  readonly onError: (error: unknown) => void;
}

export interface AuditRetention {
  /** Waits for a run in progress, then runs no more. */
  stop(): Promise<void>;
}

/** Who the archive's audit event says acted: the server itself, on its own machine. */
const retentionActor = (): LocalOperator => ({
  kind: "local",
  userId: null,
  username: "watchword (retention)",
  origin: { ip: "local", userAgent: `watchword/${packageVersion()} (retention)`, channel: "cli" },
});

/** audit-20261201T093000Z.jsonl: one file a run, named by when it ran, so that files sort in order. */
const archiveFileName = (now: number): string => `audit-${new Date(now).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}.jsonl`;

export function startAuditRetention(archiver: AuditArchiver, options: AuditRetentionOptions): AuditRetention {
  let isStopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  async function runOnce(): Promise<void> {
    const now = archiver.now();
    const file = path.join(options.directory, archiveFileName(now));
    try {
      await mkdir(options.directory, { recursive: true, mode: 0o700 });
      const result = await archiveAuditLog(archiver, { before: parseArchiveBefore(options.retention, now, "WATCHWORD_AUDIT_RETENTION"), file, actor: retentionActor() });
      if (result.count > 0) options.onArchived(result);
    } catch (error) {
      if (isWatchwordError(error) && error.key === "audit_archive_moved") {
        // Another node archived these events first, in its own file: this copy would only repeat them.
        await rm(file, { force: true });
        return;
      }
      options.onError(error);
    }
  }

  function schedule(delayMs: number): void {
    if (isStopped) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => schedule(options.intervalMs));
    }, delayMs);
    timer.unref();
  }
  schedule(options.firstRunMs);

  return {
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
