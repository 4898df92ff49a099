// Makes KeePass databases with KeePassXC's own command line (keepassxc-cli, Debian package
// `keepassxc`), so tests read files written by the real application rather than by the library we
// read them with. Entries go in through `keepassxc-cli import` of a KeePass 2 XML file; KeePassXC
// writes KDBX 3.1 unless the content needs KDBX 4 (custom data on an entry), which is how a KDBX 4
// file is asked for. Under CI=true a missing keepassxc-cli fails the run instead of skipping.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const COMMAND = "keepassxc-cli";
export const isKeePassXcInstalled = spawnSync(COMMAND, ["--version"], { stdio: "ignore" }).status === 0;
if (!isKeePassXcInstalled && process.env.CI === "true") {
  throw new Error("keepassxc-cli is not installed, and CI=true requires the KeePassXC tests to run: apt-get install keepassxc.");
}
export const keePassXcSkipNote = isKeePassXcInstalled ? "" : " — SKIPPED: keepassxc-cli is not installed (apt-get install keepassxc)";

export interface KeePassXcEntry {
  readonly title: string;
  readonly username?: string;
  /** The otp attribute, as KeePassXC's "Set up TOTP" writes it: an otpauth:// link. */
  readonly otp?: string;
  /** A group below the root, created when missing. */
  readonly group?: string;
}

export interface KeePassXcDatabase {
  readonly bytes: Uint8Array;
  /** The key file KeePassXC generated (XML, version 2.0), when one was asked for. */
  readonly keyFile: Uint8Array | undefined;
  /** Runs keepassxc-cli against the database with its credentials; stdout trimmed. */
  readonly run: (args: readonly string[]) => string;
  readonly remove: () => void;
}

const escapeXml = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
const uuid = (n: number): string => Buffer.alloc(16, n).toString("base64");

function keePassXml(entries: readonly KeePassXcEntry[], version: "3.1" | "4"): string {
  // KeePassXC saves as KDBX 4 when an entry carries custom data (KeePass2Writer's implicit upgrade).
  const customData = version === "4" ? "<CustomData><Item><Key>watchword-test</Key><Value>kdbx4</Value></Item></CustomData>" : "";
  const entryXml = (entry: KeePassXcEntry, n: number): string =>
    `<Entry><UUID>${uuid(n + 10)}</UUID>${n === 0 ? customData : ""}` +
    `<String><Key>Title</Key><Value>${escapeXml(entry.title)}</Value></String>` +
    (entry.username === undefined ? "" : `<String><Key>UserName</Key><Value>${escapeXml(entry.username)}</Value></String>`) +
    (entry.otp === undefined ? "" : `<String><Key>otp</Key><Value ProtectInMemory="True">${escapeXml(entry.otp)}</Value></String>`) +
    "</Entry>";
  const groups = [...new Set(entries.map((entry) => entry.group).filter((group) => group !== undefined))];
  const inRoot = entries.map((entry, n) => (entry.group === undefined ? entryXml(entry, n) : "")).join("");
  const groupXml = groups
    .map((group, g) => `<Group><UUID>${uuid(g + 2)}</UUID><Name>${escapeXml(group)}</Name>${entries.map((entry, n) => (entry.group === group ? entryXml(entry, n) : "")).join("")}</Group>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><KeePassFile><Meta><Generator>watchword-test</Generator><DatabaseName>Vault</DatabaseName></Meta><Root><Group><UUID>${uuid(1)}</UUID><Name>Root</Name>${inRoot}${groupXml}</Group></Root></KeePassFile>`;
}

/** A database made by keepassxc-cli with a password, a generated key file, or both. */
export function createKeePassXcDatabase(options: {
  readonly version: "3.1" | "4";
  readonly entries: readonly KeePassXcEntry[];
  readonly password?: string;
  readonly withKeyFile?: boolean;
}): KeePassXcDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), "watchword-keepassxc-"));
  const xml = path.join(dir, "in.xml");
  const database = path.join(dir, "vault.kdbx");
  const keyFile = path.join(dir, "vault.keyx");
  writeFileSync(xml, keePassXml(options.entries, options.version));
  const { password } = options;
  // keepassxc-cli asks for the new password twice on standard input.
  execFileSync(COMMAND, ["import", "-q", ...(password === undefined ? [] : ["-p"]), ...(options.withKeyFile === true ? ["--set-key-file", keyFile] : []), xml, database], {
    input: password === undefined ? "" : `${password}\n${password}\n`,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const credentials = [...(options.withKeyFile === true ? ["-k", keyFile] : []), ...(password === undefined ? ["--no-password"] : [])];
  return {
    bytes: new Uint8Array(readFileSync(database)),
    keyFile: options.withKeyFile === true ? new Uint8Array(readFileSync(keyFile)) : undefined,
    run: (args) => {
      const [command, ...rest] = args;
      return execFileSync(COMMAND, [command ?? "", "-q", ...credentials, ...rest.slice(0, -1), database, ...rest.slice(-1)], {
        input: password === undefined ? "" : `${password}\n`,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
      }).trim();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
