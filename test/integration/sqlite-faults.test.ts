// What happens to a running `watchword serve` on SQLite when the world around its file changes: another
// process holds the write lock, the file is deleted, moved away or replaced. Real processes and a real
// file throughout: the server is the built CLI, the lock holder a second Node.js process.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError, createClient, type WatchwordClient } from "../../src/client/client.js";
import { sqliteModuleName } from "../../src/store/sqlite-module.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "amber-quartz-meadow-1977";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/** The bound on a wait for another process's write lock (see sqlite-driver.ts), and some slack. */
const BUSY_BOUND_MS = 5000;

interface LockHolder {
  release(): Promise<void>;
}

/** A second process that takes SQLite's write lock on `file` (BEGIN IMMEDIATE) and holds it until released. */
async function holdWriteLock(file: string): Promise<LockHolder> {
  const modulePath = createRequire(import.meta.url).resolve(sqliteModuleName);
  const source = `
    const Sqlite = require(${JSON.stringify(modulePath)});
    const db = new Sqlite(${JSON.stringify(file)}, { fileMustExist: true });
    db.exec("begin immediate");
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("rollback"); db.close(); process.stdout.write("released\\n"); process.exit(0); });
  `;
  const child: ChildProcess = spawn(process.execPath, ["-e", source], { stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (output.includes(text) ? resolve() : undefined);
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      child.once("exit", (code) => (output.includes(text) ? resolve() : reject(new Error(`the lock holder exited with ${code}`))));
      check();
    });
  await printed("locked");
  return {
    async release() {
      const released = printed("released");
      child.stdin!.end("go\n");
      await released;
    },
  };
}

/** Milliseconds `work` took, and how it ended. */
async function timed<T>(work: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await work;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

async function readiness(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sha256 = async (file: string): Promise<string> => createHash("sha256").update(await fs.readFile(file)).digest("hex");

describe("a running server's SQLite file", () => {
  let dataDir: string;
  let file: string;
  let server: ServeProcess | undefined;
  let api: WatchwordClient;
  let entryId: string;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-sqlite-faults-"));
    file = path.join(dataDir, "watchword.db");
    await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    const signedIn = await createClient({ baseUrl: server.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" });
    api = createClient({ baseUrl: server.url, token: signedIn.token! });
    entryId = (await api.createEntry({ name: "Registrar", seed: { secret: SEED } })).entry.id;
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("keeps answering while another process holds the write lock, ends writes in 503 within the bound, and writes again once it is released", async () => {
    const lock = await holdWriteLock(file);
    try {
      const code = timed(api.getCode(entryId));
      const signIn = timed(createClient({ baseUrl: server!.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" }));
      // While both wait for the lock, the event loop is free: probes and reads answer at once.
      const probes: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        probes.push((await timed(api.health())).ms);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const read = await timed(api.listEntries());
      expect(read.value?.entries.map((e) => e.name)).toEqual(["Registrar"]);
      expect(Math.max(...probes, read.ms)).toBeLessThan(250);
      const ready = await readiness(server!.url);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: "unavailable", check: "writable" });
      expect(ready.body.detail).toMatch(/another process is writing to the database/i);

      for (const outcome of [await code, await signIn]) {
        expect(outcome.error).toBeInstanceOf(ApiError);
        expect(outcome.error).toMatchObject({ status: 503, code: "unavailable" });
        expect((outcome.error as ApiError).message).toMatch(/^The database is busy/);
        expect(outcome.ms).toBeGreaterThan(BUSY_BOUND_MS - 1000);
        expect(outcome.ms).toBeLessThan(BUSY_BOUND_MS + 2000);
      }

      // A write that starts while the lock is held goes through as soon as it is released.
      const waiting = timed(api.getCode(entryId));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await lock.release();
      const after = await waiting;
      expect(after.value?.code).toMatch(/^\d{6}$/);
      expect(after.ms).toBeLessThan(2000);
      expect((await readiness(server!.url)).status).toBe(200);
    } finally {
      await lock.release().catch(() => undefined);
    }
  });

  it("refuses writes and readiness once the file is deleted, and writes nothing to the orphaned file", async () => {
    expect((await readiness(server!.url)).status).toBe(200);
    await fs.rm(file);
    const wal = await sha256(`${file}-wal`);

    const ready = await readiness(server!.url);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ code: "unavailable", check: "database_file" });
    expect(ready.body.detail).toMatch(/watchword\.db was deleted, moved or replaced while Watchword was running/);
    for (const attempt of [() => api.getCode(entryId), () => api.createEntry({ name: "Lost", seed: { secret: SEED } })]) {
      await expect(attempt()).rejects.toMatchObject({ status: 503, code: "unavailable", message: expect.stringMatching(/was deleted, moved or replaced/) });
    }
    expect(await api.health()).toEqual({ status: "ok" });
    expect(await sha256(`${file}-wal`)).toBe(wal);
    await expect(fs.stat(file)).rejects.toThrow(/ENOENT/);

    // Stopped and started again, the server refuses the key without its database (exit 78).
    expect(await server!.stop()).toBe(0);
    server = undefined;
    const restart = await runCli(["serve", "--port", "0", "--data-dir", dataDir]);
    expect(restart.code).toBe(78);
    expect(restart.stdout).not.toContain("setup#token");
  });

  it("refuses writes while the file is moved away, and writes again once it is back", async () => {
    await fs.rename(file, `${file}.aside`);
    expect((await readiness(server!.url)).body).toMatchObject({ check: "database_file" });
    await expect(api.getCode(entryId)).rejects.toMatchObject({ status: 503 });
    await fs.rename(`${file}.aside`, file);
    expect((await readiness(server!.url)).status).toBe(200);
    expect((await api.getCode(entryId)).code).toMatch(/^\d{6}$/);
  });

  it("refuses writes once another database replaces the file, and leaves the newcomer untouched", async () => {
    const otherDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-other-"));
    try {
      expect((await runCli(["init", "--data-dir", otherDir])).code).toBe(0);
      await fs.rename(path.join(otherDir, "watchword.db"), file);
      const newcomer = await sha256(file);
      expect((await readiness(server!.url)).body).toMatchObject({ code: "unavailable", check: "database_file" });
      await expect(api.getCode(entryId)).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/replaced/) });
      await expect(api.createEntry({ name: "Stray", seed: { secret: SEED } })).rejects.toMatchObject({ status: 503 });
      expect(await sha256(file)).toBe(newcomer);
      expect(await server!.stop()).toBe(0);
      server = undefined;
      expect(await sha256(file)).toBe(newcomer);
    } finally {
      await fs.rm(otherDir, { recursive: true, force: true });
    }
  });
});
