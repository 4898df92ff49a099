// The client verbs as a person or script runs them: the built `watchword` command against a real
// server — login and logout, where the credential comes from, entries, codes (checked against an
// independent implementation), adding entries, imports, and one-line errors with exit codes.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { HOTP, Secret as OtpSecret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import type { CodeReply } from "../../src/contract/codes.js";
import type { EntryList, EntryReply } from "../../src/contract/entries.js";
import type { ImportPreview } from "../../src/contract/imports.js";
import { cleanEnv, runCli, startServe, type CliResult, type ServeProcess } from "../support/cli.js";
import { expectFailure, json } from "../support/cli-results.js";
import { createKeePassXcDatabase, isKeePassXcInstalled, keePassXcSkipNote } from "../support/keepassxc.js";
import { hasPseudoTerminal, runInTerminal } from "../support/terminal.js";

const PASSWORD = "amber-quartz-meadow-1977";
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // 160 bits: no short-key warning
const FIXTURES = path.resolve("../shared/fixtures/external");
const hasFixtures = existsSync(path.join(FIXTURES, "aegis-importers"));
if (!hasFixtures && process.env.CI === "true") throw new Error(`${FIXTURES} is missing; CI must have the external fixtures.`);
const OATHTOOL = "/usr/bin/oathtool";

/** The code an independent implementation computes: oathtool where installed, else the otpauth library. */
function referenceTotp(key: string, at: number, digits = 6, period = 30, algorithm = "SHA1"): string {
  if (existsSync(OATHTOOL)) {
    return execFileSync(OATHTOOL, [`--totp=${algorithm.toLowerCase()}`, "-d", String(digits), "-s", `${period}s`, "-b", "-N", `@${at}`, key], { encoding: "utf8" }).trim();
  }
  return new TOTP({ secret: OtpSecret.fromBase32(key), digits, period, algorithm }).generate({ timestamp: at * 1000 });
}

function referenceHotp(key: string, counter: number): string {
  if (existsSync(OATHTOOL)) return execFileSync(OATHTOOL, ["--hotp", "-c", String(counter), "-b", key], { encoding: "utf8" }).trim();
  return new HOTP({ secret: OtpSecret.fromBase32(key) }).generate({ counter });
}

/** A failed run: the exit code, nothing on stdout, and exactly one line on stderr. */
describe("watchword client verbs", () => {
  let root: string;
  let server: ServeProcess;
  let token: string;
  let api: WatchwordClient;
  let opsFolderId: string;
  let home: string;
  let configFile: string;

  /** Signed in through WATCHWORD_URL and WATCHWORD_TOKEN; the config file is this test's own. */
  const signedInEnv = (extra: Record<string, string> = {}): Record<string, string> =>
    cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: token, WATCHWORD_CONFIG: configFile, HOME: home, ...extra });
  const fileOnlyEnv = (): Record<string, string> => cleanEnv({ WATCHWORD_CONFIG: configFile, HOME: home });
  const watchword = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> =>
    runCli(args, { env: options.env ?? signedInEnv(), ...(options.input === undefined ? {} : { input: options.input }) });
  const login = (extra: string[] = [], env = fileOnlyEnv()): Promise<CliResult> =>
    watchword(["login", "--url", server.url, "--username", "alice", "--password-stdin", ...extra], { env, input: `${PASSWORD}\n` });
  const entryNamed = async (name: string) => (await api.listEntries()).entries.find((e) => e.name === name);

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-client-"));
    const dataDir = path.join(root, "data");
    const added = await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    expect(added.code).toBe(0);
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    token = (await createClient({ baseUrl: server.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" })).token!;
    api = createClient({ baseUrl: server.url, token });
    opsFolderId = (await api.createFolder({ name: "Ops" })).id;
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(root, "home-"));
    configFile = path.join(home, "config", "watchword", "config.json");
  });

  it("explains every client verb with an example", async () => {
    for (const verb of [["login"], ["logout"], ["entries"], ["code"], ["entry", "add"], ["import"]]) {
      const help = await watchword([...verb, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Examples?:\n {2}\$ watchword /);
    }
    expect((await watchword(["entry", "add", "--help"])).stdout).toMatch(/--secret <base32>.*"-" reads it from standard input/s);
  });

  describe("login and logout", () => {
    it("saves the token in a 0600 file in a 0700 directory and never prints it", async () => {
      const result = await login();
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toMatch(/^Signed in to http:\/\/127\.0\.0\.1:\d+ as alice; the token is saved in .*config\.json/);
      expect(result.stdout).not.toContain("ww_s_");
      expect((await fs.stat(configFile)).mode & 0o777).toBe(0o600);
      expect((await fs.stat(path.dirname(configFile))).mode & 0o777).toBe(0o700);
      const saved = JSON.parse(await fs.readFile(configFile, "utf8")) as { url: string; token: string };
      expect(saved).toEqual({ url: server.url, token: expect.stringMatching(/^ww_s_/) as unknown, deviceTokens: { [server.url]: expect.stringMatching(/^ww_d_/) as unknown } });
      expect((await fs.readdir(path.dirname(configFile))).sort()).toEqual(["config.json"]); // no temporary file left
      expect(json<EntryList>(await watchword(["entries", "--json"], { env: fileOnlyEnv() }))).toHaveProperty("entries");
    });

    it("uses ~/.config/watchword/config.json when WATCHWORD_CONFIG is not set", async () => {
      const env = cleanEnv({ HOME: home });
      delete env.XDG_CONFIG_HOME;
      expect((await login([], env)).code).toBe(0);
      expect((await fs.stat(path.join(home, ".config", "watchword", "config.json"))).mode & 0o777).toBe(0o600);
    });

    it("prints the token instead with --print-token, alone or as JSON, and saves nothing", async () => {
      const plain = await login(["--print-token"]);
      expect(plain).toMatchObject({ code: 0, stderr: "" });
      expect(plain.stdout).toMatch(/^ww_s_[A-Za-z0-9_-]+\n$/);
      const asJson = json<{ url: string; token: string }>(await login(["--print-token", "--json"]));
      expect(asJson).toEqual({ url: server.url, token: expect.stringMatching(/^ww_s_/) as unknown });
      expect(existsSync(configFile)).toBe(false);
      const printed = json<EntryList>(await watchword(["entries", "--json"], { env: cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: plain.stdout.trim() }) }));
      expect(printed).toHaveProperty("entries");
    });

    it("never widens the mode of an existing config file", async () => {
      expect((await login()).code).toBe(0);
      await fs.chmod(configFile, 0o400);
      expect((await login()).code).toBe(0);
      expect((await fs.stat(configFile)).mode & 0o777).toBe(0o400);
    });

    it("refuses a wrong password, and a missing one when standard input is not a terminal, in one line", async () => {
      const wrong = await watchword(["login", "--url", server.url, "--username", "alice", "--password-stdin"], { env: fileOnlyEnv(), input: "not-the-password-at-all\n" });
      expectFailure(wrong, 1, /username or password is incorrect/);
      expect(wrong.stderr).not.toContain("not-the-password-at-all");
      const noTerminal = await watchword(["login", "--url", server.url, "--username", "alice"], { env: fileOnlyEnv() });
      expectFailure(noTerminal, 2, /not a terminal: pass --password-stdin/);
      expectFailure(await watchword(["login", "--url", "ftp://example.com", "--username", "alice", "--password-stdin"], { env: fileOnlyEnv(), input: PASSWORD }), 2, /--url must be an http:\/\/ or https:\/\/ address/);
      expect(existsSync(configFile)).toBe(false);
    });

    it("keeps its device token across logouts, sends it with the next login, and says when others failed to sign in", async () => {
      expect((await login()).code).toBe(0);
      const device = () => (JSON.parse(readFileSync(configFile, "utf8")) as { deviceTokens: Record<string, string> }).deviceTokens[server.url];
      const first = device();
      expect((await watchword(["logout"], { env: fileOnlyEnv() })).code).toBe(0);
      const stranger = createClient({ baseUrl: server.url });
      for (let i = 0; i < 3; i += 1) await stranger.signIn({ username: "alice", password: `not it ${i}` }).catch(() => undefined);
      const again = await login();
      expect(again.code).toBe(0);
      expect(again.stderr).toBe("Warning: 3 failed sign-ins to your account from browsers or CLIs that never signed in to it.\n");
      expect(device()).toBe(first);
      // A CLI without it is an unknown device: its success resets the count, and the warning is not shown to it.
      expect((await login([], cleanEnv({ WATCHWORD_CONFIG: path.join(home, "other.json"), HOME: home }))).stderr).toBe("");
    });

    it("logout ends the session and removes the token from the file, keeping the server address", async () => {
      expect((await login()).code).toBe(0);
      const { token: saved } = JSON.parse(await fs.readFile(configFile, "utf8")) as { token: string };
      const out = await watchword(["logout"], { env: fileOnlyEnv() });
      expect(out).toMatchObject({ code: 0, stderr: "" });
      expect(out.stdout).toMatch(/^Signed out of http:\/\/127\.0\.0\.1:\d+; removed the token from /);
      // The device token stays: this CLI remains a known device for the next login.
      expect(JSON.parse(await fs.readFile(configFile, "utf8"))).toEqual({ url: server.url, deviceTokens: { [server.url]: expect.stringMatching(/^ww_d_/) as unknown } });
      expect((await fs.stat(configFile)).mode & 0o777).toBe(0o600);
      expectFailure(await watchword(["entries", "--url", server.url, "--token", saved]), 1, /token is not valid or has expired/);
      expectFailure(await watchword(["logout"], { env: fileOnlyEnv() }), 1, /^watchword: Not signed in/);
    });
  });

  describe("finding the server and the credential", () => {
    it("says how to sign in when there is no credential anywhere", async () => {
      const result = await watchword(["entries"], { env: fileOnlyEnv() });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe("watchword: Not signed in: run `watchword login --url …` or set WATCHWORD_URL and WATCHWORD_TOKEN.\n");
      expectFailure(await watchword(["code", "anything"], { env: cleanEnv({ WATCHWORD_CONFIG: configFile, WATCHWORD_URL: server.url }) }), 1, /Not signed in/);
    });

    it("takes flags over the environment, and the environment over the config file", async () => {
      expect((await login()).code).toBe(0); // the file holds a good token
      const badEnv = cleanEnv({ WATCHWORD_CONFIG: configFile, WATCHWORD_TOKEN: "ww_s_revoked" });
      expectFailure(await watchword(["entries"], { env: badEnv }), 1, /token is not valid or has expired/);
      expect((await watchword(["entries", "--token", token], { env: badEnv })).code).toBe(0);
      expectFailure(await watchword(["entries", "--url", "http://127.0.0.1:9", "--token", token]), 69, /^watchword: Could not reach the Watchword server at http:\/\/127\.0\.0\.1:9/);
    });

    it("never sends the saved token to another server", async () => {
      expect((await login()).code).toBe(0);
      expectFailure(await watchword(["entries", "--url", "http://127.0.0.1:9"], { env: fileOnlyEnv() }), 1, /Not signed in/);
      expectFailure(await watchword(["entries"], { env: cleanEnv({ WATCHWORD_CONFIG: configFile, WATCHWORD_URL: "http://localhost:9" }) }), 1, /Not signed in/);
    });

    it("does not follow a redirect with the token, and names the address it points to", async () => {
      const seen: (string | undefined)[] = [];
      const redirecting = http.createServer((request, response) => {
        seen.push(request.headers.authorization);
        response.writeHead(301, { location: "https://watchword.example.com/api/v1/entries" }).end();
      });
      await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
      const { port } = redirecting.address() as AddressInfo;
      try {
        const result = await watchword(["entries", "--url", `http://127.0.0.1:${port}`, "--token", "ww_s_redirect-test"]);
        expectFailure(result, 69, /answered 301 Moved Permanently: it redirects to https:\/\/watchword\.example\.com\/api\/v1\/entries\. Use that address\./);
        expect(seen).toEqual(["Bearer ww_s_redirect-test"]);
      } finally {
        await new Promise((resolve) => redirecting.close(resolve));
      }
    });

    it("refuses a config file others can read, like ssh, and one that is not JSON", async () => {
      expect((await login()).code).toBe(0);
      await fs.chmod(configFile, 0o644);
      expectFailure(await watchword(["entries"], { env: fileOnlyEnv() }), 1, /Permissions 0644 for .*config\.json are too open.*chmod 600/);
      await fs.writeFile(configFile, "{ not json", { mode: 0o600 });
      await fs.chmod(configFile, 0o600);
      expectFailure(await watchword(["entries"], { env: fileOnlyEnv() }), 2, /config\.json is not valid JSON/);
      await fs.writeFile(configFile, '{"url": 42}');
      expectFailure(await watchword(["entries"], { env: fileOnlyEnv() }), 2, /"url" and "token" must be strings/);
    });
  });

  describe("entries and codes", () => {
    it("adds an entry from a setup key and prints its current code, the one oathtool computes", async () => {
      const added = await watchword(["entry", "add", "AWS root", "--secret", KEY, "--issuer", "AWS", "--account", "root@example.com"]);
      expect(added).toMatchObject({ code: 0, stderr: "" });
      expect(added.stdout).toMatch(/^Added entry AWS root \([0-9a-f-]{36}\)\.\n$/);

      const reply = json<CodeReply>(await watchword(["code", "aws ROOT", "--json"]));
      expect(reply).toMatchObject({ type: "totp", digits: 6, period: 30 });
      expect(reply.validUntil! - reply.validFrom).toBe(30);
      expect(reply.code).toBe(referenceTotp(KEY, reply.validFrom));

      const plain = await watchword(["code", "AWS root"]);
      expect(plain).toMatchObject({ code: 0, stderr: "" });
      expect(plain.stdout).toMatch(/^\d{6}\n$/);
      const now = Math.floor(Date.now() / 1000);
      // The code may have rolled over between the run and this line: accept this step's or the previous one.
      expect([referenceTotp(KEY, now), referenceTotp(KEY, now - 30)]).toContain(plain.stdout.trim());
    });

    it("takes HOTP codes one counter step at a time, and finds an entry by id", async () => {
      const added = json<EntryReply>(await watchword(["entry", "add", "Door", "--secret", "-", "--type", "hotp", "--counter", "5", "--json"], { input: `${KEY}\n` }));
      expect(added.entry.otp).toMatchObject({ type: "hotp" });
      expect(JSON.stringify(added)).not.toContain(KEY);
      const first = json<CodeReply>(await watchword(["code", added.entry.id, "--json"]));
      expect(first).toMatchObject({ code: referenceHotp(KEY, 5), type: "hotp", validUntil: null });
      expect((await watchword(["code", "door"])).stdout).toBe(`${referenceHotp(KEY, 6)}\n`);
    });

    it("honours --digits, --period and --algorithm, and reads otpauth:// links", async () => {
      const uri = `otpauth://totp/ACME:ops@example.com?secret=${KEY}&issuer=ACME&digits=8&period=60&algorithm=SHA256`;
      expect((await watchword(["entry", "add", "ACME link", "--uri", uri])).code).toBe(0);
      const fromLink = json<CodeReply>(await watchword(["code", "ACME link", "--json"]));
      expect(fromLink).toMatchObject({ digits: 8, period: 60, code: referenceTotp(KEY, fromLink.validFrom, 8, 60, "SHA256") });
      expect((await watchword(["entry", "add", "Long", "--secret", KEY, "--digits", "8", "--period", "60", "--algorithm", "sha512"])).code).toBe(0);
      const long = json<CodeReply>(await watchword(["code", "Long", "--json"]));
      expect(long.code).toBe(referenceTotp(KEY, long.validFrom, 8, 60, "SHA512"));
    });

    it("lists entries as a table and as the API's JSON", async () => {
      expect((await watchword(["entry", "add", "Shared VPN", "--secret", KEY, "--folder", "ops", "--issuer", "VPN"])).code).toBe(0);
      const table = await watchword(["entries"]);
      expect(table).toMatchObject({ code: 0, stderr: "" });
      const [header, ...rows] = table.stdout.trimEnd().split("\n");
      expect(header).toMatch(/^NAME +FOLDER +TYPE +DIGITS\/PERIOD +ISSUER\/ACCOUNT +RECOVERY CODES +ID$/);
      expect(rows.find((r) => r.startsWith("Shared VPN"))).toMatch(/^Shared VPN +Ops +TOTP +6 \/ 30 s +VPN +[0-9a-f-]{36}$/);
      const listed = json<EntryList>(await watchword(["entries", "--json"]));
      expect(listed).toEqual(await api.listEntries());
      expect(listed.entries.find((e) => e.name === "Shared VPN")?.folderId).toBe(opsFolderId);
    });

    it("copies the code with the first clipboard tool on PATH, and names them all when there is none", async () => {
      await api.createEntry({ name: "Clip", seed: { secret: KEY } });
      const bin = path.join(home, "bin");
      const pasted = path.join(home, "clipboard.txt");
      await fs.mkdir(bin);
      // A stand-in wl-copy that keeps what it is given.
      await fs.writeFile(path.join(bin, "wl-copy"), `#!${process.execPath}\nrequire("fs").writeFileSync(${JSON.stringify(pasted)}, require("fs").readFileSync(0));\n`, { mode: 0o755 });
      const copied = await watchword(["code", "Clip", "--copy"], { env: signedInEnv({ PATH: bin }) });
      expect(copied.code).toBe(0);
      expect(copied.stdout).toBe("");
      expect(copied.stderr).toMatch(/^Copied \(valid for \d{1,2} s\)\.\n$/);
      const now = Math.floor(Date.now() / 1000);
      expect([referenceTotp(KEY, now), referenceTotp(KEY, now - 30)]).toContain(await fs.readFile(pasted, "utf8"));

      const none = await watchword(["code", "Clip", "--copy"], { env: signedInEnv({ PATH: path.join(home, "empty") }) });
      expectFailure(none, 69, /No clipboard tool found: install one of wl-copy, xclip, xsel, pbcopy/);
      expect((await watchword(["code", "Clip", "--copy", "--json"])).code).toBe(2);
    });

    it("finds an entry by the start or a whole word of its name, and offers the closest names otherwise", async () => {
      await api.createEntry({ name: "Payroll vendor", seed: { secret: KEY } });
      await api.createEntry({ name: "Payments gateway", seed: { secret: KEY } });
      const byWord = json<CodeReply>(await watchword(["code", "VENDOR", "--json"]));
      expect(byWord.code).toBe(referenceTotp(KEY, byWord.validFrom));
      expect((await watchword(["code", "payr"])).stdout).toMatch(/^\d{6}\n$/);
      expectFailure(await watchword(["code", "pay"]), 1, /^watchword: "pay" matches 2 entries: did you mean "Payroll vendor", "Payments gateway"\?$/);
      expectFailure(await watchword(["code", "payrol vendr"]), 1, /^watchword: No entry named "payrol vendr": did you mean "Payroll vendor"/);
    });

    it("names an unknown entry, and lists the ids of entries that share a name", async () => {
      expectFailure(await watchword(["code", "No such thing"]), 1, /^watchword: No entry named "No such thing"(\.|: did you mean "[^"]+"(, "[^"]+")*\?)$/);
      expectFailure(await watchword(["code", "7f1c1a3e-0000-4000-8000-000000000000"]), 1, /No entry with id 7f1c1a3e-0000-4000-8000-000000000000/);
      const inRoot = await api.createEntry({ name: "Twin", seed: { secret: KEY } });
      const inOps = await api.createEntry({ name: "twin", folderId: opsFolderId, seed: { secret: KEY } });
      const ambiguous = await watchword(["code", "TWIN"]);
      expectFailure(ambiguous, 1, /2 entries are named "twin": use one of their ids/i);
      expect(ambiguous.stderr).toContain(inRoot.entry.id);
      expect(ambiguous.stderr).toContain(inOps.entry.id);
      expect((await watchword(["code", inOps.entry.id])).stdout).toMatch(/^\d{6}\n$/);
    });
  });

  describe("adding entries: bad input", () => {
    it("refuses a bad setup key, an unknown folder and a wrong combination of flags, in one line each", async () => {
      expectFailure(await watchword(["entry", "add", "Bad", "--secret", "JBSW1Y3DP"]), 2, /'1', which is not a base32 character/);
      expectFailure(await watchword(["entry", "add", "Lost", "--secret", KEY, "--folder", "Nowhere"]), 1, /No folder named "Nowhere"\./);
      expectFailure(await watchword(["entry", "add", "Both", "--secret", KEY, "--uri", "otpauth://totp/x?secret=" + KEY]), 2, /exactly one of --secret, --uri or --qr/);
      expectFailure(await watchword(["entry", "add", "None"]), 2, /exactly one of --secret, --uri or --qr/);
      expectFailure(await watchword(["entry", "add", "Digits", "--secret", KEY, "--digits", "six"]), 2, /--digits must be a whole number/);
      expectFailure(await watchword(["entry", "add", "Empty", "--secret", "-"], { input: "" }), 2, /--secret - found nothing on standard input/);
      expectFailure(await watchword(["entry", "add", "Qr", "--qr", path.join(home, "missing.png")]), 1, /No file named .*missing\.png\./);
      for (const name of ["Bad", "Lost", "Both", "None", "Digits", "Empty", "Qr"]) expect(await entryNamed(name)).toBeUndefined();
    });
  });

  describe("QR images and imports", () => {
    it("adds an entry from a QR image under the name given", async () => {
      const image = path.join(home, "qr.png");
      await QRCode.toFile(image, `otpauth://totp/Registrar:hostmaster@example.com?secret=${KEY}&issuer=Registrar`);
      const added = json<EntryReply>(await watchword(["entry", "add", "Registrar", "--qr", image, "--folder", opsFolderId, "--json"]));
      expect(added.entry).toMatchObject({ name: "Registrar", folderId: opsFolderId, issuer: "Registrar", account: "hostmaster@example.com" });
      const code = json<CodeReply>(await watchword(["code", added.entry.id, "--json"]));
      expect(code.code).toBe(referenceTotp(KEY, code.validFrom));
    });

    it("refuses a file over 10 MiB and a missing file before uploading", async () => {
      const huge = path.join(home, "huge.json");
      await fs.writeFile(huge, "");
      await fs.truncate(huge, 11 * 1024 * 1024);
      expectFailure(await watchword(["import", huge]), 1, /huge\.json is 11\.0 MiB; the limit is 10\.0 MiB\./);
      expectFailure(await watchword(["entry", "add", "Huge", "--qr", huge]), 1, /the limit is 10\.0 MiB/);
      expectFailure(await watchword(["import", path.join(home, "nothing.json")]), 1, /No file named .*nothing\.json\./);
      expectFailure(await watchword(["import", huge, "--format", "excel"]), 2, /--format must be one of auto, aegis/);
    });

    it.skipIf(!isKeePassXcInstalled)(`imports a KeePass database with --key-file, alone or with --password-stdin, and says when the key file is wrong${keePassXcSkipNote}`, async () => {
      const entries = [{ title: "DNS", otp: `otpauth://totp/DNS:root?secret=${KEY}&issuer=DNS` }];
      const both = createKeePassXcDatabase({ version: "3.1", entries, password: PASSWORD, withKeyFile: true });
      const keyOnly = createKeePassXcDatabase({ version: "4", entries, withKeyFile: true });
      try {
        const files = { both: path.join(home, "both.kdbx"), bothKey: path.join(home, "both.keyx"), keyOnly: path.join(home, "key-only.kdbx"), keyOnlyKey: path.join(home, "key-only.keyx") };
        await fs.writeFile(files.both, both.bytes);
        await fs.writeFile(files.bothKey, both.keyFile ?? "");
        await fs.writeFile(files.keyOnly, keyOnly.bytes);
        await fs.writeFile(files.keyOnlyKey, keyOnly.keyFile ?? "");
        const imported = json<{ preview: ImportPreview; created: { id: string }[] }>(
          await watchword(["import", files.both, "--key-file", files.bothKey, "--password-stdin", "--yes", "--json"], { input: `${PASSWORD}\n` }),
        );
        expect(imported.preview.entries.map((e) => e.name)).toEqual(["DNS"]);
        const code = json<CodeReply>(await watchword(["code", imported.created[0]!.id, "--json"]));
        expect(code.code).toBe(referenceTotp(KEY, code.validFrom));
        const previewed = await watchword(["import", files.keyOnly, "--key-file", files.keyOnlyKey, "--json"]);
        expect([previewed.code, previewed.stderr]).toEqual([0, "Run again with --yes to import.\n"]);
        expect((JSON.parse(previewed.stdout) as ImportPreview).entries.map((e) => e.name)).toEqual(["DNS"]);
        const wrong = await watchword(["import", files.keyOnly, "--key-file", files.bothKey]);
        expectFailure(wrong, 2, /The key file is wrong \(or the database also needs its password\), or the file is damaged\./);
        expect(wrong.stderr).not.toContain(Buffer.from(both.keyFile ?? "").toString("base64"));
        expectFailure(await watchword(["import", files.keyOnly, "--key-file", path.join(home, "no.keyx")]), 1, /No file named .*no\.keyx\./);
        expectFailure(await watchword(["import", files.keyOnly]), 2, /give its password, its key file, or both\. \(Send the password with --password-stdin, the key file with --key-file\.\)$/);
      } finally {
        both.remove();
        keyOnly.remove();
      }
    });
  });

  describe.skipIf(!hasFixtures)(`imports of real export files (${hasFixtures ? "from" : "SKIPPED: missing"} ${FIXTURES})`, () => {
    const aegis = (name: string): string => path.join(FIXTURES, "aegis-importers", name);

    it("previews an Aegis export without importing when not asked to confirm, then imports it with --yes", async () => {
      await api.createFolder({ name: "Imported" });
      const before = (await api.listEntries()).entries.length;
      const preview = await watchword(["import", aegis("aegis_plain.json")]);
      expect(preview).toMatchObject({ code: 0, stderr: "" });
      expect(preview.stdout).toMatch(/^# +NAME +ISSUER\/ACCOUNT/);
      expect(preview.stdout).toContain("7 entries to import (format aegis)");
      expect(preview.stdout.trimEnd().endsWith("Run again with --yes to import.")).toBe(true);
      expect((await api.listEntries()).entries).toHaveLength(before);

      const confirmed = json<{ preview: ImportPreview; created: unknown[] }>(await watchword(["import", aegis("aegis_plain.json"), "--yes", "--json", "--folder", "Imported"]));
      expect(confirmed.preview.entries).toHaveLength(7);
      expect(confirmed.created).toHaveLength(7);
      const after = (await api.listEntries()).entries;
      expect(after).toHaveLength(before + 7);
      expect(JSON.stringify(confirmed)).not.toContain("4SJHB4GSD43FZBAI7C2HLRJGPQ"); // the first entry's secret

      const again = await watchword(["import", aegis("aegis_plain.json"), "--format", "aegis"]);
      expect(again.stdout).toMatch(/duplicate of/);
      expect(again.stdout).toContain("7 look like entries that exist already");
    });

    it("imports an encrypted Aegis vault with its password, and refuses a wrong or missing one in one line", async () => {
      const wrong = await watchword(["import", aegis("aegis_encrypted.json"), "--password-stdin"], { input: "wrong-password\n" });
      expectFailure(wrong, 2, /The password is wrong/);
      expect(wrong.stderr).not.toContain("wrong-password");
      expectFailure(await watchword(["import", aegis("aegis_encrypted.json")]), 2, /encrypted.*--password-stdin/);
      const preview = await watchword(["import", aegis("aegis_encrypted.json"), "--password-stdin", "--json"], { input: "test\n" });
      expect(preview.code).toBe(0);
      expect(preview.stderr).toBe("Run again with --yes to import.\n");
      expect((JSON.parse(preview.stdout) as ImportPreview).entries).toHaveLength(7);
    });

    it("says why nothing can be imported, in one line, and fails", async () => {
      const damaged = await watchword(["import", path.join(FIXTURES, "gauth-export", "test_export_wrong_data.txt")]);
      expect(damaged.code).toBe(2);
      expect(damaged.stdout).toBe("");
      expect(damaged.stderr).toMatch(/^watchword: Nothing in this file can be imported: 1 item was found, and it cannot be\. Line 1: The export data is damaged [^\n]*\n$/);
      const many = path.join(home, "bad-links.txt");
      await fs.writeFile(many, Array.from({ length: 5 }, (_, i) => `otpauth://totp/Bad${i}:ada?secret=1111`).join("\n"));
      const five = await watchword(["import", many, "--format", "uris"]);
      expect(five.code).toBe(2);
      expect(five.stderr).toMatch(/^watchword: Nothing in this file can be imported: 5 items were found, and none of them can be\. Line 1: The secret contains '1'[^\n]* Line 2: [^\n]* Line 3: [^\n]* \(and 2 more\)\n$/);
      expectFailure(await watchword(["entry", "add", "Not OTP", "--qr", path.join(FIXTURES, "gauth-export", "qr_but_without_otp.png")]), 2, /no otpauth:\/\/ link/);
    });

    it("refuses a QR image that holds several accounts, pointing to watchword import", async () => {
      const screenshot = path.join(FIXTURES, "gauth-export", "example_export.png");
      expectFailure(await watchword(["entry", "add", "Several", "--qr", screenshot]), 2, /holds \d+ accounts: import them all with `watchword import .*example_export\.png`/);
      expect(await entryNamed("Several")).toBeUndefined();
    });
  });

  describe.skipIf(!hasPseudoTerminal)(`on a terminal${hasPseudoTerminal ? "" : " (SKIPPED: needs python3 for a pseudo-terminal)"}`, () => {
    it("asks for the password without echo, with Backspace working, and saves the token", async () => {
      const result = await runInTerminal(["login", "--url", server.url, "--username", "alice"], fileOnlyEnv(), [{ waitFor: "Password for alice at ", send: `x\u007f${PASSWORD}\r` }]);
      expect(result.screen).toContain(`Password for alice at ${server.url}: `);
      expect(result.screen).not.toContain(PASSWORD);
      expect(result.screen).toMatch(/Signed in to .* as alice/);
      expect(result.code).toBe(0);
      expect(JSON.parse(await fs.readFile(configFile, "utf8"))).toMatchObject({ url: server.url });
    });

    it("stops at Ctrl-C in the password prompt and saves nothing", async () => {
      const result = await runInTerminal(["login", "--url", server.url, "--username", "alice"], fileOnlyEnv(), [{ waitFor: "Password for", send: "secret-so-far\u0003" }]);
      expect(result.code).toBe(1);
      expect(result.screen).toContain("watchword: Cancelled.");
      expect(result.screen).not.toContain("secret-so-far");
      expect(existsSync(configFile)).toBe(false);
    });

    it("asks for a setup key given as --secret - without echoing it", async () => {
      const result = await runInTerminal(["entry", "add", "Typed key", "--secret", "-"], signedInEnv(), [{ waitFor: "Setup key: ", send: `${KEY}\r` }]);
      expect(result.code).toBe(0);
      expect(result.screen).not.toContain(KEY);
      expect(result.screen).toMatch(/Added entry Typed key/);
    });

    it.skipIf(!hasFixtures)("asks for an export's password, shows the preview, and imports only after yes", async () => {
      // The same accounts as aegis_plain.json, imported above: asked about with --include-duplicates.
      const encrypted = path.join(FIXTURES, "aegis-importers", "aegis_encrypted.json");
      const declined = await runInTerminal(["import", encrypted, "--include-duplicates"], signedInEnv(), [
        { waitFor: "Password for aegis_encrypted\\.json: ", send: "test\r" },
        { waitFor: "Import 7 entries\\? \\[y/N\\] ", send: "n\r" },
      ]);
      expect(declined.screen).toMatch(/7 entries to import \(format aegis\)/);
      expect(declined.screen).toContain("Nothing imported.");
      expect(declined.code).toBe(0);
      const imported = await runInTerminal(["import", path.join(FIXTURES, "aegis-importers", "plain.txt"), "--folder", "Ops", "--include-duplicates"], signedInEnv(), [
        { waitFor: "Import 7 entries\\? \\[y/N\\] ", send: "y\r" },
      ]);
      expect(imported.screen).toContain('Imported 7 entries into "Ops".');
      expect(imported.code).toBe(0);
    });
  });
});
