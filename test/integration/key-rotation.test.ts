// `watchword keys rotate` as an operator runs it: a real CLI process re-wrapping every data key
// while a real server serves codes from the same data, SIGKILLed half-way (every row still
// readable, both keys still there), run again to finish (the old key retired only then), and
// audited in a chain that still verifies; for key files and for a SoftHSM2 token, on SQLite and PostgreSQL.
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { loadServerConfig } from "../../src/config.js";
import { createDataKeyRecord, newestOf, openKeyring } from "../../src/crypto/keyring.js";
import { keyProviderFor } from "../../src/services/vault.js";
import { openStore, type Store } from "../../src/store/store.js";
import { CLI, cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { createTestDatabase, databaseKinds, TEST_DATABASE_URL, type DatabaseKind, type TestDatabase } from "../support/databases.js";
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm } from "../support/softhsm.js";

const PASSWORD = "amber-quartz-meadow-1977";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PIN = "PLANTED-PIN-731946";
const TOKEN = "watchword";
const KEY_LABEL = "watchword-kek";
/** Data keys beyond the first: enough that a rotation takes long enough to be killed half-way. */
const EXTRA_DATA_KEYS = 3000;

type ProviderKind = "file" | "pkcs11";
const providerKinds: ProviderKind[] = ["file", "pkcs11"];

let hsm: SoftHsm;
beforeAll(async () => {
  hsm = await createSoftHsm();
  // The test process opens the token too (to add data keys), and SoftHSM reads this at C_Initialize.
  process.env.SOFTHSM2_CONF = hsm.env.SOFTHSM2_CONF;
});
afterAll(async () => {
  await hsm.drop();
});

describe.each(providerKinds)("keys rotate with the %s key provider", (providerKind) => {
  describe.each(databaseKinds)("on %s", (kind: DatabaseKind) => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let store: Store;
    let server: ServeProcess | undefined;
    const args = () => ["--data-dir", db.dataDir];

    beforeEach(async () => {
      db = await createTestDatabase(kind);
      const database: Record<string, string> = db.databaseUrl === undefined ? {} : { DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}` };
      const tokenLabel = `${TOKEN}-${path.basename(db.dataDir)}`;
      const keys =
        providerKind === "file"
          ? {}
          : {
              ...hsm.env,
              WATCHWORD_KEY_PROVIDER: "pkcs11",
              WATCHWORD_PKCS11_MODULE: SOFTHSM_MODULE,
              WATCHWORD_PKCS11_TOKEN_LABEL: tokenLabel,
              WATCHWORD_PKCS11_PIN: PIN,
              WATCHWORD_PKCS11_KEY_LABEL: KEY_LABEL,
            };
      if (providerKind === "pkcs11") {
        await hsm.createToken(tokenLabel, PIN);
        await hsm.createKey(tokenLabel, PIN, KEY_LABEL);
      }
      env = cleanEnv({ ...database, ...keys });
      expect((await runCli(["init", ...args()], { env })).code).toBe(0);
      expect((await runCli(["user", "add", "alice", "--role", "admin", "--password-stdin", ...args()], { env, input: PASSWORD })).code).toBe(0);
      store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, backgroundCheckpoints: false, ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });
      await addDataKeys(store, env, db.dataDir, EXTRA_DATA_KEYS);
    }, 180_000);
    afterEach(async () => {
      await server?.stop();
      server = undefined;
      await store.close();
      await db.drop();
    });

    it("re-wraps every data key while the server serves, survives SIGKILL half-way, finishes when run again, and audits it", async () => {
      server = await startServe(args(), env, [], 90_000);
      const api = await signedIn(server.url);
      const { entry } = await api.createEntry({ name: "Payroll", seed: { secret: SEED } });
      const before = await kekIdsOfRows(store);
      expect(before.size).toBe(1);
      const [oldKekId] = [...before.keys()];

      // Codes are asked for all along; every one must come.
      let isRotating = true;
      const codes = (async () => {
        let served = 0;
        while (isRotating) {
          expect((await api.getCode(entry.id)).code).toMatch(/^\d{6}$/);
          served += 1;
        }
        return served;
      })();

      const killed = await rotateAndKill(env, args());
      const halfway = await kekIdsOfRows(store);
      expect(halfway.get(oldKekId!) ?? 0, `progress when killed: ${killed}`).toBeGreaterThan(0);
      expect([...halfway.keys()].length).toBe(2);
      expect(await activeKeys(providerKind, db.dataDir, env)).toHaveLength(2);
      // Every row readable: a fresh keyring (as a node starting now would open) unwraps every data key and the audit key.
      const provider = keyProviderFor(loadServerConfig({ dataDir: db.dataDir }, env));
      const keyring = await openKeyring({ provider, dataKeys: store.dataKeys, auditKeys: store.dataKeys, now: Date.now });
      expect(keyring.versions).toHaveLength(EXTRA_DATA_KEYS + 1);
      expect(keyring.kekIds).toHaveLength(2);
      keyring.destroy();
      await provider.close?.();

      const finished = await runCli(["keys", "rotate", ...args()], { env, timeoutMs: 60_000 });
      isRotating = false;
      expect(finished.stderr).toMatch(/^Finishing the rotation onto key id [0-9a-f]{16} /);
      expect(finished).toMatchObject({ code: 0 });
      expect(finished.stdout).toMatch(new RegExp(`^Rotated ${EXTRA_DATA_KEYS + 1} data keys to key id ([0-9a-f]{16}) in `));
      expect(finished.stdout).toContain(`Retired key id ${oldKekId}: `);
      expect(await codes).toBeGreaterThan(0);

      const after = await kekIdsOfRows(store);
      expect([...after.entries()]).toEqual([[expect.not.stringMatching(oldKekId!), EXTRA_DATA_KEYS + 1]]);
      expect(await activeKeys(providerKind, db.dataDir, env)).toHaveLength(1);

      // The running server never needed the old key again; a node starting now has only the new one.
      expect((await api.getCode(entry.id)).code).toMatch(/^\d{6}$/);
      const fresh = keyProviderFor(loadServerConfig({ dataDir: db.dataDir }, env));
      const reopened = await openKeyring({ provider: fresh, dataKeys: store.dataKeys, auditKeys: store.dataKeys, now: Date.now });
      expect(reopened.kekIds).toEqual([[...after.keys()][0]]);
      reopened.destroy();
      await fresh.close?.();

      const events = await store.auditEvents.listAuditEvents({ limit: 100_000 });
      const rotations = events.filter((e) => e.action.startsWith("key.")).map((e) => [e.action, e.outcome, e.actorType, e.channel]);
      expect(rotations).toEqual([
        ["key.rotation_started", "success", "local", "cli"],
        ["key.rotation_started", "success", "local", "cli"],
        ["key.rotated", "success", "local", "cli"],
      ]);
      const verified = await runCli(["audit", "verify", ...args()], { env });
      expect(verified).toMatchObject({ code: 0 });
      expect(verified.stdout).toMatch(/intact/);
      for (const output of [killed, finished.stdout, finished.stderr, verified.stdout, server.output(), server.errors()]) expect(output).not.toContain(PIN);

      // The speed of the run that finished the rotation (the rows it moved, over its time).
      process.stdout.write(`keys rotate speed, ${providerKind} on ${kind}: ${/Rotated .*/.exec(finished.stdout)?.[0]}\n`);
    }, 300_000);
  });
});

async function signedIn(url: string): Promise<WatchwordClient> {
  const token = (await createClient({ baseUrl: url }).signIn({ username: "alice", password: PASSWORD, client: "cli" })).token!;
  return createClient({ baseUrl: url, token });
}

/** Data keys 2…count+1 under the vault's KEK, added through the provider as a node would make them. */
async function addDataKeys(store: Store, env: Record<string, string>, dataDir: string, count: number): Promise<void> {
  const provider = keyProviderFor(loadServerConfig({ dataDir }, env));
  const keys = await provider.loadKeys();
  try {
    const kek = newestOf(keys);
    const records = Array.from({ length: count }, (_, i) => createDataKeyRecord(kek, i + 2, Date.now()));
    await store.transaction(async (tx) => {
      for (const { record, dataKey } of records) {
        dataKey.destroy();
        await tx.dataKeys.insertDataKey(record);
      }
    });
  } finally {
    for (const key of keys) key.destroy();
    await provider.close?.();
  }
}

async function kekIdsOfRows(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const record of await store.dataKeys.listDataKeys()) counts.set(record.kekId, (counts.get(record.kekId) ?? 0) + 1);
  return counts;
}

/** The KEKs the provider would load now: key files not retired, or HSM keys under the label. */
async function activeKeys(providerKind: ProviderKind, dataDir: string, env: Record<string, string>): Promise<string[]> {
  if (providerKind === "file") return (await fs.readdir(dataDir)).filter((name) => /^master(-\d+)?\.key$/.test(name));
  return (await hsm.keyLabels(env.WATCHWORD_PKCS11_TOKEN_LABEL!, PIN)).filter((label) => label === KEY_LABEL);
}

/** Starts `keys rotate` and SIGKILLs it at its first progress line past zero; returns that line. */
function rotateAndKill(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "keys", "rotate", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let line = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /Re-wrapped ([1-9]\d*) of (\d+)/.exec(stderr);
      if (match !== null && line === "") {
        line = match[0];
        child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL") resolve(line);
      else reject(new Error(`keys rotate ended with ${code} before it was killed: ${stderr}`));
    });
  });
}
