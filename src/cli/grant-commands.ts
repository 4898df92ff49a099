// `watchword grant add|list|revoke`: who may do what with an entry or folder, until when. Names
// become ids as elsewhere in the CLI (name-lookup.ts); users by username, groups and service
// accounts by name, through the server's principal picker.
import type { Command } from "commander";
import type { WatchwordClient } from "../client/client.js";
import type { GrantPermission, GrantView, PrincipalKind } from "../contract/grants.js";
import { invalidInput, notFound, problem, type ProblemText } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";
import { parseDuration } from "./duration.js";
import { comparableName, findEntry, folderIdOf } from "./name-lookup.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, printable } from "./text-output.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERMISSIONS: readonly GrantPermission[] = ["use", "recover", "manage"];

interface ScopeFlags {
  entry?: string;
  folder?: string;
}

interface AddFlags extends ConnectionFlags, JsonFlag, ScopeFlags {
  user?: string;
  group?: string;
  serviceAccount?: string;
  permission: string;
  expires?: string;
}

interface ListFlags extends ConnectionFlags, JsonFlag, ScopeFlags {
  all?: boolean;
}

const UNKNOWN_NAME: Readonly<Record<PrincipalKind, (name: string) => ProblemText>> = {
  user: (name) => problem("cli_user_name_unknown", { name }),
  group: (name) => problem("cli_group_name_unknown", { name }),
  service_account: (name) => problem("cli_service_account_name_unknown", { name }),
};

const KIND_LABELS: Readonly<Record<PrincipalKind, string>> = { user: "user", group: "group", service_account: "service account" };

/** The one principal the flags name: an id, or a username (users) or name (groups, service accounts) in any case. */
async function principalOf(client: WatchwordClient, flags: AddFlags): Promise<{ kind: PrincipalKind; id: string }> {
  const given = (
    [
      ["user", flags.user],
      ["group", flags.group],
      ["service_account", flags.serviceAccount],
    ] as const
  ).filter((pair): pair is readonly [PrincipalKind, string] => pair[1] !== undefined);
  const [first] = given;
  if (first === undefined || given.length > 1) throw invalidInput(problem("cli_grant_principal_required"), "user");
  const [kind, reference] = first;
  const wanted = reference.trim();
  if (UUID.test(wanted)) return { kind, id: wanted.toLowerCase() };
  const { principals } = await client.findPrincipals({ q: wanted.slice(0, 100), kind });
  const key = comparableName(wanted);
  const match = principals.find((p) => comparableName(kind === "user" ? (p.detail ?? p.name) : p.name) === key);
  if (match === undefined) throw notFound(UNKNOWN_NAME[kind](printable(wanted.slice(0, 80))));
  return { kind, id: match.id };
}

/** The entry or folder the flags name, exactly one of them. */
async function scopeOf(client: WatchwordClient, flags: ScopeFlags): Promise<{ kind: "entry" | "folder"; id: string } | undefined> {
  if (flags.entry !== undefined && flags.folder !== undefined) throw invalidInput(problem("cli_grant_scope_one"), "entry");
  // "all": administrators name any entry, not only their own; for others it is their own view.
  if (flags.entry !== undefined) return { kind: "entry", id: findEntry((await client.listAllEntries({ view: "all" })).entries, flags.entry).id };
  if (flags.folder !== undefined) return { kind: "folder", id: (await folderIdOf(client, flags.folder))! };
  return undefined;
}

const principalLabel = (g: GrantView): string => `${g.principal.kind === "user" && g.principal.detail !== null ? g.principal.detail : g.principal.name} (${KIND_LABELS[g.principal.kind]})`;
const untilText = (expiresAt: string | null): string => (expiresAt === null ? "until revoked" : `until ${expiresAt}`);

async function addGrant(flags: AddFlags, io: ClientIo): Promise<void> {
  const permission = flags.permission.trim().toLowerCase() as GrantPermission;
  if (!PERMISSIONS.includes(permission)) throw invalidInput(problem("cli_grant_permission_invalid", { value: printable(flags.permission.slice(0, 40)) }), "permission");
  const durationSeconds = flags.expires === undefined ? undefined : parseDuration(flags.expires, "expires");
  const { client } = await connect(flags, io.env);
  const principal = await principalOf(client, flags);
  const scope = await scopeOf(client, flags);
  if (scope === undefined) throw invalidInput(problem("cli_grant_scope_required"), "entry");
  const grant = await client.createGrant({ principal, scope, permission, ...(durationSeconds === undefined ? {} : { durationSeconds }) });
  if (flags.json === true) {
    io.stdout(toJson(grant));
    return;
  }
  io.stdout(`Granted ${grant.permission} of the ${grant.scope.kind} "${printable(grant.scope.name)}" to ${printable(principalLabel(grant))} ${untilText(grant.expiresAt)} (grant ${grant.id}).`);
}

async function listGrants(flags: ListFlags, io: ClientIo): Promise<void> {
  const { client } = await connect(flags, io.env);
  const scope = await scopeOf(client, flags);
  const reply = await client.listGrants({
    ...(scope?.kind === "entry" ? { entryId: scope.id } : {}),
    ...(scope?.kind === "folder" ? { folderId: scope.id } : {}),
    ...(flags.all === true ? { includeRevoked: "true" as const } : {}),
  });
  if (flags.json === true) {
    io.stdout(toJson(reply));
    return;
  }
  if (reply.grants.length === 0) {
    io.stdout("No grants: add one with `watchword grant add --user NAME --entry ENTRY --permission use`.");
    return;
  }
  const rows = formatTable(
    [{ header: "Principal", maxWidth: 40 }, { header: "Permission" }, { header: "On", maxWidth: 40 }, { header: "State" }, { header: "Expires" }, { header: "Granted by", maxWidth: 24 }, { header: "Id" }],
    reply.grants.map((g) => [principalLabel(g), g.permission, `${g.scope.kind} ${g.scope.name}`, g.state, g.expiresAt ?? "never", g.grantedBy?.name ?? "", g.id]),
  );
  for (const line of rows) io.stdout(line);
}

async function revokeGrant(id: string, flags: ConnectionFlags & JsonFlag, io: ClientIo): Promise<void> {
  const { client } = await connect(flags, io.env);
  await client.revokeGrant(id.trim());
  io.stdout(flags.json === true ? toJson({ revoked: id.trim() }) : `Revoked grant ${printable(id.trim())}.`);
}

export function registerGrantCommands(program: Command, io: ClientIo): void {
  const grant = program.command("grant").description("grant users, groups and service accounts access to entries and folders");

  addClientOptions(
    grant
      .command("add")
      .description("grant a permission on an entry or folder, optionally for a while")
      .option("--user <username>", "a user, by username or id")
      .option("--group <name>", "a group, by name or id")
      .option("--service-account <name>", "a service account, by name or id")
      .option("--entry <entry>", "an entry, by name or id")
      .option("--folder <folder>", "a folder, by name or id")
      .requiredOption("--permission <permission>", "use (get codes), recover (reveal a recovery code) or manage (edit, grant others)")
      .option("--expires <duration>", "ends after this long: 30m, 8h, 7d, 2w (default: until revoked)"),
  )
    .addHelpText("after", '\nExamples:\n  $ watchword grant add --user bob --entry "AWS root" --permission use --expires 8h\n  $ watchword grant add --group Platform --folder "Cloud roots" --permission manage')
    .action((flags: AddFlags) => addGrant(flags, io));

  addClientOptions(
    grant
      .command("list")
      .description("list the grants of an entry (its folder's too) or a folder; every grant for administrators")
      .option("--entry <entry>", "an entry, by name or id")
      .option("--folder <folder>", "a folder, by name or id")
      .option("--all", "revoked grants too"),
  )
    .addHelpText("after", '\nExamples:\n  $ watchword grant list --entry "AWS root"\n  $ watchword grant list --folder Finance --json')
    .action((flags: ListFlags) => listGrants(flags, io));

  addClientOptions(grant.command("revoke <id>").description("revoke a grant: it denies at the very next request"))
    .addHelpText("after", "\nExample:\n  $ watchword grant revoke 2f3e4d5c-6b7a-4898-a7b6-c5d4e3f2a1b0")
    .action((id: string, flags: ConnectionFlags & JsonFlag) => revokeGrant(id, flags, io));
}
