// The local admin verbs: they work on the store directly, whether or not a server is running.
import os from "node:os";
import type { Command } from "commander";
import { loadServerConfig, type Environment, type ServerFlags } from "../config.js";
import { invalidInput } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import { systemClock } from "../core/clock.js";
import type { LocalOperator } from "../services/audit-log.js";
import type { Role } from "../store/schema.js";
import { packageVersion } from "../version.js";

// The server, the store and argon2 load only when a local verb runs: the client verbs
// (`watchword code …`) start in a fraction of the time without them.
const loadVault = () => import("../services/vault.js");

/** The operating-system account running a local verb, as its audit events name it. */
export function localOperator(): LocalOperator {
  let account: string;
  try {
    account = os.userInfo().username;
  } catch {
    // A uid with no passwd entry (common in containers) has no name: the event names the uid.
    account = `uid ${process.getuid?.() ?? "unknown"}`;
  }
  // No network address: the verb ran on the server's machine itself.
  return { kind: "local", userId: null, username: account, origin: { ip: "local", userAgent: `watchword-cli/${packageVersion()} (local)`, channel: "cli" } };
}

export interface CliIo {
  readonly env: Environment;
  readonly stdout: (line: string) => void;
  readonly readStdin: () => Promise<string>;
}

const addStoreOptions = (command: Command): Command =>
  command
    .option("--data-dir <dir>", "where the SQLite file and key file live (env WATCHWORD_DATA_DIR)", undefined)
    .option("--database-url <url>", "postgres://… to use PostgreSQL instead of SQLite (env DATABASE_URL)", undefined);

// Sealed on doubt: a key file without its database means the database was lost, so making a new
// one over that key must be asked for by name.
const NEW_VAULT_FLAG = "--new-vault";
const NEW_VAULT_HELP = "create an empty database even though the key file exists (the database was lost); never touches an existing one";
interface NewVaultFlag {
  newVault?: boolean;
}

export function registerLocalCommands(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command("serve")
      .description("run the server (default http://127.0.0.1:8080, SQLite in ./data)")
      .option("--host <host>", "address to listen on (env WATCHWORD_HOST)", undefined)
      .option("--port <port>", "port to listen on, 0 for any free port (env WATCHWORD_PORT)", undefined)
      .option("--tls-cert <file>", "serve HTTPS with this PEM certificate (chain), re-read on SIGHUP (env WATCHWORD_TLS_CERT)", undefined)
      .option("--tls-key <file>", "the certificate's PEM private key (env WATCHWORD_TLS_KEY)", undefined)
      .option(NEW_VAULT_FLAG, NEW_VAULT_HELP),
  ).action(async (flags: ServerFlags & NewVaultFlag) => {
    const config = loadServerConfig(flags, io.env);
    const { startServer, stopOnSignals } = await import("../server/run.js");
    const server = await startServer({ config, say: io.stdout, newVault: flags.newVault === true });
    stopOnSignals(server, io.stdout);
  });

  addStoreOptions(
    program.command("init").description("create the data directory, key and schema, and print the one-time setup link"),
  )
    .option("--url <url>", "the address people will open the setup link at (env WATCHWORD_PUBLIC_URL)")
    .option(NEW_VAULT_FLAG, NEW_VAULT_HELP)
    .action(async (flags: ServerFlags & NewVaultFlag & { url?: string }) => {
      const config = loadServerConfig(flags, io.env);
      const [{ openVault }, { createSetupService, setupLinkOf }] = await Promise.all([loadVault(), import("../services/setup.js")]);
      const vault = await openVault({ config, newVault: flags.newVault === true });
      try {
        io.stdout(`Watchword is initialised: ${vault.store.description}, key-encryption key ${vault.keyring.kekId}.`);
        for (const warning of vault.warnings) io.stdout(`Warning: ${warning}`);
        const setup = createSetupService({ repositories: vault.store, transaction: (work) => vault.store.transaction(work), clock: systemClock });
        const token = await setup.createSetupTokenIfNeeded();
        const base = flags.url ?? config.publicUrl ?? `http://${config.host}:${config.port}`;
        io.stdout(token === undefined ? "An administrator exists already: sign in." : `Open this one-time link to create the first administrator (valid 24 hours):\n\n  ${setupLinkOf(base, token)}\n`);
      } finally {
        await vault.close();
      }
    });
}

/** `watchword user add`: a local verb under the `user` command that people-commands.ts builds. */
export function registerLocalUserAdd(user: Command, io: CliIo): void {
  addStoreOptions(
    user
      .command("add <name>")
      .description("add a user locally, on the store directly (reads the password from standard input)")
      .option("--role <role>", "admin, member or auditor", "member")
      .option("--display-name <name>", "the name shown in the app")
      .option("--password-stdin", "read the password from standard input (required)"),
  ).action(async (name: string, flags: ServerFlags & { role: string; displayName?: string; passwordStdin?: boolean }) => {
    if (!["admin", "member", "auditor"].includes(flags.role)) throw invalidInput(`--role must be admin, member or auditor, not "${flags.role.slice(0, 20)}".`, "role");
    if (flags.passwordStdin !== true) throw invalidInput("Pass --password-stdin and send the password on standard input.", "password");
    const password = Secret.fromUtf8((await io.readStdin()).replace(/\r?\n$/, ""));
    const config = loadServerConfig(flags, io.env);
    const [{ openVault }, { insertNewUser }] = await Promise.all([loadVault(), import("../services/accounts.js")]);
    const vault = await openVault({ config });
    try {
      const created = await insertNewUser(vault.store.users, { username: name, displayName: flags.displayName, role: flags.role as Role, password }, systemClock.now());
      io.stdout(`Added ${created.role} "${created.username}".`);
    } finally {
      password.destroy();
      await vault.close();
    }
  });
}

/** The store options `user unlock` takes for its local form. */
export const addLocalStoreOptions = addStoreOptions;

/** `watchword user unlock NAME` on the store directly, whether or not the server is running. */
export async function unlockLocally(name: string, flags: ServerFlags, io: CliIo): Promise<void> {
  const config = loadServerConfig(flags, io.env);
  const [{ openVault }, { createAccountLockService }, { createAuditLog }] = await Promise.all([
    loadVault(),
    import("../services/account-locks.js"),
    import("../services/audit-log.js"),
  ]);
  const vault = await openVault({ config });
  try {
    // Audited like the API's unlock, by the operating-system account that ran the verb.
    const auditLog = createAuditLog({ store: vault.store, clock: systemClock });
    const result = await createAccountLockService({ auditLog, clock: systemClock }).unlockLocally(localOperator(), name);
    io.stdout(unlockSentence(result.user.username, result.wasLocked, result.failedSignInsCleared));
  } finally {
    await vault.close();
  }
}

export function unlockSentence(username: string, wasLocked: boolean, count: number): string {
  const failures = `${count} failed sign-in${count === 1 ? "" : "s"}`;
  return wasLocked ? `Unlocked "${username}" (forgot ${failures}).` : `"${username}" was not locked; forgot ${failures}.`;
}
