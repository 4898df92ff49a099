// `watchword import` as a script or a person runs it against a real server: rows that look like
// entries that exist already are left out (as the web app unticks them) unless asked for,
// --folder creates the folder it names when there is none, and an encrypted export (Bitwarden's
// password-protected one) is opened with --password-stdin.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import type { ImportPreview } from "../../src/contract/imports.js";
import { cleanEnv, runCli, startServe, type CliResult, type ServeProcess } from "../support/cli.js";
import { hasPseudoTerminal, runInTerminal } from "../support/terminal.js";
import { passwordProtectedBitwarden, plainBitwardenExport } from "../unit/intake/build-bitwarden.js";

const PASSWORD = "amber-quartz-meadow-1977";
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

const link = (issuer: string, account: string): string => `otpauth://totp/${issuer}:${account}?secret=${KEY}&issuer=${issuer}`;

/** A failed run: the exit code, and exactly one line on stderr. */
function expectFailure(result: CliResult, exitCode: number, pattern: RegExp): void {
  expect(result.code).toBe(exitCode);
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe("watchword import: duplicates and folders", () => {
  let root: string;
  let dataDir: string;
  let server: ServeProcess;
  let token: string;
  let api: WatchwordClient;

  const env = (as = token): Record<string, string> => cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: as, WATCHWORD_CONFIG: path.join(root, "config.json") });
  const watchword = (args: string[], as?: string): Promise<CliResult> => runCli(args, { env: env(as) });
  /** A file of otpauth:// links, one per line. */
  async function linksFile(name: string, links: string[]): Promise<string> {
    const file = path.join(root, name);
    await fs.writeFile(file, `${links.join("\n")}\n`);
    return file;
  }
  const countOf = async (issuer: string, account: string): Promise<number> =>
    (await api.listEntries()).entries.filter((e) => e.issuer === issuer && e.account === account).length;
  const foldersNamed = async (name: string) => (await api.listFolders()).folders.filter((f) => f.name.toLowerCase() === name.toLowerCase());

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-import-"));
    dataDir = path.join(root, "data");
    expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    token = (await createClient({ baseUrl: server.url }).signIn({ username: "alice", password: PASSWORD, client: "cli" })).token!;
    api = createClient({ baseUrl: server.url, token });
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("skips rows that look like existing entries with --yes, says how many, and keeps them with --include-duplicates", async () => {
    const first = await linksFile("first.txt", [link("Dup", "ops"), link("Dup", "dev"), link("Dup", "ci")]);
    const imported = await watchword(["import", first, "--yes"]);
    expect([imported.code, imported.stderr]).toEqual([0, ""]);
    expect(imported.stdout.trimEnd().split("\n").at(-1)).toBe("Imported 3 entries.");

    const second = await linksFile("second.txt", [link("Dup", "ops"), link("Dup", "dev"), link("Dup", "ci"), link("Dup", "new")]);
    const again = await watchword(["import", second, "--yes"]);
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(again.stdout).toContain("4 entries to import (format uris); 3 look like entries that exist already and will be skipped (--include-duplicates imports them too).");
    expect(again.stdout.trimEnd().split("\n").slice(-2)).toEqual(["Imported 1 entry.", "Skipped 3 that look like entries that exist already (--include-duplicates imports them too)."]);
    expect([await countOf("Dup", "ops"), await countOf("Dup", "new")]).toEqual([1, 1]);

    const everything = await watchword(["import", second, "--yes", "--include-duplicates"]);
    expect(everything.code).toBe(0);
    expect(everything.stdout).toContain("4 look like entries that exist already and will be added again.");
    expect(everything.stdout.trimEnd().split("\n").at(-1)).toBe("Imported 4 entries.");
    expect([await countOf("Dup", "ops"), await countOf("Dup", "new")]).toEqual([2, 2]);
  });

  it("imports nothing, and says so without failing, when every row looks like an existing entry", async () => {
    const file = await linksFile("same.txt", [link("Same", "ops")]);
    expect((await watchword(["import", file, "--yes"])).code).toBe(0);
    const before = (await api.listEntries()).entries.length;
    const again = await watchword(["import", file, "--yes"]);
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(again.stdout.trimEnd().split("\n").at(-1)).toBe("Nothing imported: the entry looks like one that exists already (--include-duplicates imports them anyway).");
    const asJson = JSON.parse((await watchword(["import", file, "--yes", "--json"])).stdout) as { preview: ImportPreview; created: unknown[]; skipped: { name: string; duplicateOf: unknown }[] };
    expect(asJson.created).toEqual([]);
    expect(asJson.skipped).toHaveLength(1);
    expect(asJson.skipped[0]!.duplicateOf).toMatchObject({ name: "Same (ops)" });
    expect((await api.listEntries()).entries).toHaveLength(before);
  });

  it("reports the skipped rows in --json", async () => {
    const file = await linksFile("json.txt", [link("Json", "a"), link("Json", "b")]);
    expect((await watchword(["import", await linksFile("json-a.txt", [link("Json", "a")]), "--yes"])).code).toBe(0);
    const result = await watchword(["import", file, "--yes", "--json"]);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const reply = JSON.parse(result.stdout) as { created: { name: string }[]; skipped: { name: string }[] };
    expect(reply.created.map((c) => c.name)).toEqual(["Json (b)"]);
    expect(reply.skipped.map((s) => s.name)).toEqual(["Json (a)"]);
  });

  it("creates the folder --folder names when there is none, says so, and reuses it the next time", async () => {
    const file = await linksFile("vendors.txt", [link("Vendor", "billing"), link("Vendor", "support")]);
    const preview = await watchword(["import", file, "--folder", "Vendors"]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('The folder "Vendors" does not exist yet: it will be created.');
    expect(await foldersNamed("Vendors")).toEqual([]); // a preview creates nothing

    const created = await watchword(["import", file, "--folder", "Vendors", "--yes"]);
    expect([created.code, created.stderr]).toEqual([0, ""]);
    expect(created.stdout.trimEnd().split("\n").slice(-2)).toEqual(['Created the folder "Vendors".', 'Imported 2 entries into "Vendors".']);
    const [vendors, ...others] = await foldersNamed("Vendors");
    expect(others).toEqual([]);
    const inFolder = (await api.listEntries()).entries.filter((e) => e.issuer === "Vendor");
    expect(inFolder.map((e) => e.folderId)).toEqual([vendors!.id, vendors!.id]);

    const reused = await watchword(["import", file, "--folder", "VENDORS", "--yes", "--include-duplicates"]);
    expect(reused.code).toBe(0);
    expect(reused.stdout).not.toContain("Created the folder");
    expect(reused.stdout.trimEnd().split("\n").at(-1)).toBe('Imported 2 entries into "Vendors".');
    expect(await foldersNamed("Vendors")).toHaveLength(1);
  });

  it("refuses a folder it may not create or whose name is not valid in one line, importing nothing", async () => {
    expect((await runCli(["user", "add", "bob", "--role", "member", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
    const bob = (await createClient({ baseUrl: server.url }).signIn({ username: "bob", password: PASSWORD, client: "cli" })).token!;
    const file = await linksFile("member.txt", [link("Member", "one")]);
    expectFailure(await watchword(["import", file, "--folder", "Bob's folder", "--yes"], bob), 1, /^watchword: Cannot create the folder "Bob's folder", so nothing was imported: Only administrators create folders\.$/);
    expect(await foldersNamed("Bob's folder")).toEqual([]);
    expect(await countOf("Member", "one")).toBe(0);

    expectFailure(await watchword(["import", file, "--folder", "x".repeat(300), "--yes"]), 2, /^watchword: Cannot create the folder "x{39}…", so nothing was imported: .*200 characters/);
    expect(await countOf("Member", "one")).toBe(0);
    expectFailure(await watchword(["import", file, "--folder", "7f1c1a3e-0000-4000-8000-000000000000", "--yes"]), 1, /No folder with id 7f1c1a3e-0000-4000-8000-000000000000/);
    expect(await countOf("Member", "one")).toBe(0);
  });

  it("imports a password-protected Bitwarden export with --password-stdin, and refuses a wrong password or a damaged file in one line", async () => {
    const exportPassword = "juniper-Bitwarden-export-5150";
    const seed = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BAJJ2W24DT";
    const plain = plainBitwardenExport([{ name: "Bitwarden login", totp: seed, username: "ops" }]);
    const sealed = await passwordProtectedBitwarden(plain, exportPassword, { type: 1, iterations: 3, memoryMib: 64, parallelism: 4 });
    const file = path.join(root, "bitwarden_encrypted_export.json");
    await fs.writeFile(file, JSON.stringify(sealed));
    const damaged = path.join(root, "bitwarden_damaged.json");
    await fs.writeFile(damaged, JSON.stringify({ ...sealed, data: `${sealed.data.slice(0, -6)}AAAAA=` }));
    const restricted = path.join(root, "bitwarden_account_restricted.json");
    await fs.writeFile(restricted, JSON.stringify({ encrypted: true, encKeyValidation_DO_NOT_EDIT: sealed.encKeyValidation_DO_NOT_EDIT, folders: [], items: [] }));

    const wrong = await runCli(["import", file, "--password-stdin", "--yes"], { env: env(), input: "juniper-Bitwarden-export-5151\n" });
    expectFailure(wrong, 2, /^watchword: The password is wrong, or the file is damaged\.$/);
    expectFailure(await watchword(["import", file, "--yes"]), 2, /^watchword: This Bitwarden file is encrypted: give its password\..*--password-stdin/);
    expectFailure(await runCli(["import", damaged, "--password-stdin", "--yes"], { env: env(), input: `${exportPassword}\n` }), 2, /^watchword: This Bitwarden export is damaged: its data field is missing or unreadable\.$/);
    expectFailure(await runCli(["import", restricted, "--password-stdin", "--yes"], { env: env(), input: `${exportPassword}\n` }), 2, /^watchword: This Bitwarden export is "account restricted".*file type "Password protected"/);
    expect((await api.listEntries()).entries.filter((e) => e.name === "Bitwarden login")).toEqual([]);

    const imported = await runCli(["import", file, "--password-stdin", "--yes", "--json"], { env: env(), input: `${exportPassword}\n` });
    expect([imported.code, imported.stderr]).toEqual([0, ""]);
    const reply = JSON.parse(imported.stdout) as { preview: ImportPreview; created: { name: string }[] };
    expect(reply.preview.format).toBe("bitwarden");
    expect(reply.created.map((c) => c.name)).toEqual(["Bitwarden login"]);
    for (const output of [wrong.stdout, wrong.stderr, imported.stdout, server.output(), server.errors()]) {
      expect(output).not.toContain(exportPassword);
      expect(output).not.toContain(seed);
    }
  });

  it.skipIf(!hasPseudoTerminal)("asks about the rows it will import, naming the duplicates it skips", async () => {
    const file = await linksFile("asked.txt", [link("Asked", "old")]);
    expect((await watchword(["import", file, "--yes"])).code).toBe(0);
    const both = await linksFile("asked-both.txt", [link("Asked", "old"), link("Asked", "new")]);
    const result = await runInTerminal(["import", both], env(), [{ waitFor: "Import 1 entry, skipping 1 duplicate\\? \\[y/N\\] ", send: "y\r" }]);
    expect(result.code).toBe(0);
    expect(result.screen).toContain("Imported 1 entry.");
    expect(result.screen).toContain("Skipped 1 that looks like an entry that exists already");
    expect([await countOf("Asked", "old"), await countOf("Asked", "new")]).toEqual([1, 1]);
  });
});
