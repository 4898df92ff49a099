// The accounts every file in ../shared/fixtures/external/aegis-importers holds, as Aegis's own
// test vectors list them (expected/VaultEntries.java: seed, account name, issuer, OTP settings),
// restated as data, and one check of a preview against them with a format's known differences.
import { expect } from "vitest";
import type { ImportedEntry, ImportPreview } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import type { OtpAlgorithm, OtpType } from "../../../src/core/otp/types.js";

export interface Vector {
  readonly seed: string;
  readonly issuer: string;
  readonly account: string;
  readonly type: OtpType;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  /** The period for TOTP and Steam, the counter for HOTP. */
  readonly periodOrCounter: number;
}

export const VECTORS: readonly Vector[] = [
  { seed: "4SJHB4GSD43FZBAI7C2HLRJGPQ", issuer: "Deno", account: "Mason", type: "totp", algorithm: "SHA1", digits: 6, periodOrCounter: 30 },
  { seed: "5OM4WOOGPLQEF6UGN3CPEOOLWU", issuer: "SPDX", account: "James", type: "totp", algorithm: "SHA256", digits: 7, periodOrCounter: 20 },
  { seed: "7ELGJSGXNCCTV3O6LKJWYFV2RA", issuer: "Airbnb", account: "Elijah", type: "totp", algorithm: "SHA512", digits: 8, periodOrCounter: 50 },
  { seed: "YOOMIXWS5GN6RTBPUFFWKTW5M4", issuer: "Issuu", account: "James", type: "hotp", algorithm: "SHA1", digits: 6, periodOrCounter: 1 },
  { seed: "KUVJJOM753IHTNDSZVCNKL7GII", issuer: "Air Canada", account: "Benjamin", type: "hotp", algorithm: "SHA256", digits: 7, periodOrCounter: 50 },
  { seed: "5VAML3X35THCEBVRLV24CGBKOY", issuer: "WWE", account: "Mason", type: "hotp", algorithm: "SHA512", digits: 8, periodOrCounter: 10300 },
  { seed: "JRZCL47CMXVOQMNPZR2F7J4RGI", issuer: "Boeing", account: "Sophia", type: "steam", algorithm: "SHA1", digits: 5, periodOrCounter: 30 },
  { seed: "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI", issuer: "Battle.net", account: "US-2211-2050-3346", type: "totp", algorithm: "SHA1", digits: 8, periodOrCounter: 30 },
];

/** What an entry says, in the vectors' terms. */
function describe(entry: ImportedEntry): Omit<Vector, "seed"> {
  const { otp } = entry;
  return {
    issuer: entry.issuer ?? "",
    account: entry.account ?? "",
    type: otp.type,
    algorithm: otp.algorithm,
    digits: otp.digits,
    periodOrCounter: otp.type === "hotp" ? otp.counter : otp.period,
  };
}

/**
 * Every entry of the preview is one of the vectors (found by its seed), as `adjust` says this
 * format records it; the seeds found are exactly `seeds`, and nothing was a problem.
 */
export function expectVectors(preview: ImportPreview, seeds: readonly string[], adjust: (vector: Vector) => Vector = (vector) => vector): void {
  expect(preview.problems).toEqual([]);
  const bySeed = new Map(VECTORS.map((vector) => [decodeBase32(vector.seed).toString("hex"), vector]));
  const found: string[] = [];
  for (const entry of preview.entries) {
    const vector = bySeed.get(entry.otp.secret.reveal().toString("hex"));
    expect(vector, `${entry.name}'s seed is one of Aegis's vectors`).toBeDefined();
    if (vector === undefined) continue;
    found.push(vector.seed);
    const { seed: _seed, ...expected } = adjust(vector);
    expect(describe(entry), entry.name).toEqual(expected);
  }
  expect(found).toEqual(seeds);
}

/** The vectors' seeds in file order, by issuer. */
export const seedsOf = (...issuers: readonly string[]): string[] => issuers.map((issuer) => VECTORS.find((vector) => vector.issuer === issuer)?.seed ?? `no vector ${issuer}`);
