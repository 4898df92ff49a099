import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { Secret } from "../../../src/core/secret.js";
import { sealField } from "../../../src/crypto/envelope.js";
import { createEnvKeyProvider, createKeyFileProvider } from "../../../src/crypto/key-provider.js";
import {
  createDataKeyRecord,
  deriveKekId,
  openKeyring,
  unwrapDataKey,
} from "../../../src/crypto/keyring.js";
import type { DataKeyRecord } from "../../../src/crypto/keyring.js";
import { MemoryDataKeyStore } from "./memory-data-key-store.js";

const NOW = Date.UTC(2026, 0, 1);
const now = () => NOW;
const binding = { recordId: "entry-1", field: "seed" };
const PLANTED = "PLANTED-SEED-JBSWY3DPEHPK3PXP";

async function rejection(promise: Promise<unknown>): Promise<WatchwordError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WatchwordError);
  return error as WatchwordError;
}

const fileExists = (path: string) =>
  readFile(path).then(
    () => true,
    () => false,
  );

describe("openKeyring", () => {
  let dir: string;
  let keyPath: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "watchword-keyring-"));
    keyPath = join(dir, "data", "master.key");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the key and data key 1 on a first start with neither", async () => {
    const store = new MemoryDataKeyStore();
    const keyring = await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now });

    const kek = await createKeyFileProvider(keyPath).load();
    expect(kek).not.toBeNull();
    expect(store.records).toHaveLength(1);
    expect(store.records[0]).toMatchObject({ version: 1, kekId: deriveKekId(kek!), createdAt: NOW });
    expect(keyring.currentVersion).toBe(1);
    expect(keyring.kekId).toBe(deriveKekId(kek!));
    const sealed = keyring.seal(Secret.fromUtf8(PLANTED), binding);
    expect(keyring.open(sealed, binding).revealUtf8()).toBe(PLANTED);
  });

  it("creates data key 1 under an existing key when there are no data keys, leaving the key file as it was", async () => {
    const kek = await createKeyFileProvider(keyPath).create();
    const before = await readFile(keyPath, "utf8");
    const store = new MemoryDataKeyStore();
    const keyring = await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now });

    expect(await readFile(keyPath, "utf8")).toBe(before);
    expect(store.records.map((record) => record.version)).toEqual([1]);
    expect(keyring.kekId).toBe(deriveKekId(kek));
    expect(unwrapDataKey(kek, store.records[0]!).length).toBe(32);
  });

  it("refuses to start, in one sentence naming the key file, when the key is missing but data exists", async () => {
    const store = new MemoryDataKeyStore();
    await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now });
    await unlink(keyPath);
    const before = store.snapshot();

    const error = await rejection(openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now }));
    expect(error.code).toBe("sealed");
    expect(error.message).toContain(keyPath);
    expect(error.message).toMatch(/missing/);
    expect(error.message).toMatch(/^[^\n]+\.$/);
    expect(error.message.slice(0, -1)).not.toMatch(/\.\s/);
    expect(await fileExists(keyPath)).toBe(false);
    expect(store.snapshot()).toBe(before);
  });

  it("refuses to start, changing nothing, when the key does not match the data", async () => {
    const store = new MemoryDataKeyStore();
    await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now });
    const otherKey = `${randomBytes(32).toString("base64")}\n`;
    await writeFile(keyPath, otherKey, { mode: 0o600 });
    const before = store.snapshot();

    const error = await rejection(openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now }));
    expect(error.code).toBe("sealed");
    expect(error.message).toContain(keyPath);
    expect(error.message).toMatch(/does not match the data/);
    expect(error.message).toMatch(/^[^\n]+\.$/);
    expect(error.message).not.toContain(otherKey.trim());
    expect(await readFile(keyPath, "utf8")).toBe(otherKey);
    expect(store.snapshot()).toBe(before);
    expect(store.inserts).toBe(1);
  });

  it("refuses a mismatched key from WATCHWORD_MASTER_KEY the same way", async () => {
    const store = new MemoryDataKeyStore();
    const first = createEnvKeyProvider(randomBytes(32).toString("base64"));
    await openKeyring({ provider: first, dataKeys: store, now });
    const second = createEnvKeyProvider(randomBytes(32).toString("base64"));
    const error = await rejection(openKeyring({ provider: second, dataKeys: store, now }));
    expect(error.message).toMatch(/WATCHWORD_MASTER_KEY environment variable does not match the data/);
    expect(store.records).toHaveLength(1);
  });

  it("opens values sealed before a restart with the same key", async () => {
    const store = new MemoryDataKeyStore();
    const first = await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now });
    const sealed = first.seal(Secret.fromUtf8(PLANTED), binding);
    first.destroy();

    const second = await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now });
    expect(second.open(sealed, binding).revealUtf8()).toBe(PLANTED);
    expect(store.inserts).toBe(1);
  });

  it("seals under the newest data key and still opens values sealed under older ones", async () => {
    const kek = Secret.fromBytes(randomBytes(32));
    const one = createDataKeyRecord(kek, 1, NOW);
    const two = createDataKeyRecord(kek, 2, NOW + 1000);
    const store = new MemoryDataKeyStore([two.record, one.record]);
    const keyring = await openKeyring({
      provider: createEnvKeyProvider(kek.reveal().toString("base64")),
      dataKeys: store,
      now,
    });

    expect(keyring.currentVersion).toBe(2);
    expect(keyring.versions).toEqual([1, 2]);
    const old = sealField(one.dataKey, 1, Secret.fromUtf8(PLANTED), binding);
    expect(keyring.open(old, binding).revealUtf8()).toBe(PLANTED);
    expect(keyring.isSealedUnderCurrentKey(old)).toBe(false);
    expect(keyring.isSealedUnderCurrentKey(keyring.seal(Secret.fromUtf8(PLANTED), binding))).toBe(true);
  });

  it("rejects a value moved to another record, and one naming a data key version it does not hold", async () => {
    const keyring = await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: new MemoryDataKeyStore(), now });
    const sealed = keyring.seal(Secret.fromUtf8(PLANTED), binding);
    expect(() => keyring.open(sealed, { ...binding, recordId: "entry-2" })).toThrow(WatchwordError);
    const relabelled = Buffer.from(sealed);
    relabelled.writeUInt32BE(9, 2);
    expect(() => keyring.open(relabelled, binding)).toThrow(/data key version 9/);
  });

  it("calls a data key damaged when it fails to unwrap under a key whose id matches", async () => {
    const kek = Secret.fromBytes(randomBytes(32));
    const { record } = createDataKeyRecord(kek, 1, NOW);
    const damaged: DataKeyRecord = { ...record, wrappedKey: Buffer.from(record.wrappedKey) };
    damaged.wrappedKey[damaged.wrappedKey.length - 1]! ^= 1;
    const provider = createEnvKeyProvider(kek.reveal().toString("base64"));
    const error = await rejection(openKeyring({ provider, dataKeys: new MemoryDataKeyStore([damaged]), now }));
    expect(error.code).toBe("sealed");
    expect(error.message).toMatch(/damaged/);
  });

  it("rejects a wrapped data key moved to another version's row", async () => {
    const kek = Secret.fromBytes(randomBytes(32));
    const one = createDataKeyRecord(kek, 1, NOW).record;
    const two = createDataKeyRecord(kek, 2, NOW).record;
    const swapped = [one, { ...two, wrappedKey: one.wrappedKey }];
    const provider = createEnvKeyProvider(kek.reveal().toString("base64"));
    const error = await rejection(openKeyring({ provider, dataKeys: new MemoryDataKeyStore(swapped), now }));
    expect(error.code).toBe("sealed");
  });

  it("goes on with the data key another node inserted first, when it unwraps under the same key", async () => {
    const kek = Secret.fromBytes(randomBytes(32));
    const otherNode = createDataKeyRecord(kek, 1, NOW);
    class RacingStore extends MemoryDataKeyStore {
      #isFirstList = true;
      override async listDataKeys(): Promise<DataKeyRecord[]> {
        if (this.#isFirstList) {
          this.#isFirstList = false;
          return [];
        }
        return super.listDataKeys();
      }
    }
    const store = new RacingStore([otherNode.record]);
    const provider = createEnvKeyProvider(kek.reveal().toString("base64"));
    const keyring = await openKeyring({ provider, dataKeys: store, now });

    expect(store.records).toHaveLength(1);
    const sealedByOtherNode = sealField(otherNode.dataKey, 1, Secret.fromUtf8(PLANTED), binding);
    expect(keyring.open(sealedByOtherNode, binding).revealUtf8()).toBe(PLANTED);
  });

  it("never shows the key, a data key or a planted plaintext when inspected or serialised", async () => {
    const store = new MemoryDataKeyStore();
    const keyring = await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: store, now });
    const kek = (await createKeyFileProvider(keyPath).load())!;
    const dataKey = unwrapDataKey(kek, store.records[0]!);
    const sealed = keyring.seal(Secret.fromUtf8(PLANTED), binding);

    const shown = [
      inspect(keyring, { showHidden: true, depth: Infinity }),
      JSON.stringify(keyring),
      JSON.stringify({ keyring, records: store.records }),
      String(keyring),
    ].join("\n");
    const forbidden = [PLANTED, kek, dataKey].flatMap((value) =>
      typeof value === "string"
        ? [value]
        : ["hex", "base64", "latin1"].map((encoding) => value.reveal().toString(encoding as BufferEncoding)),
    );
    for (const secret of forbidden) expect(shown).not.toContain(secret);
    expect(shown).toContain(keyring.kekId);
    for (const bytes of [kek.reveal(), dataKey.reveal(), Buffer.from(PLANTED)]) {
      expect(sealed.includes(bytes)).toBe(false);
      expect(store.records[0]!.wrappedKey.includes(bytes)).toBe(false);
    }
  });

  it("refuses to seal or open once destroyed", async () => {
    const keyring = await openKeyring({ provider: createKeyFileProvider(keyPath), dataKeys: new MemoryDataKeyStore(), now });
    const sealed = keyring.seal(Secret.fromUtf8(PLANTED), binding);
    keyring.destroy();
    expect(() => keyring.seal(Secret.fromUtf8(PLANTED), binding)).toThrow(/destroyed/);
    expect(() => keyring.open(sealed, binding)).toThrow(/destroyed/);
  });
});
