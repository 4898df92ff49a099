// `watchword login` (the built CLI, its own process) for an administrator without a second factor:
// alone in the vault it signs in as before; once another user is enabled the server would open a
// session that may only enrol, which the CLI cannot do: one line on stderr, a non-zero exit, no
// token saved, and the session it got is ended.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertNewUser } from "../../src/services/accounts.js";
import { Secret } from "../../src/core/secret.js";
import { cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "quiet-harbour-mosaic-6621";

describe("watchword login of an administrator without a second factor", () => {
  let root: string;
  let server: TestApp;
  let db: TestDatabase;
  const config = () => path.join(root, "config.json");
  const login = () => runCli(["login", "--url", server.url, "--username", "ada", "--password-stdin"], { env: cleanEnv({ WATCHWORD_CONFIG: config(), HOME: root }), input: PASSWORD });
  const sessionsOfAda = async () => {
    const ada = await server.vault.store.users.findUserByUsername("ada");
    return (await server.vault.store.sessions.listSessionsOfUser(ada!.id)).length;
  };

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-admin-mfa-"));
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    await insertNewUser(server.vault.store.users, { username: "ada", role: "admin", password: Secret.fromUtf8(PASSWORD) }, Date.now());
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("signs in the only user as before", async () => {
    const alone = await login();
    expect(alone.stderr).toBe("");
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain("Signed in to");
    await fs.rm(config());
  });

  it("refuses once another user exists, in one line that says to enrol in the web app, and keeps no session", async () => {
    await insertNewUser(server.vault.store.users, { username: "lea", role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now());
    const before = await sessionsOfAda();
    const refused = await login();
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe("");
    const lines = refused.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^watchword: Administrators must have two-step verification once other users exist: sign in to the web app at http:\/\/127\.0\.0\.1:\d+, enrol a second factor/);
    await expect(fs.access(config())).rejects.toThrow();
    expect(await sessionsOfAda()).toBe(before);
  });
});
