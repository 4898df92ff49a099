// What a client verb loads: the built `watchword` command against a real server, every module it
// loads written down by a preloaded tracer. Scripts call `watchword code` in loops, so the client
// verbs must never load the server, the store, the image and export decoders or argon2.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { readTrace, TRACER, type LoadedModules } from "../support/loaded-modules.js";

const PASSWORD = "copper-lantern-orchard-4410";
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** Packages only the server, the store or the local verbs need. */
const SERVER_PACKAGES = ["fastify", "@fastify/cookie", "@fastify/static", "@fastify/swagger", "helmet", "pino", "sharp", "zxing-wasm", "kdbxweb", "argon2", "kysely", "pg", "better-sqlite3", "better-sqlite3-n22"];
/** Project directories a client verb has no use for. */
const SERVER_DIRECTORIES = ["server", "store", "services", "crypto", "core/intake", "core/otp"];

type Trace = LoadedModules;

describe("what a client verb loads", () => {
  let root: string;
  let server: ServeProcess;
  let token: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-start-"));
    const dataDir = path.join(root, "data");
    expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    token = (await createClient({ baseUrl: server.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" })).token!;
    await createClient({ baseUrl: server.url, token }).createEntry({ name: "AWS root", seed: { secret: KEY } });
    await fs.writeFile(path.join(root, "links.txt"), `otpauth://totp/ACME:ops?secret=${KEY}&issuer=ACME\n`);
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  let runs = 0;
  /** Runs the command with the tracer preloaded; returns what it loaded and printed. */
  async function traced(args: string[], input = ""): Promise<Trace & { code: number | null; stdout: string; stderr: string }> {
    const traceFile = path.join(root, `trace-${++runs}.txt`);
    const env = cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: token, WATCHWORD_CONFIG: path.join(root, `config-${runs}.json`), MODULE_TRACE_FILE: traceFile });
    const result = await runCli(args, { env, input, nodeArgs: ["--import", TRACER] });
    return { ...result, ...(await readTrace(traceFile)) };
  }

  const expectNoServerModules = (trace: Trace): void => {
    expect(SERVER_PACKAGES.filter((pkg) => trace.packages.has(pkg))).toEqual([]);
    expect(SERVER_DIRECTORIES.filter((dir) => trace.projectDirectories.has(dir))).toEqual([]);
  };

  it("sees the store and argon2 loading for a local verb (the tracer works)", async () => {
    const trace = await traced(["user", "add", "bob", "--password-stdin", "--data-dir", path.join(root, "other-data")], PASSWORD);
    expect(trace.code).toBe(0);
    for (const pkg of ["argon2", "kysely"]) expect(trace.packages).toContain(pkg);
    for (const dir of ["store", "services"]) expect(trace.projectDirectories).toContain(dir);
  });

  it("prints a code without loading the server, the store, the schema library or fetch", async () => {
    const trace = await traced(["code", "aws root"]);
    expect([trace.code, trace.stderr]).toEqual([0, ""]);
    expect(trace.stdout).toMatch(/^\d{6}\n$/);
    expectNoServerModules(trace);
    // typebox (the API's schemas) and the built-in fetch (undici, whose WebAssembly parser the
    // process waits for at exit) were most of the start-up time.
    expect(trace.packages).not.toContain("typebox");
    expect([...trace.builtins].filter((name) => name.includes("undici"))).toEqual([]);
  });

  it("lists entries with the same few modules", async () => {
    const trace = await traced(["entries", "--json"]);
    expect(trace.code).toBe(0);
    expectNoServerModules(trace);
    expect(trace.packages).not.toContain("typebox");
  });

  it("signs in, adds an entry, previews an import and signs out without the server's modules", async () => {
    const runsOfVerbs = [
      await traced(["login", "--url", server.url, "--username", "alice", "--password-stdin", "--print-token"], PASSWORD),
      await traced(["entry", "add", "Registrar", "--secret", KEY]),
      await traced(["import", path.join(root, "links.txt")]),
      await traced(["logout", "--token", "ww_s_not-a-real-token"]),
    ];
    expect(runsOfVerbs.map((run) => run.code)).toEqual([0, 0, 0, 0]); // logout: "The session had already ended."
    for (const run of runsOfVerbs) expectNoServerModules(run);
  });
});
