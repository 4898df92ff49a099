// /readyz on a disk that fills up under a running `watchword serve`: a real, small file system (tmpfs,
// mounted for this file, so it needs root, as CI has) filled with a real file.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { MIN_FREE_BYTES } from "../../src/store/sqlite-file-health.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { isCi } from "../support/databases.js";

const PASSWORD = "amber-quartz-meadow-1977";
const MIB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
if (!isRoot && isCi) throw new Error("The full-disk test mounts a tmpfs and must run as root under CI=true.");
if (!isRoot) process.stderr.write("The full-disk test is SKIPPED: mounting a tmpfs needs root.\n");

async function readiness(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function freeBytes(dir: string): Promise<number> {
  const { bavail, bsize } = await fs.statfs(dir);
  return bavail * bsize;
}

describe.skipIf(!isRoot)("readiness on a disk that fills up", () => {
  let mountPoint: string;
  let dataDir: string;
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    mountPoint = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-full-disk-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint]);
    dataDir = path.join(mountPoint, "data");
    await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
  });
  afterAll(async () => {
    await server?.stop();
    execFileSync("umount", [mountPoint]);
    await fs.rm(mountPoint, { recursive: true, force: true });
  });

  it("says not ready, naming the disk, while the disk is nearly or completely full, and ready again once there is room", async () => {
    expect(await readiness(server!.url)).toMatchObject({ status: 200, body: { status: "ready" } });

    const filler = path.join(mountPoint, "filler");
    await fs.writeFile(filler, Buffer.alloc((await freeBytes(mountPoint)) - MIN_FREE_BYTES + MIB));
    const nearlyFull = await readiness(server!.url);
    expect(nearlyFull.status).toBe(503);
    expect(nearlyFull.body).toMatchObject({ code: "unavailable", check: "disk_space" });
    expect(nearlyFull.body.detail).toMatch(new RegExp(`^Only \\d\\.\\d MiB is free on the file system of ${dataDir}; Watchword needs 4\\.0 MiB`));

    // Every last block: the server keeps running and keeps saying why it is not ready.
    await expect(fs.appendFile(filler, Buffer.alloc(8 * MIB))).rejects.toThrow(/ENOSPC/);
    expect(await freeBytes(mountPoint)).toBeLessThan(64 * 1024);
    expect(await readiness(server!.url)).toMatchObject({ status: 503, body: { check: "disk_space" } });
    expect(await createClient({ baseUrl: server!.url }).health()).toEqual({ status: "ok" });

    await fs.rm(filler);
    expect(await readiness(server!.url)).toMatchObject({ status: 200, body: { status: "ready" } });
  });
});
