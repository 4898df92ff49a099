// `watchword user …` and `watchword group …` over the API, as an administrator runs them against
// a real server: JSON that is the API's own object, sentences for people, and one-line errors
// with a non-zero exit code; `user unlock` over the API when a credential is given.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import type { Group, GroupList } from "../../src/contract/groups.js";
import type { UnlockUserReply, User, UserLinkReply, UserList } from "../../src/contract/users.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { expectFailure, json } from "../support/cli-results.js";

const PASSWORD = "amber-quartz-meadow-1977";

describe("watchword user and group over the API", () => {
  let root: string;
  let server: ServeProcess;
  let env: Record<string, string>;
  const watchword = (args: string[], options: { env?: Record<string, string> } = {}) => runCli(args, { env: options.env ?? env });

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-people-"));
    const dataDir = path.join(root, "data");
    expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    const token = (await createClient({ baseUrl: server.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" })).token!;
    env = cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: token, WATCHWORD_CONFIG: path.join(root, "config.json") });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("explains every verb with an example", async () => {
    for (const verb of ["list", "invite", "disable", "enable", "role", "unlock", "reset-password", "delete"]) {
      expect((await watchword(["user", verb, "--help"])).stdout, verb).toMatch(/Examples?:\n {2}\$ watchword user /);
    }
    for (const verb of ["list", "create", "rename", "delete", "add-member", "remove-member"]) {
      expect((await watchword(["group", verb, "--help"])).stdout, verb).toMatch(/Examples?:\n {2}\$ watchword group /);
    }
  });

  it("invites, lists, changes roles, disables and enables users", async () => {
    const invited = json<UserLinkReply>(await watchword(["user", "invite", "bob", "--role", "member", "--display-name", "Bob Durand", "--email", "bob@example.com", "--json"]));
    expect(invited).toMatchObject({ user: { username: "bob", status: "invited", email: "bob@example.com" }, mailed: false });
    const text = await watchword(["user", "invite", "carol", "--role", "auditor"]);
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(text.stdout).toMatch(/^Invited auditor "carol"\. Give them this one-time link \(valid until .+\); it is not shown again\.\n\n {2}http:\/\/127\.0\.0\.1:\d+\/join#token=\S+\n/);
    await createClient({ baseUrl: server.url }).acceptInvite({ token: new URL(invited.link).hash.slice("#token=".length), password: "saffron-harbour-kettle-5820" });

    const list = json<UserList>(await watchword(["user", "list", "--json"]));
    expect(list.users.map((u) => [u.username, u.status])).toEqual([["alice", "active"], ["bob", "active"], ["carol", "invited"]]);
    const table = (await watchword(["user", "list"])).stdout.split("\n");
    expect(table[0]).toMatch(/^USERNAME\s+DISPLAY NAME\s+ROLE\s+STATUS\s+E-MAIL\s+ID$/);
    expect(table[2]).toMatch(/^bob\s+Bob Durand\s+member\s+active\s+bob@example\.com\s+[0-9a-f-]{36}$/);

    expect(await watchword(["user", "role", "BOB", "auditor"])).toMatchObject({ code: 0, stdout: '"bob" is now auditor.\n' });
    expect(json<User>(await watchword(["user", "role", "bob", "member", "--json"])).role).toBe("member");
    expect(await watchword(["user", "disable", "bob"])).toMatchObject({ code: 0, stdout: 'Disabled "bob"; their sessions have ended.\n' });
    expect(json<User>(await watchword(["user", "enable", "bob", "--json"])).status).toBe("active");
    const reset = await watchword(["user", "reset-password", "bob"]);
    expect(reset.stdout).toMatch(/\/reset-password#token=/);
    expect(json<UnlockUserReply>(await watchword(["user", "unlock", "bob", "--json"]))).toMatchObject({ user: { username: "bob" }, wasLocked: false, failedSignInsCleared: 0 });
    expect(await watchword(["user", "unlock", "bob"])).toMatchObject({ code: 0, stdout: '"bob" was not locked; forgot 0 failed sign-ins.\n' });

    const dave = json<UserLinkReply>(await watchword(["user", "invite", "dave", "--role", "member", "--json"]));
    const daveSession = (await createClient({ baseUrl: server.url }).acceptInvite({ token: new URL(dave.link).hash.slice("#token=".length), password: "saffron-harbour-kettle-5820" })).session;
    expect(daveSession.user.username).toBe("dave");
    const daveClient = createClient({ baseUrl: server.url, token: (await createClient({ baseUrl: server.url }).signIn({ username: "dave", password: "saffron-harbour-kettle-5820", client: "cli" })).token! });
    const entry = (await daveClient.createEntry({ name: "Dave's bank", seed: { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" } })).entry;
    expectFailure(await watchword(["user", "delete", "dave"]), 1, /owns 1 entry: choose who receives it/);
    expect(await watchword(["user", "delete", "dave", "--entries-to", "alice"])).toMatchObject({ code: 0, stdout: 'Deleted "dave"; their entries now belong to "alice".\n' });
    const alice = json<UserList>(await watchword(["user", "list", "--json"])).users.find((u) => u.username === "alice")!;
    expect((await createClient({ baseUrl: server.url, token: env.WATCHWORD_TOKEN! }).getEntry(entry.id)).ownerId).toBe(alice.id);
  });

  it("creates, renames, fills and deletes groups by name", async () => {
    expect(await watchword(["group", "list"])).toMatchObject({ code: 0, stdout: "No groups yet: create one with `watchword group create NAME`.\n" });
    const created = json<Group>(await watchword(["group", "create", "Finance", "--json"]));
    expect(created).toMatchObject({ name: "Finance", members: [] });
    expect((await watchword(["group", "rename", "finance", "Finance team"])).stdout).toBe('Renamed the group to "Finance team".\n');
    expect((await watchword(["group", "add-member", "Finance team", "bob"])).stdout).toBe('Added "bob" to the group "Finance team" (1 member).\n');
    const list = json<GroupList>(await watchword(["group", "list", "--json"]));
    expect(list.groups.map((g) => [g.name, g.members.map((m) => m.username)])).toEqual([["Finance team", ["bob"]]]);
    expect((await watchword(["group", "list"])).stdout).toMatch(/^NAME\s+MEMBERS\s+ID\nFinance team\s+bob\s+[0-9a-f-]{36}\n$/);
    expect(json<Group>(await watchword(["group", "remove-member", created.id, "bob", "--json"])).members).toEqual([]);
    expect(json<{ deleted: boolean }>(await watchword(["group", "delete", "Finance team", "--json"]))).toEqual({ id: created.id, name: "Finance team", deleted: true });
  });

  it("says what is wrong in one line with a non-zero exit code", async () => {
    expectFailure(await watchword(["user", "role", "nobody", "member"]), 1, /No user named "nobody"/);
    expectFailure(await watchword(["user", "role", "bob", "root"]), 2, /role must be admin, member or auditor, not "root"/);
    expectFailure(await watchword(["user", "invite", "dave", "--role", "king"]), 2, /role must be admin, member or auditor/);
    expectFailure(await watchword(["user", "invite", "bob", "--role", "member"]), 1, /A user named "bob" already exists/);
    expectFailure(await watchword(["user", "invite", "bad name", "--role", "member"]), 2, /A username is 1 to 64 characters/);
    expectFailure(await watchword(["user", "role", "alice", "member"]), 1, /last enabled administrator/);
    expectFailure(await watchword(["user", "disable", "alice"]), 1, /last enabled administrator/);
    expectFailure(await watchword(["group", "delete", "Nothing"]), 1, /No group named "Nothing"/);
    expectFailure(await watchword(["group", "create", "x".repeat(101)]), 2, /at most 100 characters/);
    expectFailure(await watchword(["group", "create", "Bell\u0007"]), 2, /control character/);
    const bob = (await createClient({ baseUrl: server.url }).signIn({ username: "bob", password: "saffron-harbour-kettle-5820", client: "cli" })).token!;
    expectFailure(await watchword(["user", "list"], { env: { ...env, WATCHWORD_TOKEN: bob } }), 1, /Only administrators manage users and groups/);
    expectFailure(await watchword(["user", "list"], { env: cleanEnv({ WATCHWORD_CONFIG: path.join(root, "none.json") }) }), 1, /Not signed in/);
  });
});
