// Account recovery over the API: administrators list the recoveries waiting (`watchword user
// recoveries`) and approve or deny one; a user sees their own recovery method, by its hint only,
// and cancels a recovery of their account they did not ask for (`watchword recovery-method …`).
// Adding a method stays on the web page: it needs the code sent to the new address.
import type { Command } from "commander";
import type { WatchwordClient } from "../client/client.js";
import type { AccountRecovery, OwnRecoveryMethod } from "../contract/recovery-method.js";
import type { ClientIo } from "./client-io.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { formatTable, printable } from "./text-output.js";

type Flags = ConnectionFlags & JsonFlag;

const example = (lines: string[]): string => `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((line) => `  $ ${line}`).join("\n")}`;
const channelName = (channel: "email" | "sms"): string => (channel === "email" ? "e-mail" : "text message");

async function run<T>(flags: Flags, io: ClientIo, work: (client: WatchwordClient) => Promise<T>, say: (result: T) => string | string[]): Promise<void> {
  const { client } = await connect(flags, io.env);
  const result = await work(client);
  if (flags.json === true) return void io.stdout(toJson(result));
  const text = say(result);
  for (const line of Array.isArray(text) ? text : [text]) io.stdout(line);
}

function recoveryRows(recoveries: readonly AccountRecovery[]): string[] {
  return formatTable(
    [{ header: "Username" }, { header: "Status" }, { header: "Requested" }, { header: "Ready at" }, { header: "Id" }],
    recoveries.map((r) => [r.username, r.status === "approved" ? "approved, the user may finish it" : r.isReady ? "pending, waiting period over" : "pending", r.requestedAt, r.readyAt, r.id]),
  );
}

/** ID, or the username of the one recovery under way for that user (a username is never an id). */
async function recoveryIdOf(client: WatchwordClient, idOrName: string): Promise<string> {
  const wanted = idOrName.trim();
  const { recoveries } = await client.listAccountRecoveries();
  return recoveries.find((r) => r.id === wanted)?.id ?? recoveries.find((r) => r.username.toLowerCase() === wanted.toLowerCase())?.id ?? wanted;
}

/** `watchword user recoveries`, `user approve-recovery` and `user deny-recovery`, beside the other `user` verbs. */
export function registerAccountRecoveryVerbs(user: Command, io: ClientIo): void {
  addClientOptions(user.command("recoveries").description("list the account recoveries waiting for a decision or ready to finish (administrators)"))
    .addHelpText(
      "after",
      `\nA user who lost their second factors proved their recovery method from the sign-in page. Approve it to let them finish at once, or deny it; without a decision it becomes ready at READY AT (WATCHWORD_RECOVERY_WAIT_HOURS).${example(["watchword user recoveries", "watchword user recoveries --json | jq -r '.recoveries[].username'"])}`,
    )
    .action((flags: Flags) =>
      run(
        flags,
        io,
        (c) => c.listAccountRecoveries(),
        (r) => (r.recoveries.length === 0 ? "No account recoveries are waiting." : recoveryRows(r.recoveries)),
      ),
    );

  for (const [verb, description, act, said] of [
    ["approve-recovery", "approve an account recovery: the user may finish it at once, which removes their second factors (administrators)", (c: WatchwordClient, id: string) => c.approveAccountRecovery(id), "Approved"],
    ["deny-recovery", "deny an account recovery: the user's second factors stay (administrators)", (c: WatchwordClient, id: string) => c.denyAccountRecovery(id), "Denied"],
  ] as const) {
    addClientOptions(user.command(`${verb} <recovery>`).description(description))
      .addHelpText("after", `\nRECOVERY is the id \`watchword user recoveries\` prints, or the user's name.${example([`watchword user ${verb} 6f1c2a9e-4b7d-4e0a-9c3b-2d5e8f7a1b4c`, `watchword user ${verb} bob`])}`)
      .action((recovery: string, flags: Flags) =>
        run(
          flags,
          io,
          async (c) => act(c, await recoveryIdOf(c, recovery)),
          (r) => `${said} the account recovery of "${printable(r.username)}"${verb === "approve-recovery" ? ": they may finish it at their next sign-in." : "; their sign-in methods stay as they were."}`,
        ),
      );
  }
}

function ownLines(own: OwnRecoveryMethod): string[] {
  const lines = [own.method === null ? "No recovery method yet: add one on Sign-in & security in the web app." : `Recovery method: ${printable(own.method.hint)} (${channelName(own.method.channel)}), confirmed ${own.method.confirmedAt}.`];
  if (own.recovery !== null) {
    lines.push(
      `A recovery of this account is under way (asked for ${own.recovery.requestedAt}, ${own.recovery.status === "approved" ? "approved" : `ready at ${own.recovery.readyAt}`}): if it was not you, run \`watchword recovery-method cancel-recovery\` and change your password.`,
    );
  }
  return lines;
}

/** `watchword recovery-method show|remove|cancel-recovery`: the caller's own recovery method. */
export function registerRecoveryMethodCommands(program: Command, io: ClientIo): void {
  const method = program.command("recovery-method").description("your own account-recovery method (shown by its hint only) and a recovery of your account under way");

  addClientOptions(method.command("show").description("show your recovery method (masked) and any recovery of your account under way"))
    .addHelpText("after", example(["watchword recovery-method show", "watchword recovery-method show --json"]))
    .action((flags: Flags) => run(flags, io, (c) => c.getRecoveryMethod(), ownLines));

  addClientOptions(method.command("remove").description("remove your recovery method (needs sudo mode: `watchword reauthenticate`)"))
    .addHelpText("after", example(["watchword recovery-method remove"]))
    .action((flags: Flags) =>
      run(
        flags,
        io,
        async (c) => {
          await c.removeRecoveryMethod();
          return { removed: true };
        },
        () => "Removed your recovery method: if you lose your second factors, an administrator must help you back in.",
      ),
    );

  addClientOptions(method.command("cancel-recovery").description("cancel a recovery of your account that you did not ask for"))
    .addHelpText("after", example(["watchword recovery-method cancel-recovery"]))
    .action((flags: Flags) =>
      run(
        flags,
        io,
        async (c) => {
          await c.cancelOwnRecovery();
          return { cancelled: true };
        },
        () => "Cancelled the recovery of your account. Someone knew your password: change it, and tell an administrator.",
      ),
    );
}
