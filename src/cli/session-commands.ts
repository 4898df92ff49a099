// `watchword login` and `watchword logout`: get a bearer token for the CLI and keep it in the
// config file (or print it once with --print-token), and end it again. `watchword reauthenticate`
// opens sudo mode for the CLI's session (password, and the second factor's code or a push approval
// when it has one).
import type { Command } from "commander";
import { ApiError } from "../client/client.js";
import { loadClientEnvironment } from "../config.js";
import { invalidInput, unavailable, WatchwordError } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";
import { readConfigFile, writeConfigFile } from "./config-file.js";
import { promptForPassword, readPassword } from "./password-input.js";
import { addClientOptions, clientFor, connect, isLoopback, normaliseServerUrl, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { printable } from "./text-output.js";

interface LoginFlags extends JsonFlag {
  url?: string;
  username: string;
  passwordStdin?: boolean;
  otpStdin?: boolean;
  push?: boolean;
  pushTimeout?: string;
  printToken?: boolean;
}

async function serverToSignInTo(flags: LoginFlags, io: ClientIo, configFile: string): Promise<string> {
  if (flags.url !== undefined) return normaliseServerUrl(flags.url, "--url");
  const fromEnvironment = loadClientEnvironment(io.env).url;
  if (fromEnvironment !== undefined) return normaliseServerUrl(fromEnvironment, "WATCHWORD_URL");
  const saved = (await readConfigFile(configFile))?.url;
  if (saved !== undefined) return normaliseServerUrl(saved, `"url" in ${configFile}`);
  throw invalidInput("Which server? Run `watchword login --url https://… --username NAME`.", "url");
}

async function login(flags: LoginFlags, io: ClientIo): Promise<void> {
  const { configFile } = loadClientEnvironment(io.env);
  const url = await serverToSignInTo(flags, io, configFile);
  if (url.startsWith("http:") && !isLoopback(url)) io.stderr(`Warning: ${url} is plain http://: the password and token cross the network unencrypted. Use https://.`);
  // With --password-stdin and --otp-stdin both, standard input holds the password, then the code on the next line.
  const piped = flags.passwordStdin === true && flags.otpStdin === true ? (await io.readStdin()).split(/\r?\n/) : undefined;
  const password = piped !== undefined ? requireLine(piped[0], "password") : await readPassword(io, flags.passwordStdin, `Password for ${printable(flags.username)} at ${url}: `);
  // --print-token is for scripts and touches no file; a saved login keeps this CLI's device token.
  const saved = flags.printToken === true ? undefined : await readConfigFile(configFile);
  const deviceToken = saved?.deviceTokens?.[url];
  const client = clientFor(url);
  const first = await client.startSignIn({ username: flags.username, password, client: "cli", ...(deviceToken === undefined ? {} : { deviceToken }) });
  let reply;
  if (first.status === "signed_in") reply = first;
  else if (first.status === "mfa_required" && first.challenge.methods.some((method) => method === "totp" || method === "push")) {
    const methods = first.challenge.methods;
    const keep = deviceToken === undefined ? {} : { deviceToken };
    // Push when asked for, or when it is the only method; on a terminal an empty code line asks for it too.
    const code =
      flags.push === true || !methods.includes("totp")
        ? ""
        : piped !== undefined
          ? requireLine(piped[1], "code")
          : flags.otpStdin === true
            ? requireLine((await io.readStdin()).split(/\r?\n/)[0], "code")
            : await askForCode(io, methods.includes("push"));
    if (code === "") {
      if (!methods.includes("push")) throw invalidInput("Push approval is not set up for this account: give the code from your authenticator app.", "code");
      await waitForPushApproval(client, first.challengeToken!, io, pushTimeoutOf(flags.pushTimeout));
      reply = await client.finishSignIn({ method: "push", challengeToken: first.challengeToken, client: "cli", ...keep });
    } else reply = await client.finishSignIn({ method: "totp", code, challengeToken: first.challengeToken, client: "cli", ...keep });
  } else {
    const status = String((first as { status: unknown }).status);
    throw new WatchwordError("unauthenticated", `The server asks for a second factor (${status}) that this version of watchword cannot answer: upgrade the command.`);
  }
  const token = reply.token;
  if (token === undefined || token === "") throw unavailable("The server signed you in but sent no token: is it an older version of Watchword?");
  const enrolment = reply.session.secondFactorEnrolment;
  if (enrolment !== undefined) {
    // A session that may only enrol is of no use here: the CLI cannot enrol, so it is ended, not saved.
    await clientFor(url, token).signOut();
    throw new WatchwordError("forbidden", enrolmentRefusal(enrolment.reason, url));
  }
  if (flags.printToken === true) {
    io.stdout(flags.json === true ? toJson({ url, token }) : token);
    return;
  }
  const deviceTokens = reply.deviceToken === undefined ? saved?.deviceTokens : { ...saved?.deviceTokens, [url]: reply.deviceToken };
  await writeConfigFile(configFile, { url, token, deviceTokens });
  const { user, expiresAt } = reply.session;
  if (reply.failedSignIns !== undefined) io.stderr(failedSignInsWarning(reply.failedSignIns, user.username));
  if (flags.json === true) io.stdout(toJson({ url, configFile, user, expiresAt }));
  else io.stdout(`Signed in to ${url} as ${printable(user.username)}; the token is saved in ${configFile} (it ends at ${expiresAt} at the latest).`);
}

/** The one line a sign-in that must first enrol a second factor ends with. */
function enrolmentRefusal(reason: "rule" | "administrator", url: string): string {
  const why =
    reason === "administrator"
      ? "Administrators must have two-step verification once other users exist"
      : "An administrator's rule requires two-step verification for your account";
  return `${why}: sign in to the web app at ${url}, enrol a second factor under Sign-in & security → Two-step verification, then run watchword login again.`;
}

function requireLine(line: string | undefined, what: "password" | "code"): string {
  const value = what === "code" ? (line ?? "").trim() : (line ?? "");
  if (value !== "") return value;
  throw invalidInput(
    what === "code" ? "Standard input held no code: send the authenticator app's code there with --otp-stdin (after the password line with --password-stdin)." : "Standard input held no password: send it there with --password-stdin.",
    what,
  );
}

async function askForCode(io: ClientIo, canPush: boolean): Promise<string> {
  if (!io.terminal.isInteractive) throw invalidInput(`This account has two-step verification and standard input is not a terminal: pass --otp-stdin and send the code on standard input${canPush ? ", or pass --push" : ""}.`, "code");
  return (await promptForPassword(io, canPush ? "Code from your authenticator app (or Enter to approve on your other device): " : "Code from your authenticator app: ")).trim();
}

const PUSH_POLL_MS = 1_000;

function pushTimeoutOf(value: string | undefined): number {
  if (value === undefined) return 120;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) throw invalidInput("--push-timeout takes whole seconds from 1 to 600.", "push-timeout");
  return seconds;
}

/**
 * Sends a push request, prints the number to tap on the other device, and waits for the answer:
 * approved returns; denied, expired, the time-out or Ctrl-C throw (the sign-in is then not finished).
 */
async function waitForPushApproval(client: ReturnType<typeof clientFor>, challengeToken: string, io: ClientIo, timeoutSeconds: number): Promise<void> {
  await waitForPush(
    { send: () => client.requestPushApproval({ client: "cli", challengeToken }), status: () => client.pushApprovalStatus({ client: "cli", challengeToken }) },
    io,
    timeoutSeconds,
    { what: "sign-in", notDone: "you are not signed in", again: "watchword login" },
  );
}

/** What a push wait sends and polls, and the words of its one-line errors. */
interface PushWaiting {
  send(): Promise<{ number: number; expiresAt: string }>;
  status(): Promise<{ status: string }>;
}

async function waitForPush(push: PushWaiting, io: ClientIo, timeoutSeconds: number, words: { what: string; notDone: string; again: string }): Promise<void> {
  let isInterrupted = false;
  let wake: () => void = () => undefined;
  const onInterrupt = () => {
    isInterrupted = true;
    wake();
  };
  // Listening before the number is printed: a Ctrl-C as soon as it shows is ours to handle.
  process.once("SIGINT", onInterrupt);
  try {
    const sent = await push.send();
    io.stderr(`Open Watchword on your other device and tap ${sent.number}. Waiting up to ${timeoutSeconds} s (Ctrl-C to stop)…`);
    const deadline = Math.min(Date.now() + timeoutSeconds * 1000, Date.parse(sent.expiresAt) + PUSH_POLL_MS);
    for (;;) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, PUSH_POLL_MS);
      });
      if (isInterrupted) throw new WatchwordError("unauthenticated", `Stopped waiting for the push approval: ${words.notDone}.`);
      const { status } = await push.status();
      if (status === "approved") return;
      if (status === "denied") throw new WatchwordError("unauthenticated", `The ${words.what} was refused on your other device (denied, or another number was tapped).`);
      if (status === "expired") throw new WatchwordError("unauthenticated", `The push request expired before it was approved: run ${words.again} again.`);
      if (Date.now() >= deadline) throw new WatchwordError("unauthenticated", `No approval within ${timeoutSeconds} s: run ${words.again} again.`);
    }
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

/** Tells the person what others did to their account, after they proved who they are. */
function failedSignInsWarning(failed: { count: number; accountLocked: boolean }, username: string): string {
  const attempts = `${failed.count} failed sign-in${failed.count === 1 ? "" : "s"} to your account from browsers or CLIs that never signed in to it`;
  return failed.accountLocked
    ? `Warning: ${attempts}: it is locked for them until an administrator unlocks it (\`watchword user unlock ${printable(username)}\` on the server). This CLI is not affected.`
    : `Warning: ${attempts}.`;
}

interface ReauthenticateFlags extends ConnectionFlags, JsonFlag {
  passwordStdin?: boolean;
  otpStdin?: boolean;
  push?: boolean;
  pushTimeout?: string;
}

async function reauthenticate(flags: ReauthenticateFlags, io: ClientIo): Promise<void> {
  const connection = await connect(flags, io.env);
  const session = await connection.client.getSession();
  const username = session.user.username;
  const timeoutSeconds = pushTimeoutOf(flags.pushTimeout);
  if (flags.push === true && flags.otpStdin === true) throw invalidInput("--push and --otp-stdin are two ways to give the second factor: pass one of them.", "push");
  const piped = flags.passwordStdin === true && flags.otpStdin === true ? (await io.readStdin()).split(/\r?\n/) : undefined;
  const password = piped !== undefined ? requireLine(piped[0], "password") : await readPassword(io, flags.passwordStdin, `Password for ${printable(username)} at ${connection.url}: `);
  const client = connection.client;
  const byPush = async () => {
    // The server checks the password before it sends anything; the approval is bound to this session.
    await waitForPush({ send: () => client.requestReauthenticationPush({ password }), status: () => client.reauthenticationPushStatus() }, io, timeoutSeconds, {
      what: "re-authentication",
      notDone: "sensitive changes are still not allowed",
      again: "watchword reauthenticate",
    });
    return client.reauthenticate({ password, method: "push" });
  };
  let reply;
  if (flags.push === true) reply = await byPush();
  else {
    try {
      // Without a second factor the password is enough; with one, the server says so before it
      // checks (or counts) anything, and the code is asked for.
      reply = await client.reauthenticate({ password });
    } catch (error) {
      if (!(error instanceof ApiError && error.key === "second_factor_required")) throw error;
      // As at login: push when it is the only way, or when an empty code line asks for it.
      const { methods } = await client.listFactors();
      const canPush = methods.includes("push");
      const code = !methods.includes("totp") && canPush ? "" : piped !== undefined ? requireLine(piped[1], "code") : flags.otpStdin === true ? requireLine((await io.readStdin()).split(/\r?\n/)[0], "code") : await askForCode(io, canPush);
      if (code === "") {
        if (!canPush) throw invalidInput("Push approval is not set up for this account: give the code from your authenticator app.", "code");
        reply = await byPush();
      } else reply = await client.reauthenticate({ password, method: "totp", code });
    }
  }
  if (flags.json === true) io.stdout(toJson({ url: connection.url, username, reauthenticatedUntil: reply.reauthenticatedUntil }));
  else io.stdout(`Sensitive changes are allowed for ${printable(username)} at ${connection.url} until ${reply.reauthenticatedUntil}.`);
}

async function logout(flags: ConnectionFlags & JsonFlag, io: ClientIo): Promise<void> {
  const connection = await connect(flags, io.env);
  let hadEnded = false;
  let failure: unknown;
  try {
    await connection.client.signOut();
  } catch (error) {
    if (error instanceof ApiError && error.code === "unauthenticated") hadEnded = true;
    else failure = error;
  }
  // The saved token is removed even when the server cannot be reached: the person asked for it gone.
  const isRemoved = connection.tokenSource === "file";
  if (isRemoved) {
    const saved = await readConfigFile(connection.configFile);
    await writeConfigFile(connection.configFile, { url: saved?.url, deviceTokens: saved?.deviceTokens });
  }
  if (failure !== undefined) {
    if (!isRemoved) throw failure;
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw unavailable(`Removed the token from ${connection.configFile}, but the server did not end the session: ${reason}`);
  }
  if (flags.json === true) {
    io.stdout(toJson({ url: connection.url, sessionHadEnded: hadEnded, removedFrom: isRemoved ? connection.configFile : null }));
    return;
  }
  const ended = hadEnded ? "The session had already ended" : `Signed out of ${connection.url}`;
  io.stdout(isRemoved ? `${ended}; removed the token from ${connection.configFile}.` : `${ended}.`);
}

export function registerSessionCommands(program: Command, io: ClientIo): void {
  program
    .command("login")
    .description("sign in and save a token in the CLI config file (or print it with --print-token)")
    .option("--url <url>", "the server, e.g. https://watchword.example.com (env WATCHWORD_URL, else the saved one)")
    .requiredOption("--username <name>", "your Watchword user name")
    .option("--password-stdin", "read the password from standard input instead of asking for it")
    .option("--otp-stdin", "read the authenticator app's code from standard input (the line after the password with --password-stdin)")
    .option("--push", "approve the sign-in on another device where you are signed in (prints the number to tap there and waits)")
    .option("--push-timeout <seconds>", "how long --push waits for the approval (default 120)")
    .option("--print-token", "print the token (for WATCHWORD_TOKEN) instead of saving it")
    .option("--json", 'print {"url", "token"} with --print-token, else where the token was saved')
    .addHelpText(
      "after",
      [
        "",
        "The token is saved in $WATCHWORD_CONFIG (default ~/.config/watchword/config.json) with mode 0600.",
        "",
        "Examples:",
        "  $ watchword login --url https://watchword.example.com --username alice",
        "  $ printf '%s\\n%s\\n' \"$PASSWORD\" \"$(oathtool --totp -b \"$KEY\")\" | watchword login --url https://watchword.example.com --username alice --password-stdin --otp-stdin",
        "  $ watchword login --url https://watchword.example.com --username alice --push",
        "  $ export WATCHWORD_TOKEN=$(pass watchword | watchword login --url https://watchword.example.com --username ci --password-stdin --print-token)",
      ].join("\n"),
    )
    .action((flags: LoginFlags) => login(flags, io));

  addClientOptions(
    program
      .command("reauthenticate")
      .description("confirm your password (and second factor) again, so that this CLI may make sensitive changes for a few minutes (sudo mode)")
      .option("--password-stdin", "read the password from standard input instead of asking for it")
      .option("--otp-stdin", "read the authenticator app's code from standard input (the line after the password with --password-stdin)")
      .option("--push", "approve on another device where you are signed in (prints the number to tap there and waits)")
      .option("--push-timeout <seconds>", "how long --push waits for the approval (default 120)"),
  )
    .addHelpText(
      "after",
      [
        "",
        "Creating tokens, inviting or changing users, overwriting a seed and revealing all recovery codes",
        "need it; a fresh `watchword login` opens the window too (WATCHWORD_SUDO_MINUTES on the server, default 10).",
        "",
        "Examples:",
        "  $ watchword reauthenticate",
        "  $ printf '%s\\n%s\\n' \"$PASSWORD\" \"$(oathtool --totp -b \"$KEY\")\" | watchword reauthenticate --password-stdin --otp-stdin",
        "  $ watchword reauthenticate --push",
      ].join("\n"),
    )
    .action((flags: ReauthenticateFlags) => reauthenticate(flags, io));

  addClientOptions(
    program.command("logout").description("end the session and remove its token from the CLI config file"),
  )
    .addHelpText("after", "\nExample:\n  $ watchword logout")
    .action((flags: ConnectionFlags & JsonFlag) => logout(flags, io));
}
