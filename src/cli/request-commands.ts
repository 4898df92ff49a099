// `watchword request`, `watchword requests`, `watchword approve` and `watchword deny`: ask for
// access to an entry for a while, see one's requests or those waiting for one's approval, and
// decide on them, over the HTTP API.
import { Option, type Command } from "commander";
import type { AccessRequest, RequestPermission } from "../contract/access-requests.js";
import { invalidInput, problem } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";
import { findEntry } from "./name-lookup.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, printable } from "./text-output.js";

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * "30m", "8h", "7d" (or "90s") in seconds. Written here rather than taken from a library: one
 * number and one unit is the whole grammar, and the server checks the bounds (5 minutes–30 days).
 */
export function parseDuration(text: string): number {
  const match = /^(\d{1,9})([smhd])$/.exec(text.trim().toLowerCase());
  if (match === null) throw invalidInput(problem("duration_invalid", { value: printable(text).slice(0, 40) }), "duration");
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}

/** 5400 → "1h30m"; 86400 → "1d". */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let left = seconds;
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    if (left >= size) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
  }
  return parts.join("") || "0s";
}

function requestRows(requests: readonly AccessRequest[]): string[] {
  return formatTable(
    [{ header: "Id" }, { header: "Status" }, { header: "Entry", maxWidth: 32 }, { header: "Permission" }, { header: "Duration" }, { header: "Requester", maxWidth: 24 }, { header: "Approvals" }, { header: "Reason", maxWidth: 48 }],
    requests.map((r) => [
      r.id,
      r.emergency ? `${r.status} (emergency)` : r.status,
      printable(r.target.kind === "folder" ? `${r.target.name}/` : r.target.name),
      r.permission,
      formatDuration(r.durationSeconds),
      printable(r.requester.username),
      `${r.approvals}/${r.approvalsRequired}`,
      printable(r.reason),
    ]),
  );
}

interface RequestFlags extends ConnectionFlags, JsonFlag {
  duration: string;
  reason: string;
  permission?: RequestPermission;
}

async function requestAccess(reference: string, flags: RequestFlags, io: ClientIo): Promise<void> {
  const durationSeconds = parseDuration(flags.duration);
  const { client } = await connect(flags, io.env);
  const entry = findEntry((await client.listAllEntries()).entries, reference);
  const asked = await client.requestAccess({ entryId: entry.id, permission: flags.permission ?? "use", durationSeconds, reason: flags.reason });
  io.stdout(flags.json === true ? toJson(asked) : `Asked for ${asked.permission} of "${printable(asked.target.name)}" for ${formatDuration(asked.durationSeconds)}: request ${asked.id}, waiting for ${asked.approvalsRequired === 1 ? "one approval" : `${asked.approvalsRequired} approvals`}.`);
}

async function listRequests(flags: ConnectionFlags & JsonFlag & { toApprove?: boolean }, io: ClientIo): Promise<void> {
  const { client } = await connect(flags, io.env);
  const list = await client.listAccessRequests(flags.toApprove === true ? "to-approve" : "mine");
  if (flags.json === true) {
    io.stdout(toJson(list));
    return;
  }
  if (list.requests.length === 0) {
    io.stdout(flags.toApprove === true ? "Nothing waits for your approval." : "You have no access requests: ask with `watchword request ENTRY --duration 1h --reason TEXT`.");
    return;
  }
  for (const line of requestRows(list.requests)) io.stdout(line);
}

interface DecideFlags extends ConnectionFlags, JsonFlag {
  comment?: string;
  duration?: string;
}

function decisionLine(decided: AccessRequest): string {
  if (decided.status === "approved") return `Approved: ${decided.requester.username} may ${decided.permission} "${printable(decided.target.name)}" until ${decided.grant?.expiresAt ?? "?"}.`;
  if (decided.status === "denied") return `Denied: ${decided.requester.username} was told.`;
  return `Approval recorded: ${decided.approvals} of ${decided.approvalsRequired}.`;
}

async function decide(kind: "approve" | "deny", id: string, flags: DecideFlags, io: ClientIo): Promise<void> {
  const durationSeconds = flags.duration === undefined ? undefined : parseDuration(flags.duration);
  const { client } = await connect(flags, io.env);
  const comment = flags.comment === undefined ? {} : { comment: flags.comment };
  const decided = kind === "approve" ? await client.approveAccessRequest(id, { ...comment, ...(durationSeconds === undefined ? {} : { durationSeconds }) }) : await client.denyAccessRequest(id, comment);
  io.stdout(flags.json === true ? toJson(decided) : decisionLine(decided));
}

export function registerRequestCommands(program: Command, io: ClientIo): void {
  addClientOptions(
    program
      .command("request <entry>")
      .description("ask for access to an entry (its name or id) for a while; approvers are told")
      .requiredOption("--duration <duration>", "how long, e.g. 30m, 8h or 7d (5 minutes to 30 days)")
      .requiredOption("--reason <text>", "why: shown to approvers and kept in the audit log")
      .addOption(new Option("--permission <permission>", "use (get codes) or recover (reveal a recovery code)").choices(["use", "recover"]).default("use")),
  )
    .addHelpText("after", '\nExamples:\n  $ watchword request "AWS root" --duration 1h --reason "Rotate root keys, OPS-1234"')
    .action((reference: string, flags: RequestFlags) => requestAccess(reference, flags, io));

  addClientOptions(program.command("requests").description("list your access requests, or with --to-approve those waiting for your approval").option("--to-approve", "the requests you may approve or deny"))
    .addHelpText("after", "\nExamples:\n  $ watchword requests\n  $ watchword requests --to-approve --json | jq -r '.requests[].id'")
    .action((flags: ConnectionFlags & JsonFlag & { toApprove?: boolean }) => listRequests(flags, io));

  addClientOptions(
    program
      .command("approve <id>")
      .description("approve an access request; the last approval needed gives a grant that expires by itself")
      .option("--comment <text>", "shown to the requester and kept in the audit log")
      .option("--duration <duration>", "shorten the access, e.g. 30m"),
  ).action((id: string, flags: DecideFlags) => decide("approve", id, flags, io));

  addClientOptions(program.command("deny <id>").description("deny an access request").option("--comment <text>", "shown to the requester and kept in the audit log")).action((id: string, flags: DecideFlags) =>
    decide("deny", id, flags, io),
  );
}
