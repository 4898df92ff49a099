// `watchword login` (the built CLI, its own process) against a real server for a user with an authenticator app: the
// code read from standard input with --otp-stdin (after the password line), a replayed code
// refused with the server's sentence, and no code on a pipe without --otp-stdin.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Secret as OtpSecret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import { cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "quiet-harbour-mosaic-6621";

describe("watchword login with a second factor", () => {
  let root: string;
  let server: TestApp;
  let db: TestDatabase;
  let key = "";
  const code = (offset = 0) => new TOTP({ secret: OtpSecret.fromBase32(key) }).generate({ timestamp: Date.now() + offset * 30_000 });
  const env = () => cleanEnv({ WATCHWORD_CONFIG: path.join(root, "config.json"), HOME: root });
  const login = (input: string, extra: string[] = ["--otp-stdin"]) => runCli(["login", "--url", server.url, "--username", "lea", "--password-stdin", ...extra], { env: env(), input });

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-mfa-"));
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    await insertNewUser(server.vault.store.users, { username: "lea", role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now());
    const api = createClient({ baseUrl: server.url });
    const signedIn = createClient({ baseUrl: server.url, token: (await api.signIn({ username: "lea", password: PASSWORD, client: "cli" })).token! });
    await signedIn.reauthenticate({ password: PASSWORD });
    const enrolment = await signedIn.startTotpEnrolment();
    key = enrolment.manualKey.replaceAll(" ", "");
    await signedIn.confirmTotpEnrolment(enrolment.factorId, { code: code() });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("signs in with the password and the code on standard input, and refuses the code again", async () => {
    // The step enrolment used is spent: wait for a code of a later step.
    const fresh = code(1);
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 50));
    const first = await login(`${PASSWORD}\n${fresh.slice(0, 3)} ${fresh.slice(3)}\n`, ["--otp-stdin", "--json"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ user: { username: "lea" } });
    const saved = JSON.parse(await fs.readFile(path.join(root, "config.json"), "utf8")) as { token: string };
    expect(saved.token).toMatch(/^ww_s_/);

    const replay = await login(`${PASSWORD}\n${fresh}\n`);
    expect(replay.code).not.toBe(0);
    expect(replay.stdout).toBe("");
    expect(replay.stderr.trim().split("\n")).toHaveLength(1);
    expect(replay.stderr).toContain("This code was already used");
  }, 60_000);

  it("says what to do when the code cannot be asked for", async () => {
    const piped = await login(`${PASSWORD}\n`, []);
    expect(piped.code).not.toBe(0);
    expect(piped.stderr).toContain("--otp-stdin");
    const empty = await login(`${PASSWORD}\n\n`);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain("held no code");
  });
});
