// `watchword request`, `requests`, `approve` and `deny` as people run them: the built command
// against a real `watchword serve`. A member asks, an administrator sees it waiting and approves
// it shorter, the member's code then equals oathtool's; refusals are one line on stderr.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import type { AccessRequest, AccessRequestList } from "../../src/contract/access-requests.js";
import type { CodeReply } from "../../src/contract/codes.js";
import { newGrantId, type EntryId, type UserId } from "../../src/core/ids.js";
import { openStore } from "../../src/store/store.js";
import { cleanEnv, runCli, startServe, type CliResult, type ServeProcess } from "../support/cli.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "copper-lantern-ridge-5513";
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

function expectOneLineFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^watchword: /);
  expect(lines[0]).toMatch(pattern);
}

describe("watchword request, requests, approve and deny", () => {
  let root: string;
  let dataDir: string;
  let server: ServeProcess;
  const tokens: Record<string, string> = {};
  let alice: WatchwordClient;
  let entryId: string;

  const as = (user: string, args: string[]) => runCli(args, { env: cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: tokens[user]!, WATCHWORD_CONFIG: path.join(root, `${user}.json`) }) });
  const json = <T>(result: CliResult): T => {
    expect([result.code, result.stderr]).toEqual([0, ""]);
    return JSON.parse(result.stdout) as T;
  };

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-requests-"));
    dataDir = path.join(root, "data");
    for (const [name, role] of [["alice", "admin"], ["bob", "member"]]) {
      expect((await runCli(["user", "add", name!, "--role", role!, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    for (const name of ["alice", "bob"]) tokens[name] = (await signedInApiClient(server.url, name, PASSWORD)).token; // an administrator among others: the test authenticator
    alice = createClient({ baseUrl: server.url, token: tokens.alice! });
    entryId = (await alice.createEntry({ name: "Registrar", seed: { secret: SEED } })).entry.id;
    await alice.setEntryPolicy(entryId, { approvalsRequired: 1, emergencyAccess: false });
    // bob sees the entry (a standing use grant) but needs an approved request for each use.
    const store = openStore({ dataDir, databaseUrl: undefined });
    try {
      const bob = (await store.users.findUserByUsername("bob"))!;
      const aliceId = (await store.users.findUserByUsername("alice"))!.id;
      await store.grants.insertGrant({ id: newGrantId(), principal: { kind: "user", id: bob.id }, scope: { kind: "entry", id: entryId as EntryId }, permission: "use", expiresAt: null, accessRequestId: null, createdBy: aliceId as UserId, createdAt: Date.now() });
    } finally {
      await store.close();
    }
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("explains each verb with an example", async () => {
    for (const verb of ["request", "requests"]) expect((await as("bob", [verb, "--help"])).stdout).toMatch(/Examples?:\n {2}\$ watchword /);
  });

  it("asks, lists, approves shorter and hands out the code; the requester cannot approve their own", async () => {
    expectOneLineFailure(await as("bob", ["code", "Registrar"]), /approved access request/);
    const asked = json<AccessRequest>(await as("bob", ["request", "registrar", "--duration", "1h", "--reason", "Renew the domain", "--json"]));
    expect(asked).toMatchObject({ status: "pending", durationSeconds: 3600, permission: "use", reason: "Renew the domain" });

    const mine = await as("bob", ["requests"]);
    expect(mine.code).toBe(0);
    expect(mine.stdout).toMatch(new RegExp(`${asked.id}\\s+pending\\s+Registrar\\s+use\\s+1h\\s+bob\\s+0/1\\s+Renew the domain`));
    expect(json<AccessRequestList>(await as("alice", ["requests", "--to-approve", "--json"])).requests.map((r) => r.id)).toContain(asked.id);
    expect((await as("bob", ["requests", "--to-approve"])).stdout).toBe("Nothing waits for your approval.\n");

    expectOneLineFailure(await as("bob", ["approve", asked.id]), /cannot approve, deny or review your own request/);
    const approved = await as("alice", ["approve", asked.id, "--comment", "Thirty minutes", "--duration", "30m"]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/^Approved: bob may use "Registrar" until \d{4}-\d\d-\d\dT/);
    const code = json<CodeReply>(await as("bob", ["code", "Registrar", "--json"]));
    if (hasOathtool) expect(code.code).toBe(runOathtool("--totp", "-b", `--now=@${code.validFrom}`, SEED));
    expectOneLineFailure(await as("alice", ["deny", asked.id]), /no longer open: it is approved/);
  });

  it("denies with a comment, and refuses bad durations and unknown ids in one line", async () => {
    const asked = json<AccessRequest>(await as("bob", ["request", entryId, "--duration", "2d", "--reason", "Weekend on call", "--permission", "recover", "--json"]));
    expect(asked).toMatchObject({ permission: "recover", durationSeconds: 172_800 });
    expect((await as("alice", ["deny", asked.id, "--comment", "Not this weekend"])).stdout).toBe("Denied: bob was told.\n");
    expect((await alice.getAccessRequest(asked.id)).decisions[0]).toMatchObject({ decision: "deny", comment: "Not this weekend" });

    expectOneLineFailure(await as("bob", ["request", "Registrar", "--duration", "1y", "--reason", "Long"]), /The duration "1y" is not understood/);
    expectOneLineFailure(await as("bob", ["request", "Registrar", "--duration", "90d", "--reason", "Long"]), /durationSeconds.*at most 2592000/);
    expectOneLineFailure(await as("bob", ["request", "Registrar", "--duration", "1h", "--reason", "bad\u0007bell"]), /control character/);
    expectOneLineFailure(await as("bob", ["request", "Nowhere", "--duration", "1h", "--reason", "Nothing"]), /Nowhere/);
    expectOneLineFailure(await as("alice", ["approve", "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e"]), /No access request with this id/);
    expectOneLineFailure(await as("alice", ["approve", "not-an-id"]), /id/);
    expect((await alice.listAccessRequests()).requests).toHaveLength(0);
    expect((await createClient({ baseUrl: server.url, token: tokens.bob! }).listAccessRequests()).requests).toHaveLength(2);
  });
});
