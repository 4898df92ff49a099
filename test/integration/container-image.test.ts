// Builds the image with podman and runs it as an operator would: a read-only root filesystem, its
// data in a volume, as uid 10001, answering /healthz and passing its own HEALTHCHECK.
//
// Opt-in (WATCHWORD_TEST_CONTAINER=1): a build takes minutes (npm ci, a native compile), far past
// the suite's per-file budget. On the development machine a plain `podman build`/`podman run` does
// not work, for three reasons, each with its setting below:
//  - no registry is reachable (docker.io does not resolve): WATCHWORD_TEST_NODE_IMAGE names a local
//    stand-in for node:20-bookworm-slim (README "Packaging" says how it was made);
//  - crun refuses the hybrid cgroup hierarchy and setrlimit beyond the current limits: the run
//    uses WATCHWORD_TEST_CONTAINER_RUNTIME=runc and ulimits at or below this shell's;
//  - RUN steps need an OCI runtime too: the build uses --isolation=chroot.
import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const isWanted = process.env.WATCHWORD_TEST_CONTAINER === "1";
const hasPodman = spawnSync("podman", ["--version"], { stdio: "ignore" }).status === 0;
const baseImage = process.env.WATCHWORD_TEST_NODE_IMAGE ?? "docker.io/library/node:20-bookworm-slim";
const runtime = process.env.WATCHWORD_TEST_CONTAINER_RUNTIME;
const TAG = "localhost/watchword:container-test";

const podman = (args: string[], timeoutMs = 120_000): string =>
  execFileSync("podman", [...(runtime === undefined ? [] : ["--runtime", runtime]), ...args], { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] });

if (!isWanted) process.stderr.write("container-image.test.ts: skipped (set WATCHWORD_TEST_CONTAINER=1 to build and run the image with podman; it takes minutes)\n");

describe.skipIf(!isWanted)("the container image under podman", () => {
  it("builds, runs on a read-only root as uid 10001 with /data a volume, and answers /healthz", () => {
    expect(hasPodman, "podman is missing: apt-get install -y podman").toBe(true);
    podman(["build", "--isolation=chroot", "--format", "docker", "--build-arg", `NODE_IMAGE=${baseImage}`, "-t", TAG, "."], 1_800_000);
    const config = JSON.parse(podman(["image", "inspect", TAG])) as { Config: { User: string; Healthcheck?: { Test: string[] }; Volumes?: Record<string, unknown> } }[];
    expect(config[0]!.Config.User).toBe("10001:10001");
    expect(Object.keys(config[0]!.Config.Volumes ?? {})).toEqual(["/data"]);
    expect(config[0]!.Config.Healthcheck?.Test.join(" ")).toContain("/app/packaging/healthcheck.mjs");
    // No dev dependency reached the runtime stage.
    const modules = podman(["run", "--rm", "--entrypoint", "ls", ...ulimits(), TAG, "/app/node_modules"]);
    for (const dev of ["vitest", "typescript", "vite", "eslint"]) expect(modules.split("\n")).not.toContain(dev);

    const volume = `watchword-test-${process.pid}`;
    const name = `watchword-test-${process.pid}`;
    podman(["volume", "create", volume]);
    try {
      podman(["run", "-d", "--name", name, "--read-only", "--tmpfs", "/tmp", "-v", `${volume}:/data`, "--network", "host", "-e", "WATCHWORD_HOST=127.0.0.1", "-e", "WATCHWORD_PORT=18480", ...ulimits(), TAG]);
      const until = Date.now() + 120_000;
      let healthy = false;
      while (!healthy && Date.now() < until) {
        healthy = spawnSync("podman", [...(runtime === undefined ? [] : ["--runtime", runtime]), "healthcheck", "run", name], { stdio: "ignore" }).status === 0;
        if (!healthy) execFileSync("sleep", ["1"]);
      }
      const logs = podman(["logs", name]);
      expect(healthy, logs).toBe(true);
      expect(logs).toContain("Watchword is listening on http://127.0.0.1:18480");
      const id = podman(["exec", name, "id", "-u"]).trim();
      expect(id).toBe("10001");
      // The root filesystem is read-only; the data directory is where the vault went.
      expect(spawnSync("podman", [...(runtime === undefined ? [] : ["--runtime", runtime]), "exec", name, "touch", "/app/x"]).status).not.toBe(0);
      expect(podman(["exec", name, "ls", "/data"])).toMatch(/watchword\.db/);
    } finally {
      spawnSync("podman", ["rm", "-f", name], { stdio: "ignore" });
      spawnSync("podman", ["volume", "rm", "-f", volume], { stdio: "ignore" });
    }
  }, 2_000_000);
});

/** Limits below this machine's: raising them needs CAP_SYS_RESOURCE, which its root lacks (podman's defaults raise them). */
function ulimits(): string[] {
  return ["--ulimit", "nofile=10000:10000", "--ulimit", "nproc=10000:10000"];
}
