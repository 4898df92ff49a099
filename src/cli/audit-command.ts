// `watchword audit verify`: a local verb (like `user unlock`) that checks the audit chain on the
// store directly, whether or not the server runs, against the checkpoint file outside the database.
import type { Command } from "commander";
import type { AuditEventView, AuditExportQuery } from "../contract/audit.js";
import { loadServerConfig, type ServerFlags } from "../config.js";
import { invalidInput, problem, WatchwordError } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import type { ClientIo } from "./client-io.js";
import { registerAuditDestinationsCommand } from "./audit-destinations-command.js";
import { parseDuration } from "./duration.js";
import { findEntry } from "./name-lookup.js";
import { addClientOptions, connect, type ConnectionFlags } from "./server-connection.js";
import { formatTable, printable } from "./text-output.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;
const RELATIVE = /^[0-9]+[a-z]$/i;
/** The most events the table shows unless --limit says otherwise. */
const TABLE_DEFAULT = 50;
const TABLE_MAX = 100_000;

/** 2026-02-30 is no date, though Date.parse rolls it over to March. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * --since and --until: a date (midnight UTC), a date and time (UTC unless it names its zone), or a
 * duration back from now (24h, 7d, as cli/duration.ts reads them). Answers ISO-8601 in UTC.
 */
export function parseAuditTime(raw: string, field: "since" | "until", now: number): string {
  const text = raw.trim();
  const refuse = () => invalidInput(problem("cli_audit_time_invalid", { value: printable(raw.slice(0, 40)) }), field);
  let ms = NaN;
  if (RELATIVE.test(text)) {
    try {
      ms = now - parseDuration(text, field) * 1000;
    } catch {
      throw refuse();
    }
  } else if (DATE_ONLY.test(text)) {
    ms = Date.parse(`${text}T00:00:00Z`);
  } else {
    const match = DATE_TIME.exec(text);
    if (match !== null) ms = Date.parse(`${match[1]}T${match[2]}${match[3] ?? "Z"}`);
  }
  if (!Number.isFinite(ms) || (!RELATIVE.test(text) && !isCalendarDate(text.slice(0, 10)))) throw refuse();
  return new Date(ms).toISOString();
}

interface AuditListFlags extends ConnectionFlags {
  entry?: string;
  actor?: string;
  folder?: string;
  action?: string;
  outcome?: string;
  channel?: string;
  since?: string;
  until?: string;
  limit?: string;
  csv?: boolean;
  json?: boolean;
  jsonl?: boolean;
}

function eventRows(events: readonly AuditEventView[]): string[] {
  return formatTable(
    [{ header: "Time" }, { header: "Actor", maxWidth: 24 }, { header: "Action", maxWidth: 28 }, { header: "Outcome" }, { header: "Entry", maxWidth: 32 }, { header: "Via" }, { header: "Address", maxWidth: 39 }, { header: "Seq" }],
    events.map((event) => [
      event.at.replace("T", " ").replace(/\.\d{3}Z$/, "Z"),
      event.actor.type === "user" ? event.actor.name : `${event.actor.name} (${event.actor.type === "local" ? "local" : "service account"})`,
      event.action,
      event.outcome,
      event.entry?.name ?? "",
      event.channel,
      event.ip,
      String(event.seq),
    ]),
  );
}

async function listAudit(flags: AuditListFlags, io: ClientIo): Promise<void> {
  const formats = (["csv", "json", "jsonl"] as const).filter((format) => flags[format] === true);
  if (formats.length > 1) throw invalidInput(problem("cli_audit_format_conflict"), "format");
  const now = Date.now();
  const since = flags.since === undefined ? undefined : parseAuditTime(flags.since, "since", now);
  const until = flags.until === undefined ? undefined : parseAuditTime(flags.until, "until", now);
  let limit = TABLE_DEFAULT;
  if (flags.limit !== undefined) {
    limit = /^[0-9]{1,6}$/.test(flags.limit) ? Number(flags.limit) : NaN;
    if (!(limit >= 1 && limit <= TABLE_MAX)) throw invalidInput(problem("audit_limit_out_of_range", { max: TABLE_MAX }), "limit");
  }
  const { client } = await connect(flags, io.env);
  // An entry by name is looked up among those the caller sees; an id is passed as it is (auditors see no entries).
  const entry = flags.entry === undefined ? undefined : UUID.test(flags.entry) ? flags.entry : findEntry((await client.listAllEntries({ view: "all" })).entries, flags.entry).id;
  const filters = {
    actor: flags.actor,
    entry,
    folder: flags.folder,
    action: flags.action,
    outcome: flags.outcome as AuditExportQuery["outcome"],
    channel: flags.channel as AuditExportQuery["channel"],
    since,
    until,
  };
  const format = formats[0];
  if (format !== undefined) {
    // Streamed to standard output as it arrives, one line at a time (the lines of every format end in \n).
    let pending = "";
    for await (const piece of await client.exportAuditEvents({ ...filters, format })) {
      pending += piece;
      const end = pending.lastIndexOf("\n");
      if (end === -1) continue;
      for (const line of pending.slice(0, end).split("\n")) io.stdout(line);
      pending = pending.slice(end + 1);
    }
    if (pending !== "") io.stdout(pending);
    return;
  }
  const events: AuditEventView[] = [];
  let cursor: string | undefined;
  let hasMore = false;
  do {
    const page = await client.listAuditEvents({ ...filters, cursor, limit: String(Math.min(200, limit - events.length)) });
    events.push(...page.events);
    cursor = page.nextCursor ?? undefined;
    hasMore = cursor !== undefined;
  } while (hasMore && events.length < limit);
  if (events.length === 0) {
    io.stdout("No audit events match.");
    return;
  }
  for (const line of eventRows(events)) io.stdout(line);
  if (hasMore) io.stderr(`Showing the newest ${events.length}; more match: raise --limit, narrow the filters, or export them all with --csv, --json or --jsonl.`);
}

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
  const audit = addClientOptions(
    program
      .command("audit")
      .description("list the audit log, newest first, or export it (--csv, --json, --jsonl); `audit verify` checks its chain")
      .option("--entry <entry>", "events about this entry (a name or an id)")
      .option("--actor <actor>", "who acted: a username, a service account's name, or an id")
      .option("--folder <id>", "events about the entries in this folder (its id)")
      .option("--action <action>", "one action, e.g. code.issued")
      .option("--outcome <outcome>", "success, failure or denied")
      .option("--channel <channel>", "ui, api or cli")
      .option("--since <time>", "from this time: 2026-12-01, 2026-12-01T09:00Z, or back from now: 24h, 7d")
      .option("--until <time>", "before this time (the same forms)")
      .option("--limit <n>", `the most events the table shows (default ${TABLE_DEFAULT})`)
      .option("--csv", "export every matching event as CSV (RFC 4180), streamed")
      .option("--jsonl", "export every matching event as JSON Lines, streamed"),
  )
    .addHelpText(
      "after",
      "\nAdministrators and auditors. --json exports every matching event as one JSON array.\n\nExamples:\n  $ watchword audit --entry \"AWS root\" --since 7d\n  $ watchword audit --action code.issued --outcome denied --since 2026-11-01 --until 2026-12-01 --csv > denied.csv",
    )
    .action(async (flags: AuditListFlags) => listAudit(flags, io));
  registerAuditDestinationsCommand(audit, io);
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
    .action(async (flags: ServerFlags & { fromCheckpoint?: string; archive?: string; json?: boolean }, command: Command) => {
      // `audit` lists the log with a --json of its own, and commander gives it a --json written after `verify` too.
      const isJson = flags.json === true || command.optsWithGlobals<{ json?: boolean }>().json === true;
      const config = loadServerConfig(flags, io.env);
      if (flags.archive !== undefined) return verifyArchive(config, flags.archive, isJson, io);
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
      if (isJson) io.stdout(JSON.stringify({ intact: isIntact, eventsChecked, keyedFrom, headSeq, checkpointsChecked, brokenAt, finding, message }));
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
    .action(async (flags: ServerFlags & { before?: string; to: string; json?: boolean }, command: Command) => {
      const isJson = flags.json === true || command.optsWithGlobals<{ json?: boolean }>().json === true;
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
          { store: vault.store, auditLog, auditKey: vault.keyring.auditKey, checkpoints, now: () => systemClock.now(), siemDestinations: config.siem.map((destination) => destination.name) },
          { before: cutoff, file: flags.to, actor: localOperator() },
        );
      } finally {
        await checkpoints.close();
        await vault.close();
      }
      if (isJson) io.stdout(JSON.stringify(result));
      else if (result.count === 0) io.stdout(renderProblem(problem("audit_archive_nothing")));
      else io.stdout(renderProblem(problem("audit_archived", { count: result.count, first: result.firstSeq, last: result.throughSeq, file: result.file })));
    });
}
