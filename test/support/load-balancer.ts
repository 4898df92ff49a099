// A real load balancer in front of Watchword nodes: Debian's HAProxy, started with a generated
// configuration on loopback ports. It polls each node's /readyz, retries a request on another node
// only when the connection failed (nothing reached a node, so nothing can be done twice), and
// answers its own 502/503/504 as problem JSON with Retry-After, as a client of Watchword expects.
// Under CI=true HAProxy must be installed (.ci/run installs it); elsewhere its absence is said loudly.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { isCi } from "./databases.js";

const HAPROXY = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].find((p) => existsSync(p));
if (HAPROXY === undefined && isCi) throw new Error("HAProxy is required under CI=true but /usr/sbin/haproxy was not found (apt-get install -y haproxy).");
if (HAPROXY === undefined) process.stderr.write("Load-balancer tests are SKIPPED: no /usr/sbin/haproxy (apt-get install -y haproxy).\n");

export const hasHaproxy = HAPROXY !== undefined;

/** What the balancer itself answers (never a node): marked so a test can tell it from a node's problem. */
export const BALANCER_PROBLEM_CODE = "balancer_unavailable";

export interface LoadBalancer {
  readonly url: string;
  /** Each backend's state as HAProxy sees it ("UP", "DOWN", …), by server name (node0, node1, …). */
  states(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
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

function errorFile(status: number, reason: string): string {
  const body = JSON.stringify({ type: "about:blank", title: reason, status, code: BALANCER_PROBLEM_CODE, detail: "No Watchword node could answer; try again in a moment." });
  return [`HTTP/1.1 ${status} ${reason}`, "Content-Type: application/problem+json", "Retry-After: 1", "Cache-Control: no-store", `Content-Length: ${Buffer.byteLength(body)}`, "", body].join("\r\n");
}

/** Starts HAProxy balancing round-robin over the given node ports. */
export async function startLoadBalancer(backendPorts: readonly number[]): Promise<LoadBalancer> {
  if (HAPROXY === undefined) throw new Error("No HAProxy: check hasHaproxy first.");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-haproxy-"));
  const port = await freePort();
  const statsSocket = path.join(dir, "stats.sock");
  for (const [status, reason] of [[502, "Bad Gateway"], [503, "Service Unavailable"], [504, "Gateway Timeout"]] as const) {
    await fs.writeFile(path.join(dir, `${status}.http`), errorFile(status, reason));
  }
  const config = [
    "global",
    "  maxconn 512",
    `  stats socket ${statsSocket} mode 600 level admin`,
    "defaults",
    "  mode http",
    "  timeout connect 1s",
    "  timeout client 30s",
    "  timeout server 20s",
    "  timeout check 1s",
    // A request is tried again (on another node: redispatch) only when its connection failed.
    "  retries 3",
    "  retry-on conn-failure",
    "  option redispatch 1",
    ...[502, 503, 504].map((status) => `  errorfile ${status} ${path.join(dir, `${status}.http`)}`),
    "frontend watchword",
    `  bind 127.0.0.1:${port}`,
    "  default_backend nodes",
    "backend nodes",
    "  balance roundrobin",
    "  option httpchk GET /readyz",
    "  http-check expect status 200",
    "  default-server inter 300ms fastinter 200ms downinter 300ms fall 2 rise 1",
    ...backendPorts.map((p, i) => `  server node${i} 127.0.0.1:${p} check`),
    "",
  ].join("\n");
  const configFile = path.join(dir, "haproxy.cfg");
  await fs.writeFile(configFile, config);
  const check = spawn(HAPROXY, ["-c", "-q", "-f", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let checkErrors = "";
  check.stderr.on("data", (d: Buffer) => (checkErrors += d.toString()));
  const checked = await new Promise<number | null>((resolve) => check.on("close", resolve));
  if (checked !== 0) throw new Error(`haproxy -c refused the configuration: ${checkErrors}`);

  const child: ChildProcess = spawn(HAPROXY, ["-db", "-f", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const states = async (): Promise<Record<string, string>> => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.createConnection(statsSocket);
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
      socket.write("show stat\n");
    });
    const [header, ...rows] = reply.trim().split("\n");
    const columns = header!.replace(/^# /, "").split(",");
    const result: Record<string, string> = {};
    for (const row of rows) {
      const cells = row.split(",");
      const record = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
      if (record.pxname === "nodes" && record.svname !== "BACKEND") result[record.svname!] = record.status!;
    }
    return result;
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited at start: ${stderr}`);
    if (await states().then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not open its stats socket: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    states,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
