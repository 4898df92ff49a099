// The entries every Aegis importer test file must give, read from Aegis's own test code in place
// (../shared/fixtures/external/aegis-importers/expected/VaultEntries.java; see that folder's
// README), so the expectations are Aegis's, not ours, and one check of a preview against them
// with a format's known differences.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { ImportedEntry, ImportPreview } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
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

export interface MatchedVector {
  readonly entry: ImportedEntry;
  /** The vector whose seed the entry holds, as VaultEntries.java states it. */
  readonly vector: AegisVector;
  /** The same vector as the format records it (after `adjust`). */
  readonly expected: AegisVector;
}

/**
 * Every entry of the preview is one of the vectors (found by its seed), as `adjust` says this
 * format records it, and nothing was a problem; returns each entry with its vector, in preview order.
 */
export function expectAegisVectors(preview: ImportPreview, adjust: (vector: AegisVector) => AegisVector = (vector) => vector): MatchedVector[] {
  expect(preview.problems).toEqual([]);
  const bySecret = new Map(readAegisVectors().map((vector) => [vector.secret, vector]));
  return preview.entries.map((entry) => {
    const imported = describeImported(entry);
    const vector = bySecret.get(imported.secret);
    expect(vector, `${entry.name}: its seed is none of VaultEntries.java's`).toBeDefined();
    const expected = adjust(vector!);
    expect({ ...imported, base32: expected.base32 }, entry.name).toEqual(expected);
    return { entry, vector: vector!, expected };
  });
}
