// A private PostgreSQL cluster for tests that stop and start the database server: initdb in a
// temporary directory, its own port and socket directory, trust authentication, fsync off.
// Never the shared cluster on 5432, which other test runs use at the same time.
// Under CI=true the PostgreSQL binaries must be present; elsewhere their absence is said loudly.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { isCi } from "./databases.js";

const run = promisify(execFile);
const ROOT = "/usr/lib/postgresql";

/** The newest installed server's bin directory (Debian's layout: /usr/lib/postgresql/<version>/bin). */
async function newestBinDir(): Promise<string | undefined> {
  const versions = await fs.readdir(ROOT).catch(() => [] as string[]);
  const usable = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(path.join(ROOT, v, "bin", "initdb")) && existsSync(path.join(ROOT, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return usable[0] === undefined ? undefined : path.join(ROOT, usable[0], "bin");
}

const binDir = await newestBinDir();
if (binDir === undefined && isCi) throw new Error(`PostgreSQL's initdb and pg_ctl are required under CI=true but none was found in ${ROOT}/<version>/bin.`);
if (binDir === undefined) process.stderr.write(`Private PostgreSQL cluster tests are SKIPPED: no initdb and pg_ctl in ${ROOT}/<version>/bin.\n`);

/** Whether a private cluster can be started here. */
export const hasPostgresBinaries = binDir !== undefined;

export interface PrivateCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  /** Stops the server at once, as an operator's fast restart or a failover does (connections are cut). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: run the server's tools as the postgres user then. */
const asServerOwner = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];

export async function startPrivateCluster(): Promise<PrivateCluster> {
  if (binDir === undefined) throw new Error("No PostgreSQL binaries: check hasPostgresBinaries first.");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-pg-"));
  if (process.getuid?.() === 0) {
    const idOf = async (flag: string) => Number((await run("id", [flag, "postgres"])).stdout.trim());
    await fs.chown(dir, await idOf("-u"), await idOf("-g"));
  }
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  const tool = (name: string, args: string[]) => run(...asServerOwner(path.join(binDir, name), args), { timeout: 60_000 });
  await tool("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  let isRunning = false;
  const start = async () => {
    await tool("pg_ctl", ["-D", dataDir, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "-o", serverOptions, "start"]);
    isRunning = true;
  };
  const stop = async () => {
    await tool("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
    isRunning = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    async remove() {
      if (isRunning) await stop().catch(() => run(...asServerOwner(path.join(binDir, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "stop"])));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
