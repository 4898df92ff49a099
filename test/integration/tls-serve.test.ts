// `watchword serve --tls-cert --tls-key` as an operator runs it: the built command serves HTTPS
// with the certificate given, swaps it on SIGHUP without closing the listener, keeps the old one
// when the new files are bad, and refuses to start on a bad pair with one line and nothing changed.
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { selfSignedCertificate, type TlsFiles } from "../support/siem-receivers.js";

const keyFileOf = (files: TlsFiles): string => path.join(path.dirname(files.certFile), "key.pem");
const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;
const pemBody = (pem: string): string => pem.split("\n")[1] ?? pem;

/** The certificate a new TLS connection is shown, trusting only `ca`. */
function servedFingerprint(url: string, ca: string[]): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca, servername: "localhost" }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256;
      socket.end();
      if (fingerprint === undefined) reject(new Error("no peer certificate"));
      else resolve(fingerprint);
    });
    socket.on("error", reject);
  });
}

/** GET over a keep-alive agent, so that the same TLS connection can be used again after a reload. */
function getJson(url: string, agent: https.Agent, ca: string[]): Promise<{ status: number; body: string; socketId: unknown }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { agent, ca, servername: "localhost" }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, socketId: (request.socket as tls.TLSSocket & { __id?: number }).__id }));
    });
    request.on("socket", (socket: tls.TLSSocket & { __id?: number }) => (socket.__id ??= Math.random()));
    request.on("error", reject);
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("HTTPS served by watchword itself", () => {
  let dataDir: string;
  let first: TlsFiles;
  let second: TlsFiles;
  let liveCert: string;
  let liveKey: string;
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "watchword-tls-serve-"));
    [first, second] = [selfSignedCertificate(), selfSignedCertificate()];
    // The files the server is told about; the test replaces their contents as a renewal would.
    liveCert = path.join(dataDir, "..", `${path.basename(dataDir)}-cert.pem`);
    liveKey = path.join(dataDir, "..", `${path.basename(dataDir)}-key.pem`);
    fs.writeFileSync(liveCert, first.cert);
    fs.writeFileSync(liveKey, first.key, { mode: 0o600 });
    server = await startServe(["--data-dir", dataDir, "--host", "127.0.0.1", "--tls-cert", liveCert, "--tls-key", liveKey], cleanEnv({ WATCHWORD_LOG_LEVEL: "warn" }), [], 90_000);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(liveCert, { force: true });
    fs.rmSync(liveKey, { force: true });
  });

  it("serves the certificate given, then the renewed one after SIGHUP, on the same listener, and keeps it when the new files are bad", async () => {
    const s = server!;
    const ca = [first.cert, second.cert];
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await servedFingerprint(s.url, ca)).toBe(fingerprintOf(first.cert));
    // A client that does not trust the certificate is refused by its own TLS check, not served in clear.
    await expect(servedFingerprint(s.url, [second.cert])).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const before = await getJson(`${s.url}/healthz`, agent, ca);
    expect(before).toMatchObject({ status: 200, body: JSON.stringify({ status: "ok" }) });

    // A renewal: new files in place, SIGHUP.
    fs.writeFileSync(liveCert, second.cert);
    fs.writeFileSync(liveKey, second.key);
    s.child.kill("SIGHUP");
    await waitFor("the reload line", () => s.output().includes("TLS certificate and key reloaded"));
    expect(await servedFingerprint(s.url, ca)).toBe(fingerprintOf(second.cert));
    // The connection opened before the reload still answers: the listener was never closed.
    const after = await getJson(`${s.url}/readyz`, agent, ca);
    expect(after.status).toBe(200);
    expect(after.socketId).toBe(before.socketId);

    // A bad renewal (the first key under the second certificate, then no PEM at all): the second pair stays.
    for (const [cert, key] of [
      [second.cert, first.key],
      ["not a certificate", second.key],
    ] as const) {
      const failures = s.errors().split("TLS reload failed").length;
      fs.writeFileSync(liveCert, cert);
      fs.writeFileSync(liveKey, key);
      s.child.kill("SIGHUP");
      await waitFor("the reload failure", () => s.errors().split("TLS reload failed").length > failures);
      expect(await servedFingerprint(s.url, ca)).toBe(fingerprintOf(second.cert));
    }
    expect(s.errors()).toMatch(/TLS reload failed; still serving the previous certificate\. The TLS certificate .* cannot be used: key values mismatch/);
    expect(s.child.exitCode).toBeNull();
    agent.destroy();
    // No key material in what the server printed.
    for (const secret of [pemBody(first.key), pemBody(second.key)]) {
      expect(s.output() + s.errors()).not.toContain(secret);
    }
  }, 120_000);
});

describe("a certificate that cannot be used at start", () => {
  let dir: string;
  let good: TlsFiles;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "watchword-tls-bad-"));
    good = selfSignedCertificate();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("stops with one line naming the files, a non-zero exit and no database created", async () => {
    const other = selfSignedCertificate();
    const garbage = path.join(dir, "garbage.pem");
    fs.writeFileSync(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    const cases: { args: string[]; env?: Record<string, string>; says: RegExp }[] = [
      { args: ["--tls-cert", garbage, "--tls-key", keyFileOf(good)], says: /garbage\.pem and key .* cannot be used/ },
      { args: ["--tls-cert", good.certFile, "--tls-key", keyFileOf(other)], says: /cannot be used: key values mismatch/ },
      { args: [], env: { WATCHWORD_TLS_CERT: good.certFile, WATCHWORD_TLS_KEY: path.join(dir, "missing.pem") }, says: /cannot be used: a file cannot be read \(ENOENT\)/ },
      { args: ["--tls-cert", good.certFile], says: /HTTPS needs both a certificate and its private key/ },
    ];
    // Side by side: each is a separate process with its own data directory.
    await Promise.all(
      cases.map(async ({ args, env, says }, i) => {
        const dataDir = path.join(dir, `data-${i}`);
        const result = await runCli(["serve", "--port", "0", "--data-dir", dataDir, ...args], { env: cleanEnv(env ?? {}), timeoutMs: 60_000 });
        expect(result.code, result.stderr).toBe(2);
        const lines = result.stderr.trim().split("\n");
        expect(lines, result.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(says);
        expect(result.stderr + result.stdout).not.toContain(pemBody(good.key));
        expect(fs.existsSync(dataDir), "the data directory was created").toBe(false);
      }),
    );
  }, 180_000);
});
