// The entries every Aegis importer test file must give, read from Aegis's own test code in place
// (../shared/fixtures/external/aegis-importers/expected/VaultEntries.java; see that folder's
// README), so the expectations are Aegis's, not ours. Also: codes from oathtool for a seed.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { ImportedEntry } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { generateHotp, generateTotp } from "../../../src/core/otp/generate.js";
import type { OtpAlgorithm, OtpType } from "../../../src/core/otp/types.js";
import { FIXTURES } from "./external-fixtures.js";

export interface AegisVector {
  readonly base32: string;
  /** The seed as hex, how tests match an imported entry to its vector. */
  readonly secret: string;
  readonly issuer: string;
  readonly account: string;
  readonly type: OtpType;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  /** TOTP and Steam: seconds per step; 30 for HOTP, as Watchword stores it. */
  readonly period: number;
  /** HOTP: the counter of the next code; 0 otherwise. */
  readonly counter: number;
}

// new VaultEntry(new TotpInfo(Base32.decode("…"), "SHA256", 7, 20), "James", "SPDX"): the name is the
// account, the last argument the issuer; TotpInfo(secret) alone means SHA1, 6 digits, 30 s.
const VECTOR = /new VaultEntry\(new (Totp|Hotp|Steam)Info\(Base32\.decode\("([A-Z2-7]+)"\)(?:, "(SHA1|SHA256|SHA512)", (\d+), (\d+))?\), "([^"]*)", "([^"]*)"\)/gu;

/** Every vector of VaultEntries.java, in its order. */
export function readAegisVectors(): AegisVector[] {
  const java = readFileSync(path.join(FIXTURES, "aegis-importers/expected/VaultEntries.java"), "utf8");
  const vectors = [...java.matchAll(VECTOR)].map(([, kind, base32 = "", algorithm, digits, last, account = "", issuer = ""]) => {
    const type = kind === "Hotp" ? "hotp" : kind === "Steam" ? "steam" : "totp";
    return {
      base32,
      secret: decodeBase32(base32).toString("hex"),
      issuer,
      account,
      type,
      algorithm: (algorithm ?? "SHA1") as OtpAlgorithm,
      digits: digits === undefined ? (type === "steam" ? 5 : 6) : Number(digits),
      period: type === "hotp" || last === undefined ? 30 : Number(last),
      counter: type === "hotp" ? Number(last ?? 0) : 0,
    } satisfies AegisVector;
  });
  // A change in the Java file's layout must fail loudly, not yield no vectors.
  expect(vectors.length).toBeGreaterThanOrEqual(8);
  return vectors;
}

/** What an imported entry says, in the vectors' terms. */
export function describeImported(entry: ImportedEntry): AegisVector {
  const { type, algorithm, digits, period, counter, secret } = entry.otp;
  return { base32: "", secret: secret.reveal().toString("hex"), issuer: entry.issuer ?? "", account: entry.account ?? "", type, algorithm, digits, period, counter };
}

const oathtoolCommand = process.env.OATHTOOL ?? "oathtool";
export const isOathtoolInstalled = spawnSync(oathtoolCommand, ["--version"], { stdio: "ignore" }).status === 0;
if (!isOathtoolInstalled && process.env.CI === "true") throw new Error(`oathtool (${oathtoolCommand}) is required under CI=true: apt-get install oathtool.`);

/**
 * oathtool's code for a vector's seed and parameters at `unixSeconds` (TOTP) or at its counter
 * (HOTP). Steam Guard's alphabet is not oathtool's: undefined for Steam. oathtool's HOTP mode is
 * SHA-1 only, so HOTP with SHA-256 or SHA-512 is asked as TOTP with a 1-second step at time = counter.
 */
export function oathtoolCode(vector: AegisVector, unixSeconds: number): string | undefined {
  if (vector.type === "steam") return undefined;
  const digits = ["-d", String(vector.digits)];
  const args =
    vector.type === "hotp" && vector.algorithm === "SHA1"
      ? ["--hotp", ...digits, "-c", String(vector.counter)]
      : vector.type === "hotp"
        ? [`--totp=${vector.algorithm}`, ...digits, "-s", "1s", "-N", `@${vector.counter}`]
        : [`--totp=${vector.algorithm}`, ...digits, "-s", `${vector.period}s`, "-N", `@${unixSeconds}`];
  return execFileSync(oathtoolCommand, [...args, vector.secret], { encoding: "utf8" }).trim();
}

/** Watchword's own code for an imported entry at the same moment (or its next HOTP code). */
export function watchwordCode(entry: ImportedEntry, unixSeconds: number): string {
  return entry.otp.type === "hotp" ? generateHotp(entry.otp, entry.otp.counter) : generateTotp(entry.otp, unixSeconds * 1000).code;
}
