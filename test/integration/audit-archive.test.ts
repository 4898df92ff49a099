// `watchword audit archive` and `watchword audit verify --archive` on both databases, run as the
// built command: events older than the age go to a JSON Lines file (written and fsync'd first),
// are deleted, and the chain's start is recorded; the live chain and the archive then verify, and
// tampering with either is named. Killed with SIGKILL half-way, the archiving loses nothing and a
// rerun finishes it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config.js";
import { openVault, type Vault } from "../../src/services/vault.js";
import type { StoredAuditEvent } from "../../src/store/audit-events.js";
import { CLI, cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

const DAY = 86_400_000;
const OLD = 40_000;
const RECENT = 2_000;

describe.each(databaseKinds)("audit archive on %s", (kind) => {
  let db: TestDatabase;
  let vault: Vault;
  let args: string[];
  let file: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    vault = await openVault({ config: loadServerConfig({ dataDir: db.dataDir, databaseUrl: db.databaseUrl }, {}), ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });
    const now = Date.now();
    for (let written = 0; written < OLD + RECENT; written += 1000) {
      const events = Array.from({ length: 1000 }, (_, i) => {
        const n = written + i;
        return {
          id: `3f1b6a52-1c7d-4a6e-9c0b-${String(n).padStart(12, "0")}`,
          at: n < OLD ? now - 60 * DAY + n : now - DAY + n,
          actorType: "user",
          actorId: null,
          actorName: "alice",
          action: "code.issued",
          outcome: "success" as const,
          entryId: null,
          entryName: "AWS root",
          reason: null,
          ip: "203.0.113.24",
          userAgent: "test",
          channel: "api",
          details: `{"n":${n}}`,
        };
      });
      await vault.store.transaction((tx) => tx.auditEvents.appendAuditEvents(events));
    }
    args = ["--data-dir", db.dataDir];
    if (kind === "postgres") args.push("--database-url", `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`);
    file = path.join(db.dataDir, "archive-old.jsonl");
  }, 120_000);
  afterAll(async () => {
    await vault?.close();
    await db?.drop();
  });

  const cli = (...words: string[]) => runCli([...words, ...args], { timeoutMs: 60_000 });

  it("loses nothing when killed half-way, and a rerun finishes", async () => {
    const child = spawn(process.execPath, [CLI, "audit", "archive", "--before", "30d", "--to", file, ...args], { env: cleanEnv(), stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Killed once the archive is being written, before it is whole.
    for (;;) {
      const size = await fs.stat(`${file}.partial`).then((s) => s.size, () => 0);
      if (size > 0 || child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.kill("SIGKILL");
    await exited;
    const state = await vault.store.auditEvents.readAuditChainState();
    expect(existsSync(file)).toBe(false);
    expect(state).toMatchObject({ firstSeq: 1, lastSeq: OLD + RECENT, archived: { seq: 0 } });

    const rerun = await cli("audit", "archive", "--before", "30d", "--to", file);
    expect(rerun, rerun.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(rerun.stdout).toBe(`Archived 40,000 events (events 1 to ${OLD}) to ${file}.\n`);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it("records where the live chain begins, and the archiving as an event, and keeps the file private", async () => {
    const state = await vault.store.auditEvents.readAuditChainState();
    expect(state).toMatchObject({ firstSeq: OLD + 1, archived: { seq: OLD } });
    const [last] = await vault.store.auditEvents.listAuditEvents({ afterSeq: state.lastSeq - 1, limit: 1 });
    expect(last).toMatchObject({ action: "audit.archived", channel: "cli" });
    expect(JSON.parse(last!.details)).toEqual({ firstSeq: 1, throughSeq: OLD, throughLink: state.archived.link, count: OLD, file: "archive-old.jsonl" });
    const lines = (await fs.readFile(file, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(OLD + 1);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ checkpoint: { seq: OLD, link: state.archived.link, firstSeq: 1, count: OLD, keyId: vault.keyring.auditKey.keyId } });
    expect(((await fs.stat(file)).mode & 0o777).toString(8)).toBe("600");
    // Nothing older is left to archive.
    expect(await cli("audit", "archive", "--before", "30d", "--to", path.join(db.dataDir, "again.jsonl"))).toMatchObject({ code: 0, stdout: "No event is older than that: nothing was archived.\n" });
    // An archive already applied is never overwritten.
    const over = await cli("audit", "archive", "--before", "0h", "--to", file);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/exists already and holds events that are no longer in the database/);
    expect((await fs.readFile(file, "utf8")).trimEnd().split("\n")).toHaveLength(OLD + 1);
  });

  it("verifies the live chain from its recorded start, and the archive against its checkpoint", async () => {
    const live = await cli("audit", "verify");
    expect(live, live.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(live.stdout).toMatch(/^The audit chain is intact: 2,001 events/);
    const archive = await cli("audit", "verify", "--archive", file);
    expect(archive, archive.stderr).toMatchObject({ code: 0, stdout: `The archive ${file} is intact: 40,000 events (events 1 to ${OLD}), checked against its checkpoint and the live chain.\n` });
  });

  it("names the event changed, the line cut off and the checkpoint gone in a tampered archive", async () => {
    const original = await fs.readFile(file, "utf8");
    const lines = original.trimEnd().split("\n");
    const tampered = path.join(db.dataDir, "tampered.jsonl");
    const check = async (text: string) => {
      await fs.writeFile(tampered, text);
      const result = await cli("audit", "verify", "--archive", tampered);
      expect(result.code, text.slice(-200)).toBe(1);
      return result.stderr;
    };
    const event = JSON.parse(lines[1233]!) as StoredAuditEvent;
    expect(await check([...lines.slice(0, 1233), JSON.stringify({ ...event, actorName: "mallory" }), ...lines.slice(1234)].join("\n"))).toMatch(/Event 1234 does not match its link/);
    expect(await check([...lines.slice(0, 1233), ...lines.slice(1234)].join("\n"))).toMatch(/Event 1234 is missing/);
    expect(await check(lines.slice(0, -1).join("\n"))).toMatch(/has no checkpoint line/);
    expect(await check([...lines.slice(0, -2), lines.at(-1)!].join("\n"))).toMatch(new RegExp(`does not end at its checkpoint \\(event ${OLD}\\)`));
    expect(await check(`${lines.slice(0, 10).join("\n")}\n{"seq":`)).toMatch(/Line 11 of the archive .* is not an audit event/);
    // Plain garbage and a directory in the file's place: a catalogued line, no stack.
    for (const stderr of [await check("not json at all\n"), (await cli("audit", "verify", "--archive", db.dataDir)).stderr]) {
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("names a changed, deleted or moved start in the remaining rows", async () => {
    const [row] = await vault.store.auditEvents.listAuditEvents({ afterSeq: OLD + 4, limit: 1 });
    await withRawDatabase(db, (raw) => raw.updateTable("audit_events").set({ actor_name: "mallory" }).where("seq", "=", row!.seq).execute());
    const changed = await cli("audit", "verify");
    await withRawDatabase(db, (raw) => raw.updateTable("audit_events").set({ actor_name: row!.actorName }).where("seq", "=", row!.seq).execute());
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(new RegExp(`Event ${OLD + 5} does not match its link`));

    // The first live event deleted: the chain no longer begins where the archive ends.
    const [first] = await vault.store.auditEvents.listAuditEvents({ afterSeq: OLD, limit: 1 });
    const saved = await withRawDatabase(db, (raw) => raw.selectFrom("audit_events").selectAll().where("seq", "=", first!.seq).executeTakeFirstOrThrow());
    await withRawDatabase(db, (raw) => raw.deleteFrom("audit_events").where("seq", "=", first!.seq).execute());
    const deleted = await cli("audit", "verify");
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toMatch(new RegExp(`Event ${OLD + 1} is missing`));

    // A writer of the database deletes more and moves the recorded start on: neither a checkpoint nor the archiving event vouches for it.
    const moved = await vault.store.auditEvents.listAuditEvents({ afterSeq: OLD + 1, limit: 100 });
    await withRawDatabase(db, async (raw) => {
      await raw.deleteFrom("audit_events").where("seq", "<=", moved.at(-1)!.seq).execute();
      await raw.updateTable("audit_head").set({ archived_through_seq: moved.at(-1)!.seq, archived_link: moved.at(-1)!.hash }).execute();
    });
    const unvouched = await cli("audit", "verify");
    expect(unvouched.code).toBe(1);
    expect(unvouched.stderr).toMatch(new RegExp(`starts after event ${moved.at(-1)!.seq}, archived, but no checkpoint and no archiving event vouch`));
    // The archive itself still checks out: it ends before the start now recorded.
    expect((await cli("audit", "verify", "--archive", file)).code).toBe(0);

    await withRawDatabase(db, async (raw) => {
      await raw.insertInto("audit_events").values(saved).execute();
      for (const event of moved) {
        await raw
          .insertInto("audit_events")
          .values({ seq: event.seq, id: event.id, at: event.at, actor_type: event.actorType, actor_id: event.actorId, actor_name: event.actorName, action: event.action, outcome: event.outcome, entry_id: event.entryId, entry_name: event.entryName, reason: event.reason, ip: event.ip, user_agent: event.userAgent, channel: event.channel, details: event.details, prev_hash: event.prevHash, hash: event.hash })
          .execute();
      }
    });
    const checkpoint = (JSON.parse((await fs.readFile(file, "utf8")).trimEnd().split("\n").at(-1)!) as { checkpoint: { link: string } }).checkpoint;
    await withRawDatabase(db, (raw) => raw.updateTable("audit_head").set({ archived_through_seq: OLD, archived_link: checkpoint.link }).execute());
    expect(await cli("audit", "verify")).toMatchObject({ code: 0 });
  });
});
