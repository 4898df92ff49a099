// Service accounts from the command line: an administrator creates one and a token with the
// built `watchword` command; a script then gets a code with only WATCHWORD_URL and WATCHWORD_TOKEN
// (the entry by name, within the token's scope), and with the README's one curl call. Errors are
// one line on stderr with a non-zero exit; the token is printed once and never again.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGrantId, type EntryId, type FolderId, type ServiceAccountId, type UserId } from "../../src/core/ids.js";
import type { ApiTokenList, CreatedApiToken, ServiceAccount } from "../../src/contract/service-accounts.js";
import type { CodeReply } from "../../src/contract/codes.js";
import { cleanEnv, runCli, type CliResult } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const hasCurl = (() => {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function expectFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^watchword: /);
  expect(lines[0]).toMatch(pattern);
}

describe("watchword service-account and token", () => {
  let db: TestDatabase;
  let server: TestApp;
  let adminEnv: Record<string, string>;
  let entryId: string;
  let folderId: string;
  let script: CreatedApiToken;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    const admin = await signedInClient(server, "ada", "admin");
    adminEnv = cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: admin.token, WATCHWORD_CONFIG: `${db.dataDir}/no-config.json` });
    entryId = (await admin.createEntry({ name: "AWS root", seed: { secret: SEED } })).entry.id;
    await admin.createEntry({ name: "AWS staging", seed: { secret: SEED } });
    const banks = await admin.createFolder({ name: "Banks" });
    folderId = banks.id;
    await admin.createEntry({ name: "Bank portal", folderId, seed: { secret: SEED } });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const run = (args: string[], env = adminEnv) => runCli(args, { env });
  const ok = (result: CliResult): string => {
    expect([result.code, result.stderr]).toEqual([0, expect.any(String)]);
    return result.stdout;
  };

  it("creates, lists, disables and enables a service account", async () => {
    const created = JSON.parse(ok(await run(["service-account", "create", "deploy-bot", "--description", "Release pipeline", "--json"]))) as ServiceAccount;
    expect(created).toMatchObject({ name: "deploy-bot", description: "Release pipeline", disabledAt: null });
    expect(ok(await run(["service-account", "list"]))).toMatch(/deploy-bot\s+enabled\s+0/);
    expect(ok(await run(["service-account", "disable", "DEPLOY-BOT"]))).toContain("disabled");
    expect(ok(await run(["service-account", "list"]))).toMatch(/deploy-bot\s+disabled/);
    expect(ok(await run(["service-account", "enable", "deploy-bot"]))).toContain("enabled");
    expectFailure(await run(["service-account", "create", "deploy-bot"]), /already exists/);
    expectFailure(await run(["service-account", "disable", "nobody-bot"]), /No service account named "nobody-bot"/);
  });

  it("creates a token printed once, that a script uses with WATCHWORD_URL and WATCHWORD_TOKEN to get a code by entry name", async () => {
    const result = await run(["token", "create", "--service-account", "deploy-bot", "--entry", "AWS root", "--folder", "Banks", "--permission", "use", "recover", "--expires", "30d", "--allow-cidr", "127.0.0.1/32", "--label", "CI", "--json"]);
    script = JSON.parse(ok(result)) as CreatedApiToken;
    expect(script.token).toMatch(/^ww_[A-Za-z0-9_-]{43}$/);
    expect(script).toMatchObject({ serviceAccountName: "deploy-bot", label: "CI", allowedCidrs: ["127.0.0.1/32"], scope: { entryIds: [entryId], permissions: ["use", "recover"] } });
    expect(Date.parse(script.expiresAt!) - Date.parse(script.createdAt)).toBe(30 * 86_400_000);
    const account = (await server.vault.store.serviceAccounts.findServiceAccountByName("deploy-bot"))!;
    const admin = (await server.vault.store.users.findUserByUsername("ada"))!;
    await server.vault.store.grants.insertGrant({
      id: newGrantId(),
      principal: { kind: "service_account", id: account.id as ServiceAccountId },
      scope: { kind: "entry", id: entryId as EntryId },
      permission: "use",
      expiresAt: null,
      accessRequestId: null,
      createdBy: admin.id as UserId,
      createdAt: Date.now(),
    });
    await server.vault.store.grants.insertGrant({
      id: newGrantId(),
      principal: { kind: "service_account", id: account.id as ServiceAccountId },
      scope: { kind: "folder", id: folderId as FolderId },
      permission: "use",
      expiresAt: null,
      accessRequestId: null,
      createdBy: admin.id as UserId,
      createdAt: Date.now(),
    });

    const scriptEnv = cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: script.token, WATCHWORD_CONFIG: `${db.dataDir}/no-config.json` });
    const code = (await run(["code", "aws root"], scriptEnv)).stdout.trim();
    expect(code).toMatch(/^\d{6}$/);
    const reply = JSON.parse(ok(await run(["code", "AWS root", "--json"], scriptEnv))) as CodeReply;
    if (hasOathtool) expect(reply.code).toBe(runOathtool("--totp", "-b", `--now=@${reply.validFrom}`, SEED));
    // Its entries, the folder shown by id (a token may not list folders).
    const listing = ok(await run(["entries"], scriptEnv));
    expect(listing).toMatch(/AWS root/);
    expect(listing).toMatch(new RegExp(`Bank portal\\s+${folderId.slice(0, 8)}`));
    expect(listing).not.toMatch(/AWS staging/);
    // Outside the scope: not even by name.
    expectFailure(await run(["code", "AWS staging"], scriptEnv), /No entry named "AWS staging"/);
    // Administration is not a script's.
    expectFailure(await run(["token", "list"], scriptEnv), /may only get codes/);

    const listed = JSON.parse(ok(await run(["token", "list", "--service-account", "deploy-bot", "--json"]))) as ApiTokenList;
    expect(listed.tokens).toHaveLength(1);
    expect(listed.tokens[0]).toMatchObject({ id: script.id, lastUsedIp: "127.0.0.1", state: "active" });
    const table = ok(await run(["token", "list"]));
    expect(table).toMatch(new RegExp(`${script.id}\\s+deploy-bot\\s+CI\\s+active`));
    expect(table + JSON.stringify(listed)).not.toContain(script.token);
  });

  it.skipIf(!hasCurl)("answers the README's one curl call with the code", async () => {
    // Asynchronously: the server runs in this process and must answer while curl waits.
    const { stdout } = await promisify(execFile)("curl", ["-sS", "--fail-with-body", "--max-time", "20", "-H", `Authorization: Bearer ${script.token}`, `${server.url}/api/v1/entries/${entryId}/code`], { encoding: "utf8" });
    const reply = JSON.parse(stdout) as CodeReply;
    expect(reply).toMatchObject({ type: "totp", digits: 6, period: 30 });
    if (hasOathtool) expect(reply.code).toBe(runOathtool("--totp", "-b", `--now=@${reply.validFrom}`, SEED));
  });

  it("prints a plain token alone on stdout, revokes it at once, and refuses bad flags in one line", async () => {
    const plain = await run(["token", "create", "--service-account", "deploy-bot", "--entry", entryId]);
    expect(plain.code).toBe(0);
    const token = plain.stdout.trim();
    expect(token).toMatch(/^ww_[A-Za-z0-9_-]{43}$/);
    expect(plain.stderr).toMatch(/shown this once/);
    expect(plain.stderr).not.toContain(token);
    const id = /Token (\S+) for/.exec(plain.stderr)![1]!;
    expect(ok(await run(["token", "revoke", id]))).toContain("revoked");
    const scriptEnv = cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: token, WATCHWORD_CONFIG: `${db.dataDir}/no-config.json` });
    expectFailure(await run(["code", "AWS root"], scriptEnv), /revoked/);

    expectFailure(await run(["token", "create", "--service-account", "deploy-bot", "--entry", "AWS root", "--expires", "soon"]), /--expires takes a duration/);
    expectFailure(await run(["token", "create", "--service-account", "deploy-bot", "--entry", "No such entry"]), /No entry named/);
    expectFailure(await run(["token", "create", "--service-account", "deploy-bot"]), /at least one entry or folder/);
    expectFailure(await run(["token", "create", "--service-account", "deploy-bot", "--entry", "AWS root", "--allow-cidr", "10.0.0.0/99"]), /prefix/);
    expectFailure(await run(["token", "create", "--service-account", "ghost-bot", "--entry", "AWS root"]), /No service account named/);
    expectFailure(await run(["token", "revoke", "not-an-id"]), /Give the token's id/);
    expectFailure(await run(["token", "revoke", "00000000-0000-4000-8000-000000000000"]), /no such API token/);
    const permission = await run(["token", "create", "--service-account", "deploy-bot", "--entry", "AWS root", "--permission", "manage"]);
    expect(permission.code).not.toBe(0);
    expect(permission.stdout).toBe("");
  });
});
