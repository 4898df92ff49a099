// The packaging as an operator meets it: the systemd unit passes `systemd-analyze verify` and is
// sandboxed (its offline security score), the Dockerfile builds in two stages and runs as a
// non-root user with a health check, and the compose file pairs it with PostgreSQL on a read-only root.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isCi } from "../support/databases.js";

const UNIT = path.resolve("packaging/watchword.service");
const hasSystemdAnalyze = spawnSync("systemd-analyze", ["--version"], { stdio: "ignore" }).status === 0;
// systemd-analyze verify and security --offline need no running systemd (they parse the unit
// files), so they work in containers and CI; .ci/run installs Debian's systemd for them.
// Under CI a missing tool fails the suite rather than skipping it.
const describeUnit = hasSystemdAnalyze || isCi ? describe : describe.skip;

describeUnit("packaging/watchword.service", () => {
  it("passes systemd-analyze verify without a warning, while a broken copy does not", () => {
    const result = spawnSync("systemd-analyze", ["verify", UNIT], { encoding: "utf8" });
    expect(result.error, "systemd-analyze is missing: apt-get install -y systemd").toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe("");
    // The check is real: the same unit with a typo and a missing program is refused.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watchword-unit-"));
    const broken = path.join(dir, "watchword.service");
    fs.writeFileSync(broken, fs.readFileSync(UNIT, "utf8").replace("ProtectSystem=strict", "ProtectSystem=stricter").replace("/usr/bin/node ", "/nonexistent/node "));
    const refused = spawnSync("systemd-analyze", ["verify", broken], { encoding: "utf8" });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/protect system value|not executable/);
  });

  it("is sandboxed: an exposure score of 2 or less, no capabilities, the data directory its only writable path", () => {
    const report = execFileSync("systemd-analyze", ["security", "--offline=true", "--no-pager", UNIT], { encoding: "utf8" });
    const score = Number(/Overall exposure level for watchword\.service: ([\d.]+)/.exec(report)?.[1]);
    expect(score).toBeLessThanOrEqual(2);
    const unit = fs.readFileSync(UNIT, "utf8");
    for (const line of ["ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes", "PrivateTmp=yes", "PrivateDevices=yes", "CapabilityBoundingSet=", "SystemCallFilter=@system-service", "ReadWritePaths=/var/lib/watchword", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"]) {
      expect(unit.split("\n"), line).toContain(line);
    }
  });
});

describe("the container image's recipe", () => {
  const dockerfile = fs.readFileSync("Dockerfile", "utf8");
  const instructions = dockerfile.split("\n").filter((line) => /^[A-Z]+ /.test(line));

  it("builds with the dev dependencies and runs with the production ones, as a non-root user, with its data in a volume and a health check", () => {
    expect(instructions.filter((line) => line.startsWith("FROM "))).toEqual(["FROM ${NODE_IMAGE} AS build", "FROM ${NODE_IMAGE} AS runtime"]);
    expect(dockerfile).toMatch(/RUN npm ci /);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    const runtime = instructions.slice(instructions.indexOf("FROM ${NODE_IMAGE} AS runtime"));
    expect(runtime).toContain("USER 10001:10001");
    expect(runtime).toContain('VOLUME ["/data"]');
    expect(runtime.find((line) => line.startsWith("HEALTHCHECK "))).toContain("packaging/healthcheck.mjs");
    expect(fs.readFileSync("packaging/healthcheck.mjs", "utf8")).toContain('path: "/healthz"');
    // Nothing the runtime stage copies is writable by its user: only /data is.
    expect(runtime.filter((line) => line.startsWith("COPY ")).every((line) => !line.includes("--chown"))).toBe(true);
    const ignored = fs.readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of ["node_modules", "dist", "data", ".git", ".env"]) expect(ignored).toContain(entry);
  });

  it("runs beside PostgreSQL in compose.yaml on a read-only root, without capabilities", () => {
    const compose = fs.readFileSync("compose.yaml", "utf8");
    expect(compose).toMatch(/^ {2}postgres:\n {4}image: docker\.io\/library\/postgres:16/m);
    expect(compose).toMatch(/WATCHWORD_DATABASE_URL: postgres:\/\/watchword:\$\{POSTGRES_PASSWORD/);
    expect(compose).toMatch(/condition: service_healthy/);
    expect(compose).toMatch(/^ {4}read_only: true$/m);
    expect(compose).toMatch(/^ {4}cap_drop: \[ALL\]$/m);
    expect(compose).toMatch(/- watchword-data:\/data/);
  });
});
