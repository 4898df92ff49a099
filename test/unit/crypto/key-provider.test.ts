import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { createEnvKeyProvider, createKeyFileProvider } from "../../../src/crypto/key-provider.js";

const isPosix = process.platform !== "win32";

async function rejection(promise: Promise<unknown>): Promise<WatchwordError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WatchwordError);
  return error as WatchwordError;
}

function thrown(action: () => unknown): WatchwordError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WatchwordError);
    return error as WatchwordError;
  }
  throw new Error("expected a WatchwordError, but nothing was thrown");
}

describe("key file provider", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "watchword-key-provider-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads nothing when the key file does not exist", async () => {
    expect(await createKeyFileProvider(join(dir, "master.key")).load()).toBeNull();
  });

  it.runIf(isPosix)("creates the key file with mode 0600, in a new directory with mode 0700", async () => {
    const path = join(dir, "data", "master.key");
    const key = await createKeyFileProvider(path).create();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "data"))).mode & 0o777).toBe(0o700);
    expect(await readFile(path, "utf8")).toBe(`${key.reveal().toString("base64")}\n`);
    expect(key.length).toBe(32);
  });

  it("loads the key it created", async () => {
    const provider = createKeyFileProvider(join(dir, "master.key"));
    const created = await provider.create();
    const loaded = await provider.load();
    expect(loaded?.reveal().equals(created.reveal())).toBe(true);
  });

  it("refuses to overwrite an existing key file and leaves it untouched", async () => {
    const path = join(dir, "master.key");
    const provider = createKeyFileProvider(path);
    await provider.create();
    const before = await readFile(path, "utf8");
    const error = await rejection(provider.create());
    expect(error.code).toBe("sealed");
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/already exists/);
    expect(await readFile(path, "utf8")).toBe(before);
  });

  it("rejects content that is not base64 of exactly 32 bytes, naming the file but not the content", async () => {
    const path = join(dir, "master.key");
    const provider = createKeyFileProvider(path);
    const contents = [
      "not base64 at all!!\n",
      `${randomBytes(16).toString("base64")}\n`,
      `${randomBytes(33).toString("base64")}\n`,
      `${randomBytes(32).toString("base64url")}x\n`,
      "",
    ];
    for (const content of contents) {
      await writeFile(path, content, { mode: 0o600 });
      const error = await rejection(provider.load());
      expect(error.code).toBe("sealed");
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/base64 of exactly 32/);
      if (content.trim() !== "") expect(error.message).not.toContain(content.trim());
    }
  });

  it("accepts a key file written by hand without the trailing newline", async () => {
    const path = join(dir, "master.key");
    const bytes = randomBytes(32);
    await writeFile(path, bytes.toString("base64"), { mode: 0o600 });
    expect((await createKeyFileProvider(path).load())?.reveal().equals(bytes)).toBe(true);
  });

  it.runIf(isPosix)("reports a key file readable by others, and says nothing when it is 0600", async () => {
    const path = join(dir, "master.key");
    const provider = createKeyFileProvider(path);
    expect(await provider.checkPermissions()).toBeNull();
    await provider.create();
    expect(await provider.checkPermissions()).toBeNull();
    await chmod(path, 0o644);
    const sentence = await provider.checkPermissions();
    expect(sentence).toContain(path);
    expect(sentence).toMatch(/0644/);
    expect(sentence).toMatch(/chmod 600/);
  });

  it("describes itself by its path", () => {
    const path = join(dir, "master.key");
    expect(createKeyFileProvider(path).description).toContain(path);
  });
});

describe("environment key provider", () => {
  it("loads the key given as base64 of 32 bytes", async () => {
    const bytes = randomBytes(32);
    const provider = createEnvKeyProvider(bytes.toString("base64"));
    expect((await provider.load())?.reveal().equals(bytes)).toBe(true);
    expect(provider.description).toContain("WATCHWORD_MASTER_KEY");
  });

  it("hands out a copy, so destroying a loaded key does not wipe the provider's", async () => {
    const bytes = randomBytes(32);
    const provider = createEnvKeyProvider(bytes.toString("base64"));
    (await provider.load())?.destroy();
    expect((await provider.load())?.reveal().equals(bytes)).toBe(true);
  });

  it("rejects a value that is not base64, naming WATCHWORD_MASTER_KEY without echoing the value", () => {
    const value = "this-is-not-base64-but-a-pasted-secret!";
    const error = thrown(() => createEnvKeyProvider(value));
    expect(error.code).toBe("sealed");
    expect(error.message).toContain("WATCHWORD_MASTER_KEY");
    expect(error.message).not.toContain(value);
  });

  it("rejects base64 of the wrong length without echoing the value", () => {
    for (const value of [randomBytes(16).toString("base64"), randomBytes(64).toString("base64"), ""]) {
      const error = thrown(() => createEnvKeyProvider(value));
      expect(error.message).toContain("WATCHWORD_MASTER_KEY");
      if (value !== "") expect(error.message).not.toContain(value);
    }
  });

  it("refuses to create a key", async () => {
    const provider = createEnvKeyProvider(randomBytes(32).toString("base64"));
    const error = await rejection(provider.create());
    expect(error.code).toBe("sealed");
    expect(error.message).toContain("WATCHWORD_MASTER_KEY");
  });
});
