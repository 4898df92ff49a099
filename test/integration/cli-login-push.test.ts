// `watchword login --push` (the built CLI, its own process) against a real server: it prints the
// number, waits while the other device taps it, and signs in; a denial, its own time-out and
// Ctrl-C each end it with a one-line error and no token saved.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { CLI, cleanEnv } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "quiet-harbour-mosaic-6621";

describe("watchword login with push approval", () => {
  let root: string;
  let server: TestApp;
  let db: TestDatabase;
  let phone: WatchwordClient;
  const configFile = () => path.join(root, "config.json");

  /** Runs login --push; `onNumber` is called with the number once the CLI prints it. */
  function login(extra: string[], onNumber: (number: number, stop: () => void) => Promise<void>) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, "login", "--url", server.url, "--username", "lea", "--password-stdin", "--push", ...extra], {
        env: cleanEnv({ WATCHWORD_CONFIG: configFile(), HOME: root }),
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      let isSeen = false;
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        const match = /tap (\d\d)\b/.exec(stderr);
        if (match !== null && !isSeen) {
          isSeen = true;
          onNumber(Number(match[1]), () => child.kill("SIGINT")).catch(reject);
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

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-push-"));
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    await insertNewUser(server.vault.store.users, { username: "lea", role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now());
    phone = server.newClient();
    await phone.startSignIn({ username: "lea", password: PASSWORD });
    await phone.reauthenticate({ password: PASSWORD });
    await phone.registerPushDevice({});
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("prints the number, waits for the other device to tap it, and saves the token", async () => {
    const result = await login(["--json"], async (number) => {
      const request = await waitingRequest();
      expect(request.choices).toContain(number);
      await phone.decidePushRequest(request.id, { number });
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ url: server.url, user: { username: "lea" } });
    expect(JSON.parse(await fs.readFile(configFile(), "utf8")).token).toMatch(/^ww_s_/);
  });

  it("ends with one line when the other device denies, when its time runs out, and on Ctrl-C", async () => {
    await fs.rm(configFile(), { force: true });
    const denied = await login([], async () => {
      await phone.decidePushRequest((await waitingRequest()).id, { deny: true });
    });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr.trim().split("\n").at(-1)).toMatch(/refused on your other device/);

    const late = await login(["--push-timeout", "1"], async () => undefined);
    expect(late.code).not.toBe(0);
    expect(late.stderr).toMatch(/No approval within 1 s/);

    const stopped = await login([], async (_number, stop) => stop());
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/Stopped waiting for the push approval/);
    await expect(fs.access(configFile())).rejects.toThrow();
    // The waiting requests were left unanswered: the phone can still deny them, nothing signed in.
    expect((await phone.listPushRequests()).requests.length).toBeGreaterThanOrEqual(1);
  });
});
