// `watchword audit` as people and scripts run it: the built command against a real `watchword
// serve`. The table by default, the three exports streamed to standard output and parsed back,
// filters by entry name, actor, action and relative or absolute times, refusals in one line
// (a member, a bad time, two formats at once), and `audit verify` still the local verb it was.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import type { AuditEventView } from "../../src/contract/audit.js";
import { parseAuditTime } from "../../src/cli/audit-command.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { expectFailure, json } from "../support/cli-results.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "saffron-kettle-orbit-2207";
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe("watchword audit", () => {
  let root: string;
  let dataDir: string;
  let server: ServeProcess;
  const tokens: Record<string, string> = {};
  let alice: WatchwordClient;
  let entryId: string;

  const as = (user: string, args: string[]) => runCli(args, { env: cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: tokens[user]!, WATCHWORD_CONFIG: path.join(root, `${user}.json`) }) });

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-audit-"));
    dataDir = path.join(root, "data");
    for (const [name, role] of [["alice", "admin"], ["aude", "auditor"], ["bob", "member"]]) {
      expect((await runCli(["user", "add", name!, "--role", role!, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    for (const name of ["alice", "aude", "bob"]) tokens[name] = (await signedInApiClient(server.url, name, PASSWORD)).token; // an administrator among others: the test authenticator
    alice = createClient({ baseUrl: server.url, token: tokens.alice! });
    entryId = (await alice.createEntry({ name: "Registrar, \"main\"", seed: { secret: SEED } })).entry.id;
    await alice.createEntry({ name: "Other", seed: { secret: SEED } });
    for (let i = 0; i < 3; i += 1) await alice.getCode(entryId);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("prints the newest events as a table", async () => {
    const result = await as("aude", ["audit"]);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const [header, ...rows] = result.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^TIME\s+ACTOR\s+ACTION\s+OUTCOME\s+ENTRY\s+VIA\s+ADDRESS\s+SEQ$/);
    expect(rows.filter((row) => /code\.issued/.test(row))).toHaveLength(3);
    expect(rows[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z\s+alice\s+code\.issued\s+success\s+Registrar, "main"\s+api\s/);
    const limited = await as("aude", ["audit", "--limit", "2"]);
    expect(limited.code).toBe(0);
    expect(limited.stdout.trimEnd().split("\n")).toHaveLength(3);
    expect(limited.stderr).toMatch(/^Showing the newest 2; more match/);
    const none = await as("aude", ["audit", "--actor", "nobody"]);
    expect([none.code, none.stdout.trim()]).toEqual([0, "No audit events match."]);
  });

  it("exports CSV, JSON and JSON Lines filtered by entry name, action, actor and time", async () => {
    const listed = (await alice.listAuditEvents({ entry: entryId, limit: "200" })).events;
    const asJson = json<AuditEventView[]>(await as("alice", ["audit", "--entry", "registrar", "--since", "1h", "--json"]));
    expect(asJson).toEqual(listed);
    const jsonl = await as("aude", ["audit", "--entry", entryId, "--action", "code.issued", "--actor", "alice", "--jsonl"]);
    expect(jsonl.code).toBe(0);
    const lines = jsonl.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as AuditEventView);
    expect(lines.map((e) => e.seq)).toEqual(listed.filter((e) => e.action === "code.issued").map((e) => e.seq));
    const csv = await as("aude", ["audit", "--entry", entryId, "--csv"]);
    expect(csv.code).toBe(0);
    const records = csv.stdout.split("\r\n");
    expect(records[0]).toBe("seq,id,at,actor_type,actor_id,actor_name,action,outcome,target_type,target_id,target_name,entry_id,entry_name,reason,ip,user_agent,channel,details");
    expect(records.at(-1)).toBe("");
    expect(records.slice(1, -1)).toHaveLength(listed.length);
    expect(records[1]).toContain(`,"Registrar, ""main""",`);
    // Nothing from tomorrow on; nothing before an hour ago is from this test's server either.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(json<AuditEventView[]>(await as("aude", ["audit", "--since", tomorrow, "--json"]))).toEqual([]);
    expect(json<AuditEventView[]>(await as("aude", ["audit", "--until", "1h", "--json"]))).toEqual([]);
    for (const output of [csv.stdout, jsonl.stdout]) expect(output).not.toContain(SEED);
  });

  it("refuses members, bad times and two formats at once in one line", async () => {
    expectFailure(await as("bob", ["audit"]), 1, /Only administrators and auditors may read or verify the audit log\./);
    expectFailure(await as("aude", ["audit", "--since", "2026-02-30"]), 2, /The time "2026-02-30" is not valid/);
    expectFailure(await as("aude", ["audit", "--since", "last tuesday"]), 2, /The time "last tuesday" is not valid/);
    expectFailure(await as("aude", ["audit", "--csv", "--jsonl"]), 2, /Choose one of --csv, --json and --jsonl\./);
    expectFailure(await as("aude", ["audit", "--outcome", "maybe"]), 2, /outcome/);
    expectFailure(await as("aude", ["audit", "--limit", "0"]), 2, /The limit must be a whole number from 1 to 100,?000/);
  });

  it("reads times as dates, dates and times, and durations back from now", () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    expect(parseAuditTime("24h", "since", now)).toBe("2026-11-30T12:00:00.000Z");
    expect(parseAuditTime("7d", "since", now)).toBe("2026-11-24T12:00:00.000Z");
    expect(parseAuditTime("2026-11-01", "since", now)).toBe("2026-11-01T00:00:00.000Z");
    expect(parseAuditTime("2026-11-01T09:30", "since", now)).toBe("2026-11-01T09:30:00.000Z");
    expect(parseAuditTime("2026-11-01T09:30:00+02:00", "since", now)).toBe("2026-11-01T07:30:00.000Z");
    for (const bad of ["", "24", "1.5h", "2026-02-29", "2026-11-01T25:00", "tomorrow", "2026-11-01T09:30:00+99:00x"]) {
      expect(() => parseAuditTime(bad, "since", now), bad).toThrow(/is not valid/);
    }
  });

  it("keeps audit verify a local verb with its own --json", async () => {
    const verdict = json<{ intact: boolean; eventsChecked: number }>(await runCli(["audit", "verify", "--json", "--data-dir", dataDir], { env: cleanEnv(), timeoutMs: 60_000 }));
    expect(verdict.intact).toBe(true);
    expect(verdict.eventsChecked).toBeGreaterThanOrEqual(5);
  });
});
