// `watchword service-account create|list|disable|enable` and `watchword token create|list|revoke`:
// administering the identities scripts use, over the API. A new token is printed once, alone on
// stdout (or as the API's reply with --json), so `TOKEN=$(watchword token create …)` works.
import { Option, type Command } from "commander";
import type { WatchwordClient } from "../client/client.js";
import type { ApiToken, ServiceAccount, TokenPermission } from "../contract/service-accounts.js";
import { invalidInput, notFound } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";
import { comparableName, findEntry, findFolder } from "./name-lookup.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, printable } from "./text-output.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * "30d", "12h", "90m", "2w" → seconds. By hand: four units and a number, where a library's
 * grammar ("1.5 hours", "-1d") would accept more than the server does.
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (match === null) throw invalidInput(`${flag} takes a duration such as 30d, 12h, 90m or 2w, not "${printable(text.slice(0, 40))}".`, flag);
  return (Number(match[1]) * UNIT_MS[match[2]!]!) / 1000;
}

async function findServiceAccount(client: WatchwordClient, reference: string): Promise<ServiceAccount> {
  const { serviceAccounts } = await client.listServiceAccounts();
  const wanted = reference.trim();
  const found = UUID.test(wanted) ? serviceAccounts.find((a) => a.id === wanted.toLowerCase()) : serviceAccounts.find((a) => comparableName(a.name) === comparableName(wanted));
  if (found === undefined) throw notFound(`No service account named "${printable(wanted.slice(0, 80))}": \`watchword service-account list\` shows them.`);
  return found;
}

const when = (iso: string | null): string => (iso === null ? "" : iso.replace(/\.\d{3}Z$/, "Z"));

function accountRows(accounts: readonly ServiceAccount[]): string[] {
  return formatTable(
    [{ header: "Name", maxWidth: 40 }, { header: "State" }, { header: "Active tokens" }, { header: "Description", maxWidth: 40 }, { header: "Id" }],
    accounts.map((a) => [a.name, a.disabledAt === null ? "enabled" : "disabled", String(a.activeTokens), a.description ?? "", a.id]),
  );
}

function tokenRows(tokens: readonly ApiToken[]): string[] {
  return formatTable(
    [
      { header: "Id" },
      { header: "Service account", maxWidth: 32 },
      { header: "Label", maxWidth: 32 },
      { header: "State" },
      { header: "Scope", maxWidth: 40 },
      { header: "Expires" },
      { header: "Last used" },
      { header: "From" },
    ],
    tokens.map((t) => [
      t.id,
      t.serviceAccountName,
      t.label,
      t.state,
      `${t.scope.permissions.join("+")}: ${t.scope.entryIds.length} entries, ${t.scope.folderIds.length} folders`,
      when(t.expiresAt) || "never",
      when(t.lastUsedAt) || "never",
      t.lastUsedIp ?? "",
    ]),
  );
}

interface TokenCreateFlags extends ConnectionFlags, JsonFlag {
  serviceAccount: string;
  entry?: string[];
  folder?: string[];
  permission?: TokenPermission[];
  expires?: string;
  allowCidr?: string[];
  label?: string;
}

async function createToken(flags: TokenCreateFlags, io: ClientIo): Promise<void> {
  const expiresInSeconds = flags.expires === undefined ? undefined : parseDuration(flags.expires, "--expires");
  const { client } = await connect(flags, io.env);
  const account = await findServiceAccount(client, flags.serviceAccount);
  const entries = flags.entry === undefined ? [] : (await client.listAllEntries({ view: "all" })).entries;
  const folders = flags.folder === undefined ? [] : (await client.listFolders()).folders;
  const created = await client.createApiToken(account.id, {
    ...(flags.label === undefined ? {} : { label: flags.label }),
    scope: {
      entryIds: [...new Set((flags.entry ?? []).map((e) => findEntry(entries, e).id))],
      folderIds: [...new Set((flags.folder ?? []).map((f) => findFolder(folders, f).id))],
      permissions: [...new Set<TokenPermission>(flags.permission ?? ["use"])],
    },
    ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
    ...(flags.allowCidr === undefined ? {} : { allowedCidrs: flags.allowCidr }),
  });
  if (flags.json === true) {
    io.stdout(toJson(created));
    return;
  }
  io.stdout(created.token);
  io.stderr(`Token ${created.id} for "${printable(account.name)}" created. It is shown this once: store it now (Watchword keeps only its hash).`);
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerServiceAccountCommands(program: Command, io: ClientIo): void {
  const accounts = program.command("service-account").description("service accounts: the identities scripts use with API tokens (administrators)");

  addClientOptions(accounts.command("create <name>").description("create a service account").option("--description <text>", "what it is for"))
    .action(async (name: string, flags: ConnectionFlags & JsonFlag & { description?: string }) => {
      const { client } = await connect(flags, io.env);
      const account = await client.createServiceAccount({ name, ...(flags.description === undefined ? {} : { description: flags.description }) });
      io.stdout(flags.json === true ? toJson(account) : `Service account "${printable(account.name)}" created (${account.id}). Next: watchword token create --service-account ${JSON.stringify(account.name)} --entry ENTRY`);
    });

  addClientOptions(accounts.command("list").description("list service accounts")).action(async (flags: ConnectionFlags & JsonFlag) => {
    const { client } = await connect(flags, io.env);
    const list = await client.listServiceAccounts();
    if (flags.json === true) return io.stdout(toJson(list));
    if (list.serviceAccounts.length === 0) return io.stdout("No service accounts yet: create one with `watchword service-account create NAME`.");
    for (const line of accountRows(list.serviceAccounts)) io.stdout(line);
  });

  for (const verb of ["disable", "enable"] as const) {
    addClientOptions(accounts.command(`${verb} <name>`).description(verb === "disable" ? "disable a service account: every token it owns is refused from the next request" : "enable a service account again"))
      .action(async (name: string, flags: ConnectionFlags & JsonFlag) => {
        const { client } = await connect(flags, io.env);
        const account = await findServiceAccount(client, name);
        const changed = verb === "disable" ? await client.disableServiceAccount(account.id) : await client.enableServiceAccount(account.id);
        io.stdout(flags.json === true ? toJson(changed) : `Service account "${printable(changed.name)}" ${verb}d.`);
      });
  }

  const tokens = program.command("token").description("API tokens of service accounts (administrators)");

  addClientOptions(
    tokens
      .command("create")
      .description("create an API token, printed once")
      .requiredOption("--service-account <name>", "the service account that owns it")
      .option("--entry <entry>", "an entry it may reach, by name or id (repeat for more)", collect)
      .option("--folder <folder>", "a folder whose entries it may reach, by name or id (repeat for more)", collect)
      .addOption(new Option("--permission <permission...>", "use (codes, the default) and/or recover (recovery codes)").choices(["use", "recover"]))
      .option("--expires <duration>", "expires after 30d, 12h, 90m, 2w… (default: never)")
      .option("--allow-cidr <cidr>", "only from this network or address, e.g. 10.0.0.0/8 (repeat for more)", collect)
      .option("--label <label>", "what the token is for, e.g. the pipeline that holds it"),
  )
    .addHelpText("after", '\nExamples:\n  $ watchword token create --service-account deploy-bot --entry "AWS root" --expires 30d --json\n  $ WATCHWORD_TOKEN=ww_… WATCHWORD_URL=https://vault.example.com watchword code "AWS root"')
    .action((flags: TokenCreateFlags) => createToken(flags, io));

  addClientOptions(tokens.command("list").description("list API tokens with their scope and last use").option("--service-account <name>", "of this service account only"))
    .action(async (flags: ConnectionFlags & JsonFlag & { serviceAccount?: string }) => {
      const { client } = await connect(flags, io.env);
      const account = flags.serviceAccount === undefined ? undefined : await findServiceAccount(client, flags.serviceAccount);
      const list = await client.listApiTokens(account?.id);
      if (flags.json === true) return io.stdout(toJson(list));
      if (list.tokens.length === 0) return io.stdout("No API tokens yet: create one with `watchword token create --service-account NAME --entry ENTRY`.");
      for (const line of tokenRows(list.tokens)) io.stdout(line);
    });

  addClientOptions(tokens.command("revoke <id>").description("revoke an API token at once")).action(async (id: string, flags: ConnectionFlags & JsonFlag) => {
    if (!UUID.test(id.trim())) throw invalidInput(`Give the token's id (watchword token list shows it), not "${printable(id.slice(0, 60))}".`, "id");
    const { client } = await connect(flags, io.env);
    const revoked = await client.revokeApiToken(id.trim());
    io.stdout(flags.json === true ? toJson(revoked) : `Token ${revoked.id} of "${printable(revoked.serviceAccountName)}" revoked.`);
  });
}
