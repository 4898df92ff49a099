// Starting the server when something around it is wrong, as an operator meets it: the database
// lost beside its key, the port taken. Each ends in one sentence and a documented exit code,
// and changes nothing on disk.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL } from "../support/databases.js";
import { withDefaultUser } from "../../src/store/connect.js";

const PASSWORD = "amber-quartz-meadow-1977";

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = (await fs.readdir(dir)).sort();
  const entries = await Promise.all(files.map(async (f) => [f, createHash("sha256").update(await fs.readFile(path.join(dir, f))).digest("hex")] as const));
  return Object.fromEntries(entries);
}

describe("starting with a fault around the server", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-start-"));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("refuses to start, creating nothing, when the key file exists but the database does not", async () => {
    expect((await runCli(["init", "--data-dir", dataDir])).code).toBe(0);
    await fs.rm(path.join(dataDir, "watchword.db"));
    const before = await snapshot(dataDir);
    expect(Object.keys(before)).toEqual(["master.key"]);

    for (const args of [["serve", "--port", "0"], ["init"], ["user", "add", "eve", "--role", "admin", "--password-stdin"]]) {
      const result = await runCli([...args, "--data-dir", dataDir], { input: PASSWORD });
      expect(result.code).toBe(78);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^watchword: The database file .*watchword\.db is missing but the key file .*master\.key exists: .*--new-vault/);
      expect(result.stdout).not.toContain("setup#token");
      expect(result.stdout).not.toContain("listening");
      expect(await snapshot(dataDir)).toEqual(before);
    }
  });

  it("creates a new vault under an existing key only when asked with --new-vault", async () => {
    expect((await runCli(["init", "--data-dir", dataDir])).code).toBe(0);
    const key = await fs.readFile(path.join(dataDir, "master.key"));
    await fs.rm(path.join(dataDir, "watchword.db"));
    const created = await runCli(["init", "--new-vault", "--data-dir", dataDir]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/setup#token=/);
    expect(await fs.readFile(path.join(dataDir, "master.key"))).toEqual(key);
    // The flag creates only what is missing: on an existing vault it changes nothing.
    const again = await runCli(["init", "--new-vault", "--data-dir", dataDir]);
    expect(again.code).toBe(0);
    expect(await fs.readFile(path.join(dataDir, "master.key"))).toEqual(key);
    expect((await runCli(["serve", "--help"])).stdout).toContain("--new-vault");
  });

  it("names the address and exits 69 when the port is already in use", async () => {
    const occupier = net.createServer();
    await new Promise<void>((resolve) => occupier.listen(0, "127.0.0.1", resolve));
    const port = (occupier.address() as net.AddressInfo).port;
    try {
      const result = await runCli(["serve", "--port", String(port), "--data-dir", dataDir]);
      expect(result.stderr).toBe(`watchword: Port ${port} on 127.0.0.1 is already in use: stop the other server or pass --port.\n`);
      expect(result.code).toBe(69);
      expect(result.stdout).not.toContain("listening");
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });
});

describe.skipIf(!databaseKinds.includes("postgres"))("starting on PostgreSQL with a fault around the server", () => {
  it("refuses to start when the key file exists but the PostgreSQL schema holds no vault", async () => {
    const db = await createTestDatabase("postgres");
    try {
      const env = cleanEnv({ DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}` });
      expect((await runCli(["init", "--data-dir", db.dataDir], { env })).code).toBe(0);
      const admin = new pg.Client({ connectionString: withDefaultUser(TEST_DATABASE_URL) });
      await admin.connect();
      await admin.query(`drop schema ${db.postgresSchema} cascade; create schema ${db.postgresSchema}`);
      await admin.end();

      const result = await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env });
      expect(result.code).toBe(78);
      expect(result.stderr).toMatch(/^watchword: PostgreSQL postgres:\/\/\S+ holds no vault but the key file .*master\.key exists: .*--new-vault .*\.\n$/);
      expect(result.stdout).not.toContain("setup#token");
      expect((await runCli(["init", "--new-vault", "--data-dir", db.dataDir], { env })).stdout).toMatch(/setup#token=/);
    } finally {
      await db.drop();
    }
  });
});
