// What `watchword serve` costs per request and at rest, as an operator sees it: one log line per
// request on standard output (never a secret from the request), health probes kept out of the info
// log, no line lost at a graceful stop, cached assets, and the image and export decoders loaded
// only once something is imported.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { readTrace, TRACER } from "../support/loaded-modules.js";

const PASSWORD = "walnut-signal-harbour-3307";
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly reqId?: string;
  readonly method?: string;
  readonly path?: string;
  readonly statusCode?: number;
  readonly ms?: number;
}

/** The JSON lines of the server's output (the operator's own lines, such as the setup link, are not JSON). */
const logLines = (output: string): LogLine[] =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);

describe("the server's request log and footprint", () => {
  let root: string;
  let dataDir: string;
  let webDir: string;
  const servers: ServeProcess[] = [];

  const serve = async (extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServeProcess> => {
    const server = await startServe(["--data-dir", dataDir], cleanEnv({ WATCHWORD_WEB_DIR: webDir, ...extraEnv }), nodeArgs);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-footprint-"));
    dataDir = path.join(root, "data");
    webDir = path.join(root, "web");
    await fs.mkdir(path.join(webDir, "assets"), { recursive: true });
    await fs.writeFile(path.join(webDir, "index.html"), "<!doctype html><title>Watchword</title>");
    await fs.writeFile(path.join(webDir, "assets", "app-1a2b3c.js"), "console.log('app');");
    expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) await server.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("writes one line per request once it is answered, without the query string or any header", async () => {
    const server = await serve();
    const reply = await fetch(`${server.url}/api/v1/entries?token=ww_s_secret-in-query`, { headers: { authorization: "Bearer ww_s_secret-in-header", cookie: "__Host-ww_session=secret-in-cookie" } });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    const requestId = reply.headers.get("x-request-id")!;
    await expect.poll(() => logLines(server.output()).filter((line) => line.reqId === requestId), { timeout: 5000 }).toHaveLength(1);
    const [line] = logLines(server.output()).filter((l) => l.reqId === requestId);
    expect(line).toMatchObject({ level: 30, msg: "request", method: "GET", path: "/api/v1/entries", statusCode: reply.status });
    expect(line!.ms).toBeGreaterThanOrEqual(0);
    expect(server.output()).not.toContain("incoming request");
    for (const secret of ["secret-in-query", "secret-in-header", "secret-in-cookie"]) expect(server.output()).not.toContain(secret);
  });

  it("keeps successful health probes out of the info log, and loses no line at a graceful stop", async () => {
    const server = await serve();
    const replies = await Promise.all([
      ...Array.from({ length: 50 }, () => fetch(`${server.url}/healthz`)),
      ...Array.from({ length: 50 }, () => fetch(`${server.url}/api/v1/no-such-thing`)),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([...Array(50).fill(200), ...Array(50).fill(404)]);
    expect(await server.stop()).toBe(0);
    const lines = logLines(server.output());
    expect(lines.filter((line) => line.path === "/healthz")).toEqual([]);
    expect(lines.filter((line) => line.path === "/api/v1/no-such-thing" && line.statusCode === 404)).toHaveLength(50);
  });

  it("at debug level, also logs each request's arrival and the health probes", async () => {
    const server = await serve({ WATCHWORD_LOG_LEVEL: "debug" });
    const requestId = (await fetch(`${server.url}/healthz`)).headers.get("x-request-id")!;
    expect(await server.stop()).toBe(0);
    const lines = logLines(server.output()).filter((line) => line.reqId === requestId);
    expect(lines.map((line) => [line.level, line.msg, line.path])).toEqual([
      [20, "incoming request", "/healthz"],
      [20, "request", "/healthz"],
    ]);
  });

  it("caches hashed assets for a year and has index.html checked every time", async () => {
    const server = await serve();
    const asset = await fetch(`${server.url}/assets/app-1a2b3c.js`);
    expect([asset.status, asset.headers.get("cache-control")]).toEqual([200, "public, max-age=31536000, immutable"]);
    const page = await fetch(`${server.url}/entries`, { headers: { accept: "text/html" } });
    expect([page.status, page.headers.get("cache-control")]).toEqual([200, "no-cache"]);
    const api = await fetch(`${server.url}/healthz`);
    expect(api.headers.get("cache-control")).toBe("no-store");
  });

  it("never loads the image and export decoders into the main thread, not even for an import (import workers read uploads)", async () => {
    const run = async (work: (url: string, token: string) => Promise<void>) => {
      const traceFile = path.join(root, `trace-${servers.length}.txt`);
      const server = await serve({ MODULE_TRACE_FILE: traceFile }, ["--import", TRACER]);
      const token = (await createClient({ baseUrl: server.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" })).token!;
      await work(server.url, token);
      expect(await server.stop()).toBe(0);
      return (await readTrace(traceFile)).packages;
    };
    const DECODERS = ["sharp", "zxing-wasm", "kdbxweb"];

    const codesOnly = await run(async (url, token) => {
      const client = createClient({ baseUrl: url, token });
      const { entry } = await client.createEntry({ name: "Lazy", seed: { secret: KEY } });
      expect((await client.getCode(entry.id)).code).toMatch(/^\d{6}$/);
    });
    expect(codesOnly).toContain("fastify"); // the tracer sees the server's own packages
    expect(DECODERS.filter((pkg) => codesOnly.has(pkg))).toEqual([]);

    const afterImport = await run(async (url, token) => {
      const image = await QRCode.toBuffer(`otpauth://totp/ACME:ops?secret=${KEY}&issuer=ACME`);
      const preview = await createClient({ baseUrl: url, token }).createImport({ data: image.toString("base64"), format: "image" });
      expect(preview.entries).toHaveLength(1);
    });
    // The preview above proves the QR image was decoded: by an import worker, not this thread.
    expect(afterImport).toContain("piscina");
    expect(DECODERS.filter((pkg) => afterImport.has(pkg))).toEqual([]);
  });
});
