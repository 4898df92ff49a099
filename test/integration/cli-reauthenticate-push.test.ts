// `watchword reauthenticate --push` (the built CLI, its own process) against a real server: it
// prints the number, waits while the other device (a browser session, through the API) taps it,
// and opens the sudo window; a denial and an expired request each end it with one line, a non-zero
// exit and the window still closed. The server's clock is a ManualClock started at the real time.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { writeConfigFile } from "../../src/cli/config-file.js";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { CLI, cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "lantern-orchard-cobalt-4471";
const SUDO_MS = 10 * 60_000;

describe("watchword reauthenticate --push", () => {
  let root: string;
  let server: TestApp;
  let db: TestDatabase;
  let phone: WatchwordClient;
  const clock = new ManualClock(Date.now());
  const env = () => cleanEnv({ WATCHWORD_CONFIG: path.join(root, "config.json"), HOME: root });
  const cli = (args: string[], input?: string) => runCli(args, { env: env(), ...(input === undefined ? {} : { input }) });

  /** Runs reauthenticate; `onNumber` is called with the number once the CLI prints it. */
  function reauthenticate(extra: string[], onNumber: (number: number) => Promise<void>) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, "reauthenticate", "--password-stdin", ...extra], { env: env(), stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let isSeen = false;
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        const match = /tap (\d\d)\b/.exec(stderr);
        if (match !== null && !isSeen) {
          isSeen = true;
          onNumber(Number(match[1])).catch(reject);
        }
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(`${PASSWORD}\n`);
    });
  }
  const waitingRequest = async () => {
    for (;;) {
      const [request] = (await phone.listPushRequests()).requests;
      if (request !== undefined) return request;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const isSudoOpen = async () => (await cli(["user", "invite", `probe${Math.floor(Math.random() * 1e9)}`, "--role", "member"])).code === 0;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-sudo-push-"));
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { clock });
    await insertNewUser(server.vault.store.users, { username: "noor", role: "admin", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    phone = server.newClient();
    await phone.startSignIn({ username: "noor", password: PASSWORD });
    await phone.reauthenticate({ password: PASSWORD });
    await phone.registerPushDevice({});
    // The CLI's own session, signed in with push approval (push is now the account's only second factor).
    const api = createClient({ baseUrl: server.url });
    const first = await api.startSignIn({ username: "noor", password: PASSWORD, client: "cli" });
    if (first.status !== "mfa_required") throw new Error("expected a second step");
    const sent = await api.requestPushApproval({ client: "cli", challengeToken: first.challengeToken });
    await phone.decidePushRequest((await waitingRequest()).id, { number: sent.number });
    const signedIn = await api.finishSignIn({ method: "push", challengeToken: first.challengeToken, client: "cli" });
    await writeConfigFile(path.join(root, "config.json"), { url: server.url, token: signedIn.token });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("prints the number, waits for the other device to tap it, and opens the window", async () => {
    clock.advance(SUDO_MS + 60_000); // past the sign-in's sudo window
    expect(await isSudoOpen()).toBe(false);
    const result = await reauthenticate(["--push", "--json"], async (number) => {
      const request = await waitingRequest();
      expect(request.choices).toContain(number);
      await phone.decidePushRequest(request.id, { number });
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(1); // only the line with the number
    expect(JSON.parse(result.stdout)).toEqual({ url: server.url, username: "noor", reauthenticatedUntil: new Date(clock.now() + SUDO_MS).toISOString() });
    expect(await isSudoOpen()).toBe(true);
  }, 30_000);

  it("ends with one line and a non-zero exit when the other device denies, and when the request expires", async () => {
    clock.advance(SUDO_MS + 60_000);
    const denied = await reauthenticate(["--push"], async () => {
      await phone.decidePushRequest((await waitingRequest()).id, { deny: true });
    });
    expect(denied.code).not.toBe(0);
    expect(denied.stdout).toBe("");
    expect(denied.stderr.trim().split("\n").at(-1)).toMatch(/re-authentication was refused on your other device/);
    expect(await isSudoOpen()).toBe(false);

    // Push is this account's only second factor: without --push the CLI asks for it all the same.
    const expired = await reauthenticate([], async () => {
      await waitingRequest();
      clock.advance(3 * 60_000); // past the request's 2 minutes
    });
    expect(expired.code).not.toBe(0);
    expect(expired.stderr.trim().split("\n").at(-1)).toMatch(/push request expired before it was approved: run watchword reauthenticate again/);
    expect(await isSudoOpen()).toBe(false);
  }, 40_000);

  it("refuses a wrong password before anything is sent, and --push with --otp-stdin", async () => {
    const wrong = await cli(["reauthenticate", "--password-stdin", "--push"], "not the password\n");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrong.stderr).not.toMatch(/tap \d\d/);
    expect((await phone.listPushRequests()).requests).toEqual([]);
    const both = await cli(["reauthenticate", "--password-stdin", "--push", "--otp-stdin"], `${PASSWORD}\n123456\n`);
    expect(both.code).not.toBe(0);
    expect(both.stderr.trim().split("\n")).toHaveLength(1);
    expect(both.stderr).toContain("--push and --otp-stdin");
  });
});
