// `watchword grant add|list|revoke` as a person runs them: the built command against a real
// server on both databases, names resolved to ids, durations read, and every mistake one line on
// stderr with a non-zero exit and nothing stored. Groups and service accounts come from the store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGroupId, newServiceAccountId } from "../../src/core/ids.js";
import type { WatchwordClient } from "../../src/client/client.js";
import type { GrantList, GrantView } from "../../src/contract/grants.js";
import { cleanEnv, runCli, type CliResult } from "../support/cli.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

function expectFailure(result: CliResult, exitCode: number, pattern: RegExp): void {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: exitCode, stdout: "" });
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^watchword: /);
  expect(lines[0]).toMatch(pattern);
}

const json = <T>(result: CliResult): T => {
  expect([result.code, result.stderr]).toEqual([0, ""]);
  return JSON.parse(result.stdout) as T;
};

describe.each(databaseKinds)("watchword grant on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient & { token: string };
  let bo: WatchwordClient & { token: string };
  let entryId: string;
  let folderId: string;

  const watchword = (args: string[], token = admin.token) => runCli(args, { env: cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: token, HOME: db.dataDir }) });
  const grantCount = async () => (await server.vault.store.grants.listGrants({ includeRevoked: true })).length;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    bo = await signedInClient(server, "bo", "member");
    await server.vault.store.groups.insertGroup({ id: newGroupId(), name: "Platform team" }, Date.now());
    await server.vault.store.serviceAccounts.insertServiceAccount({ id: newServiceAccountId(), name: "ci-deployer", description: null, createdBy: null, createdAt: Date.now() });
    const folder = await admin.createFolder({ name: "Cloud roots" });
    folderId = folder.id;
    entryId = (await admin.createEntry({ name: "AWS root", folderId, seed: { secret: SEED } })).entry.id;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("grants a user use of an entry by names for 8 hours, lists it and revokes it", async () => {
    const added = await watchword(["grant", "add", "--user", "BO", "--entry", "aws root", "--permission", "use", "--expires", "8h"]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^Granted use of the entry "AWS root" to bo \(user\) until \d{4}-\d\d-\d\dT[\d:.]+Z \(grant [0-9a-f-]{36}\)\.\n$/);
    const id = /grant ([0-9a-f-]{36})/.exec(added.stdout)![1]!;
    const stored = (await admin.listGrants({ entryId })).grants.find((g) => g.id === id)!;
    expect(Date.parse(stored.expiresAt!) - Date.parse(stored.createdAt)).toBe(8 * 3_600_000);
    await bo.getCode(entryId);

    const table = await watchword(["grant", "list", "--entry", "AWS root"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^PRINCIPAL\s+PERMISSION\s+ON\s+STATE\s+EXPIRES\s+GRANTED BY\s+ID$/);
    expect(table.stdout).toMatch(new RegExp(`bo \\(user\\)\\s+use\\s+entry AWS root\\s+live\\s+\\S+\\s+ada\\s+${id}`));

    const revoked = await watchword(["grant", "revoke", id]);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked grant ${id}.\n` });
    expect(json<GrantList>(await watchword(["grant", "list", "--entry", entryId, "--json"])).grants.map((g) => g.id)).not.toContain(id);
    expect(json<GrantList>(await watchword(["grant", "list", "--entry", entryId, "--all", "--json"])).grants.find((g) => g.id === id)?.state).toBe("revoked");
  });

  it("grants groups and service accounts on folders, with --json printing the API's grant", async () => {
    const toGroup = json<GrantView>(await watchword(["grant", "add", "--group", "platform TEAM", "--folder", "Cloud roots", "--permission", "manage", "--json"]));
    expect(toGroup).toMatchObject({ principal: { kind: "group", name: "Platform team" }, scope: { kind: "folder", id: folderId }, permission: "manage", expiresAt: null, state: "live" });
    const toRobot = json<GrantView>(await watchword(["grant", "add", "--service-account", "ci-deployer", "--folder", folderId, "--permission", "use", "--expires", "30m", "--json"]));
    expect(toRobot.principal).toMatchObject({ kind: "service_account", name: "ci-deployer" });
    const listed = json<GrantList>(await watchword(["grant", "list", "--folder", "cloud roots", "--json"]));
    expect(listed.grants.map((g) => g.id).sort()).toEqual([toGroup.id, toRobot.id].sort());
    // Without a scope an administrator lists every grant.
    expect(json<GrantList>(await watchword(["grant", "list", "--json"])).grants.length).toBeGreaterThanOrEqual(2);
  });

  it("says each mistake in one line, exits non-zero and stores nothing", async () => {
    const before = await grantCount();
    const base = ["grant", "add", "--entry", "AWS root"];
    expectFailure(await watchword([...base, "--user", "bo", "--permission", "use", "--expires", "8 hours"]), 2, /The duration "8 hours" is not valid: .*30m, 8h or 7d\.$/);
    expectFailure(await watchword([...base, "--user", "bo", "--permission", "use", "--expires", "1.5h"]), 2, /duration "1\.5h"/);
    expectFailure(await watchword([...base, "--user", "bo", "--permission", "admin"]), 2, /The permission "admin" is not one of use, recover or manage\./);
    expectFailure(await watchword([...base, "--permission", "use"]), 2, /one of --user, --group or --service-account/);
    expectFailure(await watchword([...base, "--user", "bo", "--group", "Platform team", "--permission", "use"]), 2, /one of --user, --group or --service-account/);
    expectFailure(await watchword(["grant", "add", "--user", "bo", "--permission", "use"]), 2, /--entry or --folder/);
    expectFailure(await watchword([...base, "--folder", "Cloud roots", "--user", "bo", "--permission", "use"]), 2, /Give --entry or --folder, not both\./);
    expectFailure(await watchword([...base, "--user", "nobody", "--permission", "use"]), 1, /No user is named "nobody"\./);
    expectFailure(await watchword([...base, "--group", "Nobodies", "--permission", "use"]), 1, /No group is named "Nobodies"\./);
    expectFailure(await watchword([...base, "--service-account", "ci-deployer2", "--permission", "use"]), 1, /No service account is named "ci-deployer2"\./);
    // A control character never reaches the terminal: the server refuses the search by key.
    expectFailure(await watchword([...base, "--service-account", "ghost\u001b[2J", "--permission", "use"]), 2, /control character/);
    expectFailure(await watchword(["grant", "add", "--entry", "Nowhere", "--user", "bo", "--permission", "use"]), 1, /No entry named "Nowhere"/);
    expectFailure(await watchword([...base, "--user", "bo", "--permission", "use", "--expires", "99999999d"]), 2, /duration/);
    // The server's own refusals come through as one line too.
    expectFailure(await watchword([...base, "--service-account", "ci-deployer", "--permission", "manage"]), 2, /Service accounts never manage entries/);
    expectFailure(await watchword(["grant", "revoke", "00000000-0000-4000-8000-000000000000"]), 1, /No grant with this id exists/);
    expectFailure(await watchword(["grant", "revoke", "not-an-id"]), 2, /id/);
    // A member who manages nothing may not even look names up.
    expectFailure(await watchword([...base, "--user", "ada", "--permission", "use"], bo.token), 1, /for those who may grant access/);
    expectFailure(await watchword(["grant", "list"], bo.token), 1, /Only administrators list every grant/);
    expect(await grantCount()).toBe(before);
  });

  it("refuses a duplicate live grant in one line", async () => {
    await watchword(["grant", "add", "--user", "bo", "--entry", "AWS root", "--permission", "recover"]);
    expectFailure(await watchword(["grant", "add", "--user", "bo", "--entry", "AWS root", "--permission", "recover"]), 1, /already hold this permission here/);
  });
});
