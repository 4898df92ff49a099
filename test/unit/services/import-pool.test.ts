// The import worker pool with real worker threads: key derivation at real cost runs on the
// workers' own threads, so libuv's thread pool (where sign-in's argon2 runs) stays free; seeds
// cross the thread boundary as bytes, become Secrets again, and the bytes they came in are zeroed.
import argon2 from "argon2";
import kdbxweb from "kdbxweb";
import { afterAll, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secret.js";
import { JOB_MEMORY_BYTES, createImportPool, runningJobsFor } from "../../../src/services/import-pool.js";
import { packResult, packUpload, unpackResult, unpackUpload } from "../../../src/services/import-transfer.js";
import { aegisDb, encryptedAegis } from "../intake/build-exports.js";

const workerModule = new URL("../../support/import-worker.mjs", import.meta.url).href;
const SEED = "JBSWY3DPEHPK3PXP";
const PASSWORD = Buffer.from("export password");

async function aesKdfKeePass(rounds: number): Promise<Uint8Array> {
  const { Consts, Credentials, Int64, Kdbx, ProtectedValue, VarDictionary } = kdbxweb;
  const db = Kdbx.create(new Credentials(ProtectedValue.fromBinary(Uint8Array.from(PASSWORD).buffer)), "Vault");
  db.setKdf(Consts.KdfId.Aes);
  db.header.kdfParameters!.set("R", VarDictionary.ValueType.UInt64, Int64.from(rounds));
  db.createEntry(db.getDefaultGroup()).fields.set("otp", `otpauth://totp/Heavy:kp?secret=${SEED}&issuer=Heavy`);
  return new Uint8Array(await db.save());
}

/** Wall time of four sign-in-sized argon2id hashes started together (libuv runs four at once). */
async function fourArgon2Hashes(): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: 4 }, (_, i) => argon2.hash(`password ${i}`, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 })));
  return performance.now() - started;
}

describe("import worker pool", () => {
  const pool = createImportPool({ memoryBudgetBytes: 8 * 1024 ** 3, maxRunning: 4, maxWaiting: 4, workerModule });
  afterAll(() => pool.close());

  it("derives keys on its own threads: four heavy files leave libuv's thread pool to sign-in's argon2", async () => {
    const vault = aegisDb([{ secret: SEED, issuer: "Heavy" }]);
    // scrypt at N = 2^19, r = 8 (512 MiB, seconds each): four files would hold all four of libuv's
    // threads for seconds if they ran there.
    const aegis = encryptedAegis(vault, [{ password: PASSWORD, n: 2 ** 19, r: 8, p: 1 }]);
    const unloaded = Math.min(await fourArgon2Hashes(), await fourArgon2Hashes());
    // Four threads started beforehand (they stay while busy or briefly idle), so the heavy files start together.
    const link = Buffer.from(`otpauth://totp/Warm:a?secret=${SEED}`);
    await Promise.all(Array.from({ length: 4 }, () => pool.read(link, "auto", undefined)));

    const jobs = [aegis, aegis, aegis, aegis].map((bytes) =>
      pool.read(bytes, "auto", Secret.fromBytes(PASSWORD)).then(
        (read) => read.format,
        (error: Error) => error.message,
      ),
    );
    while (pool.stats().running < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    const loaded = await fourArgon2Hashes();
    const outcomes = await Promise.all(jobs);
    const wrong = "The password is wrong, or the file is damaged.";
    expect(outcomes).toEqual([wrong, wrong, wrong, wrong]);
    expect(loaded, `four argon2 hashes took ${Math.round(loaded)} ms beside the imports , ${Math.round(unloaded)} ms alone`).toBeLessThan(Math.max(1000, 5 * unloaded));
  }, 120_000);

  it("opens a KeePass file whose AES-KDF takes millions of rounds, in its own thread", async () => {
    const read = await pool.read(await aesKdfKeePass(5_000_000), "auto", Secret.fromBytes(PASSWORD));
    expect([read.format, read.entries.map((entry) => entry.issuer)]).toEqual(["keepass", ["Heavy"]]);
  }, 60_000);

  it("hands back seeds as Secrets and errors as WatchwordErrors with their field", async () => {
    const link = Buffer.from(`otpauth://totp/Crossing:a?secret=${SEED}&issuer=Crossing`);
    const read = await pool.read(link, "auto", undefined);
    expect(read.entries).toHaveLength(1);
    expect(read.entries[0]!.otp.secret).toBeInstanceOf(Secret);
    expect(String(read.entries[0]!.otp.secret)).toBe("[redacted]");
    expect(read.entries[0]!.otp.secret.reveal().toString("hex")).toBe("48656c6c6f21deadbeef");
    await expect(pool.read(Buffer.from("just words\n"), "auto", undefined)).rejects.toMatchObject({ name: "WatchwordError", code: "unsupported_media_type", details: { field: "file" } });
    expect(pool.stats()).toEqual({ running: 0, waiting: 0 });
  });
});

describe("a job over its time limit", () => {
  const pool = createImportPool({ memoryBudgetBytes: 8 * 1024 ** 3, maxRunning: 1, maxWaiting: 1, workerModule, jobTimeLimitMs: 3000 });
  afterAll(() => pool.close());

  it("is stopped with its thread and answered as busy, and the next file is read by a fresh thread", { timeout: 60_000 }, async () => {
    const slow = encryptedAegis(aegisDb([{ secret: SEED }]), Array.from({ length: 4 }, () => ({ password: PASSWORD, n: 2 ** 19, r: 8, p: 1 })));
    const started = performance.now();
    await expect(pool.read(slow, "auto", Secret.fromBytes(PASSWORD))).rejects.toMatchObject({
      code: "unavailable",
      message: "Reading this file took more than 3 seconds, so it was stopped. Try again when fewer imports are running.",
      details: { retryAfterSeconds: 60 },
    });
    expect(performance.now() - started).toBeLessThan(20_000); // not the seconds four slots of scrypt would take after a slow start
    const next = await pool.read(Buffer.from(`otpauth://totp/After:a?secret=${SEED}`), "auto", undefined);
    expect(next.entries.map((entry) => entry.issuer)).toEqual(["After"]);
  });
});

describe("a thread slow to start", () => {
  const pool = createImportPool({
    memoryBudgetBytes: 8 * 1024 ** 3, maxRunning: 1, maxWaiting: 2, jobTimeLimitMs: 3000,
    workerModule: new URL("../../support/slow-start-import-worker.mjs", import.meta.url).href,
  });
  afterAll(() => pool.close());

  // The limit is the file's, not the machine's: a thread that takes four seconds to load its
  // modules reads files admitted while it started, each within a three-second limit.
  it("does not count its start against the files waiting for it", { timeout: 60_000 }, async () => {
    const started = performance.now();
    const reads = await Promise.all(["First", "Second"].map((issuer) => pool.read(Buffer.from(`otpauth://totp/${issuer}:a?secret=${SEED}`), "auto", undefined)));
    expect(reads.map((read) => read.entries[0]!.issuer)).toEqual(["First", "Second"]);
    expect(performance.now() - started).toBeGreaterThan(3500); // the start did take longer than the limit
    expect(pool.stats()).toEqual({ running: 0, waiting: 0 });
  });
});

describe("the thread crossing", () => {
  it("moves the password out of the sender's buffer and zeroes the bytes it arrived in", () => {
    const password = Secret.fromUtf8("hunter2 hunter2");
    const { upload, transfer } = packUpload(Buffer.from("file"), "auto", password);
    const received = structuredClone(upload, { transfer });
    expect(upload.password!.byteLength).toBe(0); // moved: nothing is left on this side
    const task = unpackUpload(received);
    expect(task.password!.revealUtf8()).toBe("hunter2 hunter2");
    expect([...received.password!].every((byte) => byte === 0)).toBe(true);
  });

  it("moves the seeds in one buffer, wraps them as Secrets again, and zeroes the buffer", () => {
    const secret = Secret.fromBytes(Buffer.from("seed bytes here!"));
    const otp = { type: "totp" as const, secret, algorithm: "SHA1" as const, digits: 6, period: 30, counter: 0 };
    const { result, transfer } = packResult({ format: "uris", entries: [{ index: 0, name: "A", otp, warnings: [] }], problems: [] });
    expect(secret.reveal().every((byte) => byte === 0)).toBe(true); // the worker's copy is destroyed
    const received = structuredClone(result, { transfer });
    const read = unpackResult(received);
    expect(read.entries[0]!.otp.secret.revealUtf8()).toBe("seed bytes here!");
    expect(received.ok && new Uint8Array(received.seeds).every((byte) => byte === 0)).toBe(true);
  });
});

describe("how many imports run at once", () => {
  it("as many as the memory budget holds at the per-file caps, leaving one core, at least one", () => {
    expect(runningJobsFor(3 * 1024 ** 3, 2)).toBe(1);
    expect(runningJobsFor(3 * 1024 ** 3, 16)).toBe(Math.floor((3 * 1024 ** 3) / JOB_MEMORY_BYTES));
    expect(runningJobsFor(64 * 1024 ** 3, 8)).toBe(7);
    expect(runningJobsFor(256 * 1024 ** 2, 8)).toBe(1);
    expect(runningJobsFor(64 * 1024 ** 3, 1)).toBe(1);
  });
});
