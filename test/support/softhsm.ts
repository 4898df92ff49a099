// A SoftHSM2 token in a temporary directory (its own softhsm2.conf, through SOFTHSM2_CONF), with
// keys made through the same PKCS#11 binding Watchword uses, in a child process so that this
// test process never holds the module (SoftHSM reads its tokens once per process).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";
const KEY_MAKER = path.resolve("test/support/softhsm-key.mjs");

if (!existsSync(SOFTHSM_MODULE)) throw new Error(`${SOFTHSM_MODULE} is missing: apt-get install -y softhsm2 (.ci/run does).`);

export interface SoftHsm {
  readonly dir: string;
  /** SOFTHSM2_CONF for every process that opens the tokens. */
  readonly env: Record<string, string>;
  /** Initialises a token with a user PIN. */
  createToken(label: string, pin: string): Promise<void>;
  /** An AES-256 key made inside the token: sensitive and non-extractable unless asked otherwise. */
  createKey(token: string, pin: string, label: string, options?: { extractable?: boolean; id?: number }): Promise<void>;
  /** The labels of the token's secret keys. */
  keyLabels(token: string, pin: string): Promise<string[]>;
  drop(): Promise<void>;
}

export async function createSoftHsm(): Promise<SoftHsm> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-softhsm-"));
  await fs.mkdir(path.join(dir, "tokens"));
  const conf = path.join(dir, "softhsm2.conf");
  await fs.writeFile(conf, `directories.tokendir = ${path.join(dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { SOFTHSM2_CONF: conf };
  const childEnv = { ...process.env, ...env };
  const maker = async (args: string[]) => (await run(process.execPath, [KEY_MAKER, SOFTHSM_MODULE, ...args], { env: childEnv })).stdout;
  return {
    dir,
    env,
    async createToken(label, pin) {
      await run("softhsm2-util", ["--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", `${pin}-so`], { env: childEnv });
    },
    async createKey(token, pin, label, options = {}) {
      await maker(["create", token, pin, label, options.extractable === true ? "extractable" : "sealed", String(options.id ?? 1)]);
    },
    async keyLabels(token, pin) {
      return JSON.parse(await maker(["labels", token, pin])) as string[];
    },
    drop: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
