// `watchword reauthenticate` (the built CLI, its own process): after the sudo window of the login
// has passed, an administrator's sensitive command is refused with a line that says what to run;
// the password and the authenticator app's code (--password-stdin --otp-stdin) open the window
// again and the command then works; a wrong code opens nothing. The server's clock is a ManualClock.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Secret as OtpSecret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { ManualClock } from "../../src/core/clock.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "amber-quarry-violet-3318";
const STEP = 30_000;

describe("watchword reauthenticate", () => {
  let root: string;
  let server: TestApp;
  let db: TestDatabase;
  let key = "";
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 10));
  const code = () => new TOTP({ secret: OtpSecret.fromBase32(key) }).generate({ timestamp: clock.now() });
  const env = () => cleanEnv({ WATCHWORD_CONFIG: path.join(root, "config.json"), HOME: root });
  const cli = (args: string[], input?: string) => runCli(args, { env: env(), ...(input === undefined ? {} : { input }) });
  const oneLine = (stderr: string) => expect(stderr.trim().split("\n")).toHaveLength(1);

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-sudo-"));
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { clock });
    await insertNewUser(server.vault.store.users, { username: "ada", role: "admin", password: Secret.fromUtf8(PASSWORD) }, clock.now());
    const api = createClient({ baseUrl: server.url, token: (await createClient({ baseUrl: server.url }).signIn({ username: "ada", password: PASSWORD, client: "cli" })).token! });
    const enrolment = await api.startTotpEnrolment();
    key = enrolment.manualKey.replaceAll(" ", "");
    await api.confirmTotpEnrolment(enrolment.factorId, { code: code() });
    clock.advance(STEP);
    const login = await cli(["login", "--url", server.url, "--username", "ada", "--password-stdin", "--otp-stdin"], `${PASSWORD}\n${code()}\n`);
    expect(login.code, login.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("is what a refused sensitive command names, and opens the window again with the password and the code", async () => {
    clock.advance(11 * 60_000); // past the login's sudo window (10 minutes)
    const refused = await cli(["user", "invite", "bob", "--role", "member"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe("");
    oneLine(refused.stderr);
    expect(refused.stderr).toContain("Confirm your password (and second factor) again to do this. Run `watchword reauthenticate`, then the command again.");

    const wrong = await cli(["reauthenticate", "--password-stdin", "--otp-stdin"], `${PASSWORD}\n000000\n`);
    expect(wrong.code).not.toBe(0);
    oneLine(wrong.stderr);
    expect(wrong.stderr).toMatch(/code/i);
    expect((await cli(["user", "invite", "bob", "--role", "member"])).code).not.toBe(0); // still closed

    const done = await cli(["reauthenticate", "--password-stdin", "--otp-stdin", "--json"], `${PASSWORD}\n${code()}\n`);
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({ url: server.url, username: "ada", reauthenticatedUntil: new Date(clock.now() + 10 * 60_000).toISOString() });
    const invited = await cli(["user", "invite", "bob", "--role", "member"]);
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toContain('Invited member "bob"');
  }, 60_000);

  it("says what is missing when standard input holds no code", async () => {
    const piped = await cli(["reauthenticate", "--password-stdin"], `${PASSWORD}\n`);
    expect(piped.code).not.toBe(0);
    oneLine(piped.stderr);
    expect(piped.stderr).toContain("--otp-stdin");
    const wrongPassword = await cli(["reauthenticate", "--password-stdin"], "not the password\n");
    expect(wrongPassword.code).not.toBe(0);
    oneLine(wrongPassword.stderr);
  });
});
