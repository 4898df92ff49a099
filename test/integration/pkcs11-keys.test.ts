// The PKCS#11 key provider against a real SoftHSM2 token: the KEK made inside the token and never
// readable, the wrong key refused at start with nothing changed (as with a key file), and every
// bad setting (wrong PIN, missing module, missing key label, an extractable key) one clear line on
// stderr, a non-zero exit, nothing changed, and the PIN nowhere in what was printed.
import { randomBytes } from "node:crypto";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cleanEnv, runCli } from "../support/cli.js";
import { createTestDatabase, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm } from "../support/softhsm.js";

const PASSWORD = "amber-quartz-meadow-1977";
const PIN = "PLANTED-PIN-582031";
const KEY_LABEL = "watchword-kek";

let hsm: SoftHsm;
beforeAll(async () => {
  hsm = await createSoftHsm();
});
afterAll(async () => {
  await hsm.drop();
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = (await fs.readdir(dir)).sort();
  const entries = await Promise.all(files.map(async (f) => [f, createHash("sha256").update(await fs.readFile(path.join(dir, f))).digest("hex")] as const));
  return Object.fromEntries(entries);
}

describe("the PKCS#11 key provider", () => {
  let db: TestDatabase;
  let token: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    db = await createTestDatabase("sqlite");
    token = `tok-${path.basename(db.dataDir)}`.slice(0, 32);
    await hsm.createToken(token, PIN);
    await hsm.createKey(token, PIN, KEY_LABEL);
    env = cleanEnv({
      ...hsm.env,
      WATCHWORD_KEY_PROVIDER: "pkcs11",
      WATCHWORD_PKCS11_MODULE: SOFTHSM_MODULE,
      WATCHWORD_PKCS11_TOKEN_LABEL: token,
      WATCHWORD_PKCS11_PIN: PIN,
      WATCHWORD_PKCS11_KEY_LABEL: KEY_LABEL,
    });
  });
  afterEach(async () => {
    await db.drop();
  });

  /** An initialised vault with a user, and what its data directory and database hold. */
  async function initialised(): Promise<{ files: Record<string, string>; dump: string }> {
    const init = await runCli(["init", "--data-dir", db.dataDir], { env });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/key-encryption key [0-9a-f]{16}/);
    expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", db.dataDir], { env, input: PASSWORD })).code).toBe(0);
    // No key file: the KEK is in the token.
    expect((await fs.readdir(db.dataDir)).filter((f) => f.endsWith(".key"))).toEqual([]);
    return { files: await snapshot(db.dataDir), dump: await dumpDatabase(db) };
  }

  async function expectRefused(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp, before: { files: Record<string, string>; dump: string }) {
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^watchword: [^\n]+\n$/);
    expect(result.stderr).toMatch(pattern);
    expect(result.stdout + result.stderr).not.toContain(PIN);
    expect(await snapshot(db.dataDir)).toEqual(before.files);
    expect(await dumpDatabase(db)).toBe(before.dump);
  }

  it("serves from a key inside the token, and audit-verifies with it", async () => {
    await initialised();
    const verified = await runCli(["audit", "verify", "--data-dir", db.dataDir], { env });
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout + verified.stderr).not.toContain(PIN);
  }, 90_000);

  it("refuses a wrong key at start (another token's key under the same label) and changes nothing", async () => {
    const before = await initialised();
    const other = `${token.slice(0, 26)}-other`;
    await hsm.createToken(other, PIN);
    await hsm.createKey(other, PIN, KEY_LABEL);
    const wrong = await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_PKCS11_TOKEN_LABEL: other } });
    expect(wrong.code).toBe(78);
    await expectRefused(wrong, /does not match the data/, before);
    const rotate = await runCli(["keys", "rotate", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_PKCS11_TOKEN_LABEL: other } });
    await expectRefused(rotate, /does not match the data/, before);
    expect(await hsm.keyLabels(other, PIN)).toEqual([KEY_LABEL]);
  }, 90_000);

  it("refuses a wrong PIN in one line, naming no PIN, and changes nothing", async () => {
    const before = await initialised();
    const wrongPin = `${PIN}-typo`;
    const result = await runCli(["keys", "rotate", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_PKCS11_PIN: wrongPin } });
    await expectRefused(result, /refused the sign-in \(CKR_PIN_INCORRECT\)/, before);
    expect(result.stderr).not.toContain(wrongPin);
  }, 90_000);

  it("reads the PIN from WATCHWORD_PKCS11_PIN_FILE, and names an unreadable one without its content", async () => {
    const before = await initialised();
    const pinFile = path.join(hsm.dir, `pin-${randomBytes(4).toString("hex")}`);
    await fs.writeFile(pinFile, `${PIN}\n`, { mode: 0o600 });
    const { WATCHWORD_PKCS11_PIN: _pin, ...withoutPin } = env;
    expect((await runCli(["audit", "verify", "--data-dir", db.dataDir], { env: { ...withoutPin, WATCHWORD_PKCS11_PIN_FILE: pinFile } })).code).toBe(0);
    const missing = await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: { ...withoutPin, WATCHWORD_PKCS11_PIN_FILE: `${pinFile}-missing` } });
    await expectRefused(missing, /cannot read WATCHWORD_PKCS11_PIN_FILE .* \(ENOENT\)/, before);
  }, 90_000);

  it("refuses a missing module, a missing key label and missing settings in one line each, changing nothing", async () => {
    const before = await initialised();
    await expectRefused(
      await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_PKCS11_MODULE: "/nonexistent/libpkcs11.so" } }),
      /cannot load the PKCS#11 module \/nonexistent\/libpkcs11\.so/,
      before,
    );
    await expectRefused(
      await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_PKCS11_KEY_LABEL: "no-such-key" } }),
      /The key is missing \(the PKCS#11 key "no-such-key" on token/,
      before,
    );
    const { WATCHWORD_PKCS11_KEY_LABEL: _label, ...withoutLabel } = env;
    const unset = await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: withoutLabel });
    expect(unset.code).toBe(2);
    await expectRefused(unset, /WATCHWORD_KEY_PROVIDER=pkcs11 needs WATCHWORD_PKCS11_KEY_LABEL/, before);
    await expectRefused(
      await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_PKCS11_TOKEN_LABEL: "no-such-token" } }),
      /has no token "no-such-token"/,
      before,
    );
  }, 90_000);

  it("refuses a key that could leave the HSM (extractable), at start, changing nothing", async () => {
    const before = await initialised();
    await hsm.createKey(token, PIN, "extractable-kek", { extractable: true });
    await expectRefused(
      await runCli(["serve", "--port", "0", "--data-dir", db.dataDir], { env: { ...env, WATCHWORD_PKCS11_KEY_LABEL: "extractable-kek" } }),
      /can leave the HSM \(CKA_EXTRACTABLE is true\)/,
      before,
    );
  }, 90_000);
});
