// `watchword user …` and `watchword group …`: administering people over the API, beside the
// local verbs `user add` and `user unlock` (which work on the store directly). `user unlock` goes
// over the API when a server credential is found and no --data-dir or --database-url is given.
import type { Command } from "commander";
import type { WatchwordClient } from "../client/client.js";
import type { Group } from "../contract/groups.js";
import type { User, UserLinkReply } from "../contract/users.js";
import { invalidInput, isWatchwordError } from "../core/errors.js";
import type { ServerFlags } from "../config.js";
import { registerAccountRecoveryVerbs } from "./account-recovery-commands.js";
import type { ClientIo } from "./client-io.js";
import { addLocalStoreOptions, registerLocalUserAdd, unlockLocally, unlockSentence } from "./local-commands.js";
import { findGroup, findUser } from "./name-lookup.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, printable } from "./text-output.js";

type Flags = ConnectionFlags & JsonFlag;
const ROLES = ["admin", "member", "auditor"] as const;
type RoleName = (typeof ROLES)[number];

function roleOf(raw: string): RoleName {
  const role = ROLES.find((r) => r === raw.trim().toLowerCase());
  if (role === undefined) throw invalidInput(`The role must be admin, member or auditor, not "${printable(raw.slice(0, 20))}".`, "role");
  return role;
}

const userNamed = async (client: WatchwordClient, name: string): Promise<User> => findUser((await client.listUsers()).users, name);
const groupNamed = async (client: WatchwordClient, name: string): Promise<Group> => findGroup((await client.listGroups()).groups, name);

/** Runs one verb over the API: prints the API's object with --json, else the sentence. */
async function overApi<T>(flags: Flags, io: ClientIo, work: (client: WatchwordClient) => Promise<T>, say: (result: T) => string | string[]): Promise<void> {
  const { client } = await connect(flags, io.env);
  const result = await work(client);
  if (flags.json === true) {
    io.stdout(toJson(result));
    return;
  }
  const text = say(result);
  for (const line of Array.isArray(text) ? text : [text]) io.stdout(line);
}

function linkLines(reply: UserLinkReply, io: ClientIo, what: string): string[] {
  for (const warning of reply.warnings) io.stderr(`Warning: ${warning.detail}`);
  const mailed = reply.mailed && reply.user.email !== null ? ` It was also mailed to ${printable(reply.user.email)}.` : "";
  return [`${what} Give them this one-time link (valid until ${reply.expiresAt}); it is not shown again.${mailed}`, "", `  ${reply.link}`, ""];
}

function userRows(users: readonly User[]): string[] {
  return formatTable(
    [{ header: "Username" }, { header: "Display name", maxWidth: 32 }, { header: "Role" }, { header: "Status" }, { header: "E-mail", maxWidth: 40 }, { header: "Id" }],
    users.map((u) => [u.username, u.displayName, u.role, u.locked ? `${u.status}, locked` : u.status, u.email ?? "", u.id]),
  );
}

function groupRows(groups: readonly Group[]): string[] {
  return formatTable(
    [{ header: "Name", maxWidth: 40 }, { header: "Members", maxWidth: 60 }, { header: "Id" }],
    groups.map((g) => [g.name, g.members.map((m) => m.username).join(", "), g.id]),
  );
}

const example = (lines: string[]): string => `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((line) => `  $ ${line}`).join("\n")}`;

function registerUserVerbs(user: Command, io: ClientIo): void {
  addClientOptions(user.command("list").description("list every user (administrators)"))
    .addHelpText("after", example(["watchword user list", "watchword user list --json | jq -r '.users[] | select(.status == \"invited\") | .username'"]))
    .action((flags: Flags) => overApi(flags, io, (c) => c.listUsers(), (r) => (r.users.length === 0 ? "No users." : userRows(r.users))));

  addClientOptions(
    user
      .command("invite <name>")
      .description("invite a user: prints their one-time link to set a password (mailed too when the server has SMTP and --email is given)")
      .requiredOption("--role <role>", "admin, member or auditor")
      .option("--display-name <name>", "the name shown in the app")
      .option("--email <address>", "where the link is mailed"),
  )
    .addHelpText("after", example(["watchword user invite bob --role member --display-name 'Bob Durand' --email bob@example.com"]))
    .action((name: string, flags: Flags & { role: string; displayName?: string; email?: string }) =>
      overApi(
        flags,
        io,
        (c) => c.inviteUser({ username: name, role: roleOf(flags.role), ...(flags.displayName === undefined ? {} : { displayName: flags.displayName }), ...(flags.email === undefined ? {} : { email: flags.email }) }),
        (r) => linkLines(r, io, `Invited ${r.user.role} "${printable(r.user.username)}".`),
      ),
    );

  addClientOptions(user.command("reset-password <name>").description("issue a one-time password-reset link for a user (administrators)"))
    .addHelpText("after", example(["watchword user reset-password bob"]))
    .action((name: string, flags: Flags) =>
      overApi(flags, io, async (c) => c.issuePasswordReset((await userNamed(c, name)).id), (r) => linkLines(r, io, `Password reset for "${printable(r.user.username)}": using the link ends their sessions.`)),
    );

  addClientOptions(user.command("disable <name>").description("disable a user: every session of theirs ends at once"))
    .addHelpText("after", example(["watchword user disable bob"]))
    .action((name: string, flags: Flags) => overApi(flags, io, async (c) => c.disableUser((await userNamed(c, name)).id), (u) => `Disabled "${printable(u.username)}"; their sessions have ended.`));

  addClientOptions(user.command("enable <name>").description("enable a disabled user again"))
    .addHelpText("after", example(["watchword user enable bob"]))
    .action((name: string, flags: Flags) => overApi(flags, io, async (c) => c.enableUser((await userNamed(c, name)).id), (u) => `Enabled "${printable(u.username)}".`));

  addClientOptions(user.command("role <name> <role>").description("change a user's role: admin, member or auditor"))
    .addHelpText("after", example(["watchword user role bob auditor"]))
    .action((name: string, role: string, flags: Flags) =>
      overApi(
        flags,
        io,
        async (c) => {
          const wanted = roleOf(role);
          return c.changeRole((await userNamed(c, name)).id, wanted);
        },
        (u) => `"${printable(u.username)}" is now ${u.role}.`,
      ),
    );

  addClientOptions(
    user
      .command("delete <name>")
      .description("delete a user; their entries pass to the user --entries-to names (required when they own any)")
      .option("--entries-to <user>", "who receives the deleted user's entries"),
  )
    .addHelpText("after", example(["watchword user delete bob --entries-to alice"]))
    .action((name: string, flags: Flags & { entriesTo?: string }) =>
      overApi(
        flags,
        io,
        async (c) => {
          const { users } = await c.listUsers();
          const gone = findUser(users, name);
          const heir = flags.entriesTo === undefined ? undefined : findUser(users, flags.entriesTo);
          await c.deleteUser(gone.id, heir?.id);
          return { id: gone.id, username: gone.username, deleted: true, entriesTo: heir?.id ?? null };
        },
        (r) => `Deleted "${printable(r.username)}"${flags.entriesTo === undefined ? "" : `; their entries now belong to "${printable(flags.entriesTo)}"`}.`,
      ),
    );

  addLocalStoreOptions(
    addClientOptions(
      user
        .command("unlock <name>")
        .description("unlock an account that failed sign-ins from unknown browsers and CLIs have locked")
        .addHelpText(
          "after",
          `\nOver the API when signed in (flags, WATCHWORD_URL and WATCHWORD_TOKEN, or the saved login); on the store directly, whether or not the server is running, with --data-dir or --database-url or when no credential is found.${example(["watchword user unlock alice", "watchword user unlock alice --data-dir /var/lib/watchword"])}`,
        ),
    ),
  ).action(async (name: string, flags: Flags & ServerFlags) => {
    if (flags.dataDir !== undefined || flags.databaseUrl !== undefined) return unlockLocally(name, flags, io);
    let connection: Awaited<ReturnType<typeof connect>>;
    try {
      connection = await connect(flags, io.env);
    } catch (error) {
      // No credential at all: the operator on the server's machine, as before.
      if (flags.url === undefined && flags.token === undefined && isWatchwordError(error) && error.code === "unauthenticated") return unlockLocally(name, flags, io);
      throw error;
    }
    const reply = await connection.client.unlockUser(name);
    io.stdout(flags.json === true ? toJson(reply) : unlockSentence(printable(reply.user.username), reply.wasLocked, reply.failedSignInsCleared));
  });
}

function registerGroupVerbs(group: Command, io: ClientIo): void {
  addClientOptions(group.command("list").description("list every group with its members (administrators)"))
    .addHelpText("after", example(["watchword group list"]))
    .action((flags: Flags) => overApi(flags, io, (c) => c.listGroups(), (r) => (r.groups.length === 0 ? "No groups yet: create one with `watchword group create NAME`." : groupRows(r.groups))));

  addClientOptions(group.command("create <name>").description("create a group"))
    .addHelpText("after", example(["watchword group create Finance"]))
    .action((name: string, flags: Flags) => overApi(flags, io, (c) => c.createGroup(name), (g) => `Created the group "${printable(g.name)}" (${g.id}).`));

  addClientOptions(group.command("rename <group> <new-name>").description("rename a group (GROUP is its name or id)"))
    .addHelpText("after", example(["watchword group rename Finance 'Finance team'"]))
    .action((name: string, newName: string, flags: Flags) =>
      overApi(flags, io, async (c) => c.renameGroup((await groupNamed(c, name)).id, newName), (g) => `Renamed the group to "${printable(g.name)}".`),
    );

  addClientOptions(group.command("delete <group>").description("delete a group; its memberships and grants go with it"))
    .addHelpText("after", example(["watchword group delete Finance"]))
    .action((name: string, flags: Flags) =>
      overApi(
        flags,
        io,
        async (c) => {
          const found = await groupNamed(c, name);
          await c.deleteGroup(found.id);
          return { id: found.id, name: found.name, deleted: true };
        },
        (g) => `Deleted the group "${printable(g.name)}".`,
      ),
    );

  for (const [verb, description, act, said] of [
    ["add-member", "add a user to a group", (c: WatchwordClient, g: string, u: string) => c.addGroupMember(g, u), "Added"],
    ["remove-member", "remove a user from a group", (c: WatchwordClient, g: string, u: string) => c.removeGroupMember(g, u), "Removed"],
  ] as const) {
    addClientOptions(group.command(`${verb} <group> <user>`).description(description))
      .addHelpText("after", example([`watchword group ${verb} Finance bob`]))
      .action((groupName: string, userName: string, flags: Flags) =>
        overApi(
          flags,
          io,
          async (c) => {
            const [found, member] = await Promise.all([groupNamed(c, groupName), userNamed(c, userName)]);
            return act(c, found.id, member.id);
          },
          (g) => `${said} "${printable(userName)}" ${verb === "add-member" ? "to" : "from"} the group "${printable(g.name)}" (${g.members.length} member${g.members.length === 1 ? "" : "s"}).`,
        ),
      );
  }
}

export function registerPeopleCommands(program: Command, io: ClientIo): void {
  const user = program.command("user").description("manage vault users: over the API, and locally (add, unlock) on the store");
  registerLocalUserAdd(user, io);
  registerUserVerbs(user, io);
  registerAccountRecoveryVerbs(user, io);
  registerGroupVerbs(program.command("group").description("manage groups of users (administrators)"), io);
}
